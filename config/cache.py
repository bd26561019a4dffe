"""A Redis cache that degrades to "no cache" while Redis is unreachable.

PostgreSQL is the record; Redis holds only rate-limit counters and cached values. If Redis
stops, pages and posting must keep working (DESIGN.md section 9), so connection errors are
logged and answered as a miss (rate limits fail open for those seconds) instead of a 500.
"""

import functools
import logging
from typing import Any

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


def _degrade(default: Any):
    def wrap(method):
        @functools.wraps(method)
        def inner(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNAVAILABLE:
                logger.warning("cache unavailable: %s skipped", method.__name__)
                fallback = default(*args, **kwargs) if callable(default) else default
                return fallback

        return inner

    return wrap


def _get_default(key, default=None, *args, **kwargs):
    return default


def _incr_default(key, delta=1, *args, **kwargs):
    return delta


class ResilientRedisCache(RedisCache):
    add = _degrade(True)(RedisCache.add)
    get = _degrade(_get_default)(RedisCache.get)
    set = _degrade(None)(RedisCache.set)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    get_many = _degrade(lambda *a, **k: {})(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    incr = _degrade(_incr_default)(RedisCache.incr)
    set_many = _degrade(lambda *a, **k: [])(RedisCache.set_many)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)
