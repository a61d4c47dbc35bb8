"""/healthz, and the optional read replica (issue 10 §1)."""

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from labour.core.db import PrimaryReplicaRouter, read_from_replica

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.django_db
def test_healthz_answers_json_with_each_part(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    text = response.content.decode()
    database = settings.DATABASES["default"]
    for secret in (settings.SECRET_KEY, str(database["NAME"]), "postgres", "redis://", "sqlite"):
        assert secret not in text


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_part_that_fails(client, settings):
    settings.CACHES = {**settings.CACHES, "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens on the discard port
        "OPTIONS": {"socket_connect_timeout": 0.5}}}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["checks"]["cache:sessions"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    """Load balancers check over plain HTTP on the private network."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_without_a_replica_everything_reads_from_the_primary():
    router = PrimaryReplicaRouter()
    with read_from_replica() as alias:
        assert alias == "default" and router.db_for_read(None) == "default"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "audit") is False


def test_reports_read_from_the_replica_and_every_other_read_and_write_from_the_primary(tmp_path):
    """Two real databases: the replica is a copy of the primary taken after migrating
    (as a base backup), so a row written afterwards exists only on the primary."""
    primary, replica = tmp_path / "primary.sqlite3", tmp_path / "replica.sqlite3"
    env = {k: v for k, v in os.environ.items()
           if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DJANGO_PRODUCTION")}
    env.update(DATABASE_URL=f"sqlite:///{primary}", DATABASE_REPLICA_URL=f"sqlite:///{replica}")
    run = [sys.executable, "manage.py"]
    migrate = subprocess.run([*run, "migrate", "--noinput"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    shutil.copy(primary, replica)
    script = textwrap.dedent("""
        from django.db import connections
        from labour.core.db import read_from_replica
        from labour.notifications.models import SmsMessage

        def new(n):
            return SmsMessage.objects.create(phone="13800000000", template="verify_code",
                                             text=f"m{n}")

        assert set(connections) == {"default", "replica"}
        new(1)                                   # a write: the primary
        assert SmsMessage.objects.count() == 1   # a page reads its own write: the primary
        with read_from_replica() as alias:
            assert alias == "replica"
            assert SmsMessage.objects.count() == 0          # the report: the replica
            assert list(SmsMessage.objects.values_list("text", flat=True)) == []
            new(2)                               # a write inside the block: still the primary
            assert SmsMessage.objects.using("default").count() == 2
        assert SmsMessage.objects.count() == 2   # back on the primary
        print("replica-ok")
    """)
    result = subprocess.run([*run, "shell", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "replica-ok" in result.stdout


@pytest.mark.django_db
def test_the_benchmark_floor_view_does_not_exist_in_normal_operation(client, settings):
    from django.urls import get_resolver

    assert settings.BENCH_TOKEN == ""
    patterns = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not any("__bench__" in p for p in patterns)
    assert client.get("/__bench__/x/floor/").status_code == 404


def test_a_short_benchmark_token_is_refused(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(LABOUR_BENCH_TOKEN="short", DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "LABOUR_BENCH_TOKEN" in result.stderr
