"""Production settings: `check --deploy` passes with the settings of .env.example, and
the start is refused, loudly, when a deployment would be unsafe (issue 10 §1)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.serve import read_env_file

ROOT = Path(__file__).resolve().parents[3]
STRONG_KEY = "x7!kq2" * 10 + "Zq9#pL"
TEST_FIELD_KEY = "PJpWS7M5Hl2lDjJq3aUjbCyQuJ1P1V3yGZrGFOBa3k8="


def _env(tmp_path, **overrides):
    """The environment of .env.example (a production deployment), on a throwaway
    SQLite file, with `overrides` (None removes a variable)."""
    base = {k: v for k, v in os.environ.items()
            if k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith(("DJANGO_", "SMS_", "S3_"))
            and k not in ("DATABASE_URL", "REDIS_URL", "DATABASE_REPLICA_URL", "STATIC_ROOT")}
    env = {**base, **read_env_file(ROOT / ".env.example"),
           "DJANGO_SECRET_KEY": STRONG_KEY, "STATIC_ROOT": str(tmp_path / "static"),
           "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}", "REDIS_URL": "",
           # the roster's keys (issue 8): a deployment sets its own, never these
           "FIELD_ENCRYPTION_KEYS": TEST_FIELD_KEY, "LOOKUP_HMAC_KEY": "deploy-test-" + "k" * 40}
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def _manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_env_example_is_production_and_check_deploy_passes(tmp_path):
    env = _env(tmp_path)
    assert env["DJANGO_PRODUCTION"] == "1" and env["DJANGO_DEBUG"] == "0"
    result = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(("overrides", "words"), [
    ({"DJANGO_SECRET_KEY": None}, "DJANGO_SECRET_KEY must be set"),
    ({"DJANGO_SECRET_KEY": "dev-only-insecure-key-change-me-0123456789-abcdefghijklmnopqrstuvwxyz"},
     "public development key"),
    ({"DJANGO_SECRET_KEY": "change-me-to-a-long-random-string"}, "public development key"),
    ({"SMS_BACKEND": "outbox"}, "SMS_BACKEND=outbox in production"),
    ({"SMS_BACKEND": None}, "SMS_BACKEND=outbox in production"),
    ({"DJANGO_PRODUCTION": None}, "DJANGO_PRODUCTION is not set"),
    ({"DJANGO_PRODUCTION": "0", "DJANGO_ALLOWED_HOSTS": "127.0.0.1,192.168.1.20"},
     "192.168.1.20"),
])
def test_unsafe_deployments_are_refused_at_start(tmp_path, overrides, words):
    result = _manage(_env(tmp_path, **overrides), "check")
    assert result.returncode != 0
    assert "拒绝启动 / refusing to start" in result.stderr and words in result.stderr


def test_a_demo_outside_localhost_must_be_asked_for_and_is_warned_about(tmp_path):
    env = _env(tmp_path, DJANGO_PRODUCTION="0", DJANGO_INSECURE_OUTSIDE_LOCALHOST="1",
               SMS_BACKEND="outbox", DJANGO_ALLOWED_HOSTS="192.168.1.20")
    result = _manage(env, "check")
    assert result.returncode == 0, result.stderr
    assert "WARNING: serving 192.168.1.20 without DJANGO_PRODUCTION=1" in result.stderr


def test_local_development_needs_nothing(tmp_path):
    env = {k: v for k, v in _env(tmp_path).items()
           if not k.startswith(("DJANGO_", "SMS_", "ALIYUN_"))}
    result = _manage(env, "check")
    assert result.returncode == 0, result.stderr


def test_production_without_collectstatic_refuses_to_start(tmp_path):
    """Before: every page 500 with nothing logged, until a restart after collectstatic.
    Now the application server does not start, and says why."""
    env = _env(tmp_path)
    code = "import config.wsgi"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "collectstatic" in result.stderr
    assert _manage(env, "collectstatic", "--noinput", "--verbosity", "0").returncode == 0
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
