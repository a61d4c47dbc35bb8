"""Fixed-window counters in the shared cache (Redis in production, the database
cache by default), so that every server process sees the same counts."""

import time

from django.core.cache import caches


def hit(key: str, limit: int, window_seconds: int, cache_alias: str = "default") -> bool:
    """Count one hit; return False (and do not count it) when the limit is reached."""
    cache = caches[cache_alias]
    bucket = _bucket(window_seconds)
    full_key = f"rl:{key}:{bucket}"
    cache.add(full_key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(full_key)
    except ValueError:  # expired between add and incr
        cache.add(full_key, 0, timeout=window_seconds + 5)
        count = cache.incr(full_key)
    if count > limit:
        cache.decr(full_key)
        return False
    return True


def peek(key: str, window_seconds: int, cache_alias: str = "default") -> int:
    bucket = _bucket(window_seconds)
    return caches[cache_alias].get(f"rl:{key}:{bucket}", 0)


def _bucket(window_seconds: int) -> int:
    # windows start at local midnight / full hours (China Standard Time, UTC+8, no DST)
    return int((time.time() + 8 * 3600) // window_seconds)
