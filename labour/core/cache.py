"""The Redis cache of production (settings.CACHES when REDIS_URL is set).

Django's RedisCacheClient builds a new `redis.Redis` object for every cache call
(`get_client()`); building one fills its table of ~170 response callbacks, which
costs more than the network round trip it wraps, and every page makes several
calls (its session, the menu's badges, rate limits). A `redis.Redis` over a
connection pool is safe to share between threads, so this client builds one per
pool and keeps it. Everything else is Django's."""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class SharedClientRedisCacheClient(RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # the private helpers are Django's own (django-stubs does not declare them)
        index = self._get_connection_pool_index(write)  # type: ignore[attr-defined]
        client = self._clients.get(index)
        if client is None:
            pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
            client = self._clients[index] = self._client(connection_pool=pool)  # type: ignore[attr-defined]
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient
