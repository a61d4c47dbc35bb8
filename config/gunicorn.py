"""gunicorn settings for `make prod` and deploy/labour-web.service:

    gunicorn -c config/gunicorn.py config.wsgi

Everything comes from the environment (see .env.example): PORT, BIND_ADDRESS,
WEB_CONCURRENCY (worker processes), GUNICORN_TIMEOUT."""

import multiprocessing
import os

bind = f"{os.environ.get('BIND_ADDRESS', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"  # nginx buffers slow clients; each worker serves one request at a time
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# a worker that leaks is replaced after this many requests (spread so they don't all restart)
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# load the application once, before forking: a settings refusal or a missing static
# manifest stops the server at start with one clear message
preload_app = True
# the client's address and scheme are set by nginx (X-Forwarded-For/-Proto) and read by
# Django (TRUSTED_PROXY_COUNT, SECURE_PROXY_SSL_HEADER); gunicorn keeps its defaults
proc_name = "labour-web"


def when_ready(server):  # noqa: ARG001 - gunicorn's hook signature
    """In the master, after the application is loaded and before the workers fork: the
    dummy password hash of unknown-account logins, so that no worker makes it during a
    login (which would make that answer slower than a known account's)."""
    from labour.accounts.services import prepare_dummy_hash

    prepare_dummy_hash()

# no runtime control socket (it would sit in the service user's home); systemd and
# signals (HUP reload, TERM stop) are the controls
control_socket_disable = True

# No access log here: the application writes one JSON line per request without the
# query string (labour.access), which may carry a phone number. gunicorn's own
# messages (start, workers, timeouts) go to stderr as JSON too.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "labour.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json",
                    "stream": "ext://sys.stderr"},
    },
    "root": {"level": "WARNING", "handlers": []},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": ["console"], "propagate": False},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}
