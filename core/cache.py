"""Django's Redis cache, tolerant: an unreachable Redis is a cache miss, not a failed page.

The portal keeps nothing in the cache that it cannot rebuild (counts, rate-limit windows, used TOTP
codes), so while Redis restarts pages are served from the database, a little slower. Every error is
logged (at most once a minute per process) and /readyz reports the cache as not working. Short
socket timeouts keep a Redis that hangs from holding requests.
"""

import copy
import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60


def _tolerant(name: str, miss):
    """RedisCache's method `name`, answering `miss` (as for an empty cache) when Redis fails."""
    original = getattr(RedisCache, name)

    @functools.wraps(original)
    def method(self, *args, **kwargs):
        try:
            return original(self, *args, **kwargs)
        except RedisError:
            return self._failed(name, copy.copy(miss))

    return method


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 1.0)
        options.setdefault("socket_timeout", 1.0)
        super().__init__(server, params)
        self._logged_at = 0.0

    def _failed(self, operation, default):
        now = time.monotonic()
        if now - self._logged_at > LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning("cache unavailable (%s): serving without it", operation, exc_info=True)
        return default

    # add() answering False is what makes allauth's rate limits refuse: they cannot take their lock.
    add = _tolerant("add", False)
    set = _tolerant("set", None)
    touch = _tolerant("touch", False)
    delete = _tolerant("delete", False)
    get_many = _tolerant("get_many", {})
    has_key = _tolerant("has_key", False)
    set_many = _tolerant("set_many", [])
    delete_many = _tolerant("delete_many", None)
    clear = _tolerant("clear", False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self._failed("get", default)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError:
            # incr of a missing key raises ValueError in every backend; callers already handle that.
            self._failed("incr", None)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from None
