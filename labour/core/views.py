"""/healthz for the load balancer and monitoring."""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

logger = logging.getLogger("labour.health")


def _database(alias: str) -> None:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache(alias: str) -> None:
    cache = caches[alias]
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("the cache did not return what was stored")


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 {"status": "ok", ...} when every database and cache answers, else 503 with
    the failing part named. No versions, hosts or error texts: nothing for an outsider."""
    checks = {}
    for alias in settings.DATABASES:
        checks[f"database:{alias}" if alias != "default" else "database"] = (_database, alias)
    for alias in settings.CACHES:
        checks["cache" if alias == "default" else f"cache:{alias}"] = (_cache, alias)
    results = {}
    for name, (check, alias) in checks.items():
        started = time.monotonic()
        try:
            check(alias)
        except Exception:
            logger.exception("health check failed: %s", name)
            status = "error"
        else:
            status = "ok"
        results[name] = {"status": status, "ms": round((time.monotonic() - started) * 1000, 1)}
    healthy = all(result["status"] == "ok" for result in results.values())
    return JsonResponse({"status": "ok" if healthy else "error", "checks": results},
                        status=200 if healthy else 503)
