"""`make prod`: the production server on this machine, in one command.

Reads the environment (and, for variables not already set, the file ENV_FILE,
default `.env`, in the format of .env.example), collects the static files, applies
migrations, creates the cache table when there is no Redis, then replaces itself
with gunicorn (config/gunicorn.py). On a fleet the systemd units in deploy/ run the
same steps, with migrations as a separate release step."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def read_env_file(path):
    """KEY=VALUE lines; blank lines and lines starting with # are skipped; values may be
    quoted. Returns a dict (the file is also valid for systemd's EnvironmentFile=)."""
    values = {}
    for raw in Path(path).read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        key = key.strip().removeprefix("export ").strip()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


def main():
    env_file = Path(os.environ.get("ENV_FILE", ROOT / ".env"))
    if env_file.is_file():
        for key, value in read_env_file(env_file).items():
            os.environ.setdefault(key, value)
        print(f"环境变量：{env_file}（已设置的环境变量优先）", file=sys.stderr)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    manage = [sys.executable, str(ROOT / "manage.py")]
    steps = [["collectstatic", "--noinput", "--verbosity", "0"], ["migrate", "--noinput"]]
    if not os.environ.get("REDIS_URL"):
        steps.append(["createcachetable"])
    for step in steps:
        result = subprocess.run([*manage, *step], cwd=ROOT, check=False)  # noqa: S603 (fixed args)
        if result.returncode:
            sys.exit(f"make prod: `manage.py {' '.join(step)}` failed ({result.returncode})")
    os.chdir(ROOT)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "config" / "gunicorn.py"),
                "config.wsgi"]
    os.execv(sys.executable, gunicorn)  # noqa: S606 (fixed args)


if __name__ == "__main__":
    main()
