import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_passes_with_production_settings(tmp_path):
    base = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**base, "DJANGO_PRODUCTION": "1", "DJANGO_DEBUG": "0",
           "DJANGO_SECRET_KEY": "x7!kq2" * 10 + "Zq9#pL", "DJANGO_ALLOWED_HOSTS": "laowu.example.cn",
           "STATIC_ROOT": str(tmp_path / "static"),
           "FIELD_ENCRYPTION_KEYS": "PJpWS7M5Hl2lDjJq3aUjbCyQuJ1P1V3yGZrGFOBa3k8=",
           "LOOKUP_HMAC_KEY": "deploy-test-" + "k" * 40,
           "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level",
                             "WARNING"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    env.update({"DJANGO_PRODUCTION": "1", "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"})
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr
