"""Rate limits must hold across server processes: two independent cache clients
(as two processes would have) share one count."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache

from labour.core import ratelimit

ROOT = Path(__file__).resolve().parents[3]


def _two_clients_share_the_limit(monkeypatch, make_client):
    first, second = make_client(), make_client()
    assert first is not second
    clients = iter([first, second] * 10)
    monkeypatch.setattr(ratelimit, "caches", _Picker(clients))
    results = [ratelimit.hit("test:shared", 3, 3600) for _ in range(5)]
    assert results == [True, True, True, False, False]


class _Picker:
    def __init__(self, clients):
        self.clients = clients

    def __getitem__(self, alias):
        return next(self.clients)


@pytest.mark.django_db
def test_database_cache_clients_share_counts(monkeypatch, settings):
    from django.core.management import call_command

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache",
                                   "LOCATION": "labour_cache"}}
    call_command("createcachetable", verbosity=0)

    def make():
        return DatabaseCache("labour_cache", {})
    make().clear()
    _two_clients_share_the_limit(monkeypatch, make)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: Redis not tested")
def test_redis_clients_share_counts(monkeypatch):
    url = os.environ["REDIS_URL"]

    def make():
        return RedisCache(url, {"KEY_PREFIX": "rl-test"})
    make().clear()
    _two_clients_share_the_limit(monkeypatch, make)


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL not set: Redis not tested")
def test_limit_holds_across_processes():
    """Two separate Python processes hit the same limit (3) five times each."""
    code = (
        "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','config.settings');"
        "django.setup();"
        "from labour.core import ratelimit;"
        "print(sum(ratelimit.hit('test:proc', 3, 3600) for _ in range(5)))"
    )
    env = {**os.environ, "CACHE_KEY_PREFIX": "rl-proc-test"}
    from django.core.cache.backends.redis import RedisCache as _R
    _R(os.environ["REDIS_URL"], {"KEY_PREFIX": "rl-proc-test"}).clear()
    allowed = [int(subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True,
                                  capture_output=True, text=True).stdout.strip().splitlines()[-1])
               for _ in range(2)]
    assert allowed == [3, 0]


def test_limit_window_is_a_fixed_window(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                                   "LOCATION": "rl-window"}}
    import time_machine

    with time_machine.travel("2026-11-29 10:00:00+08:00", tick=False) as traveller:
        assert all(ratelimit.hit("w", 2, 3600) for _ in range(2))
        assert not ratelimit.hit("w", 2, 3600)
        traveller.move_to("2026-11-29 11:00:01+08:00")
        assert ratelimit.hit("w", 2, 3600)
