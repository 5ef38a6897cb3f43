import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _fail_open(fallback):
    """Run a cache call; if Redis is unreachable, log it and answer as a cache miss would."""

    def decorator(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            if time.monotonic() < self._unavailable_until:
                return fallback(*args, **kwargs)
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                # Do not knock on a dead server on every request: one try per back-off period.
                self._unavailable_until = time.monotonic() + self.retry_after
                logger.warning(
                    "Cache unavailable (%s); serving without it for %ss", error, self.retry_after
                )
                return fallback(*args, **kwargs)

        return wrapper

    return decorator


def _default_argument(key, default=None, *args, **kwargs):
    return default


def _no_keys(*args, **kwargs):
    return {}


def _not_stored(*args, **kwargs):
    return False


def _nothing(*args, **kwargs):
    return None


def _not_set(data, *args, **kwargs):
    return list(data)


def _key_missing(*args, **kwargs):
    raise ValueError("Cache unavailable")


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that treats an unreachable Redis as an empty cache.

    Pages then render from the database (slower, but up) instead of failing with a 500.
    """

    retry_after = 5

    def __init__(self, server, params):
        super().__init__(server, params)
        self._unavailable_until = 0.0

    get = _fail_open(_default_argument)(RedisCache.get)
    get_many = _fail_open(_no_keys)(RedisCache.get_many)
    has_key = _fail_open(_not_stored)(RedisCache.has_key)
    add = _fail_open(_not_stored)(RedisCache.add)
    set = _fail_open(_nothing)(RedisCache.set)
    set_many = _fail_open(_not_set)(RedisCache.set_many)
    touch = _fail_open(_not_stored)(RedisCache.touch)
    delete = _fail_open(_not_stored)(RedisCache.delete)
    delete_many = _fail_open(_nothing)(RedisCache.delete_many)
    incr = _fail_open(_key_missing)(RedisCache.incr)
    clear = _fail_open(_not_stored)(RedisCache.clear)
