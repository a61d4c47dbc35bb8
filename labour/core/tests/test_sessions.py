"""Sessions (issue 10 §5): the idle timeout holds, but a session is written at most
once a minute instead of on every request."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

pytestmark = pytest.mark.django_db

PAGE = "/certification/review/"


def login(client):
    return client.post("/", {"kind": "authority", "authority-username": "zz_reviewer",
                             "authority-password": "Review2026"})


@pytest.fixture(params=["db", "cache"])
def engine(request, settings):
    if request.param == "db":
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    else:  # a local-memory cache follows time-machine's clock; Redis keeps its own
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cache"
        settings.CACHES = {**settings.CACHES, "session-test": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"sessions-{request.node.name}"}}
        settings.SESSION_CACHE_ALIAS = "session-test"
    return request.param


@pytest.fixture
def saves(monkeypatch):
    """Counts the writes of sessions (save() of every backend)."""
    from importlib import import_module

    from django.conf import settings

    store = import_module(settings.SESSION_ENGINE).SessionStore
    calls = []
    original = store.save

    def counting(self, *args, **kwargs):
        calls.append(self.session_key)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(store, "save", counting)
    return calls


def test_requests_within_a_minute_write_nothing_and_idle_still_ends(client, authority, engine,
                                                                    saves):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        assert login(client).status_code == 302
        clock.move_to(start + timedelta(seconds=1))
        assert client.get(PAGE).status_code == 200  # first request: stamps the session
        written = len(saves)
        for seconds in (5, 20, 40, 60):
            clock.move_to(start + timedelta(seconds=seconds))
            assert client.get(PAGE).status_code == 200
        assert len(saves) == written  # four requests within the minute: no write
        clock.move_to(start + timedelta(seconds=62))
        assert client.get(PAGE).status_code == 200
        assert len(saves) == written + 1  # the expiry moves forward once
        # active every 20 minutes for an hour: still logged in (idle timeout 30 min)
        for minutes in (21, 41, 61):
            clock.move_to(start + timedelta(minutes=minutes))
            assert client.get(PAGE).status_code == 200
        clock.move_to(start + timedelta(minutes=61 + 31))  # 31 minutes idle
        # logged out: the queue sends to the login page
        assert client.get(PAGE)["Location"].startswith("/?next=")


def test_anonymous_requests_create_no_session(client, engine, saves):
    assert client.get("/").status_code == 200
    assert client.get("/healthz").status_code == 200
    assert saves == [] and "sessionid" not in client.cookies


def test_in_redis_the_session_expires_after_the_idle_timeout(client, authority, settings):
    """Production: sessions in Redis, each save sets the key's time to live."""
    import os

    from django.core.cache import caches

    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL not set: Redis not tested")
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.cache"
    assert login(client).status_code == 302
    assert client.get(PAGE).status_code == 200
    cache = caches[settings.SESSION_CACHE_ALIAS]
    key = cache.make_and_validate_key(
        "django.contrib.sessions.cache" + client.cookies["sessionid"].value)
    ttl = cache._cache.get_client(key).ttl(key)
    assert settings.SESSION_COOKIE_AGE - 5 <= ttl <= settings.SESSION_COOKIE_AGE
