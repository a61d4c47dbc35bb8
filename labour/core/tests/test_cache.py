"""The production cache (labour.core.cache.RedisCache) against a real Redis."""

import os
import threading

import pytest
from django.core.cache import caches

from labour.core.cache import RedisCache

pytestmark = pytest.mark.skipif(not os.environ.get("REDIS_URL"),
                                reason="REDIS_URL not set: Redis not tested")


@pytest.fixture
def redis_cache():
    cache = RedisCache(os.environ["REDIS_URL"], {"KEY_PREFIX": "test-cache-client"})
    yield cache
    cache.clear()


def test_production_settings_use_it():
    assert isinstance(caches["default"], RedisCache)


def test_one_client_serves_every_call(redis_cache):
    client = redis_cache._cache.get_client("a")
    assert redis_cache._cache.get_client("b") is client
    assert redis_cache._cache.get_client("c", write=True) is client


def test_it_behaves_as_djangos(redis_cache):
    assert redis_cache.get("missing") is None
    redis_cache.set("n", 1, 60)
    assert redis_cache.incr("n") == 2
    assert redis_cache.add("n", 5) is False
    redis_cache.set_many({"x": {"phone": "masked"}, "y": [1, 2]}, 60)
    assert redis_cache.get_many(["x", "y", "z"]) == {"x": {"phone": "masked"}, "y": [1, 2]}
    redis_cache.delete_many(["x", "y"])
    assert redis_cache.get("x") is None


def test_threads_share_it_safely(redis_cache):
    errors = []

    def work(n):
        try:
            for i in range(200):
                redis_cache.set(f"t{n}:{i}", i, 60)
                assert redis_cache.get(f"t{n}:{i}") == i
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
