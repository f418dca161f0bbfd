"""Django's Redis cache, tolerant: an unreachable Redis is a cache miss, not a failed page.

The portal keeps nothing in the cache that it cannot rebuild (counts, rate-limit windows, used TOTP
codes), so while Redis restarts pages are served from the database, a little slower. Every error is
logged (at most once a minute per process) and /readyz reports the cache as not working. Short
socket timeouts keep a Redis that hangs from holding requests.
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
LOG_EVERY_SECONDS = 60


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", 0.5)
        options.setdefault("socket_timeout", 0.5)
        super().__init__(server, params)
        self._logged_at = 0.0

    def _failed(self, operation, default):
        now = time.monotonic()
        if now - self._logged_at > LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.warning("cache unavailable (%s): serving without it", operation, exc_info=True)
        return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except RedisError:
            return self._failed("add", False)

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except RedisError:
            return self._failed("get", default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except RedisError:
            return self._failed("set", None)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except RedisError:
            return self._failed("touch", False)

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except RedisError:
            return self._failed("delete", False)

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except RedisError:
            return self._failed("get_many", {})

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except RedisError:
            return self._failed("has_key", False)

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except RedisError:
            # incr of a missing key raises ValueError in every backend; callers already handle that.
            self._failed("incr", None)
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from None

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except RedisError:
            return self._failed("set_many", list(data))

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except RedisError:
            return self._failed("delete_many", None)

    def clear(self):
        try:
            return super().clear()
        except RedisError:
            return self._failed("clear", False)
