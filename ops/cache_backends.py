import dataclasses
import functools
import logging
import pickle
import threading
import time
from collections import OrderedDict

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.core.signals import setting_changed
from django.dispatch import receiver
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
        self._class = ReusedClientRedisCacheClient
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


class FragmentCache(LocMemCache):
    """Django's per-process memory cache without memcached's key check, keeping text as it is.

    The check walks every character of every key on every read, for warnings about keys
    memcached would refuse; this cache is never memcached, and its keys are built by the site
    ({% cache %} digests, names with slugs). An article page reads it about seven times
    (bench/profile_pieces.py), nearly always HTML: a ``str`` cannot change once stored, so it
    is kept unpickled (a fragment of an article's text is tens of kB to copy out of a pickle
    on every read). Anything else is pickled, as Django's LocMemCache does.
    """

    def validate_key(self, key):
        pass

    def get(self, key, default=None, version=None):
        key = self.make_key(key, version=version)
        with self._lock:
            if self._has_expired(key):
                self._delete(key)
                return default
            stored = self._cache[key]
            self._cache.move_to_end(key, last=False)
        # Only what this process pickled itself.
        return stored if isinstance(stored, str) else pickle.loads(stored)  # noqa: S301

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        stored = self._stored(value)
        with self._lock:
            self._set(key, stored, timeout)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        stored = self._stored(value)
        with self._lock:
            if self._has_expired(key):
                self._set(key, stored, timeout)
                return True
            return False

    def _stored(self, value):
        return value if isinstance(value, str) else pickle.dumps(value, self.pickle_protocol)


class ReusedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis client, keeping one ``redis.Redis`` per server instead of building one
    for every call: building one costs more CPU than the round trip it makes
    (bench/profile_hits.py). It takes its connections from the pool, so sharing it is safe."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(pool)
        if client is None:
            client = self._clients[pool] = self._client(connection_pool=pool)
        return client


_thread_caches = threading.local()
_cache_settings = [0]  # moves when a test changes CACHES: every thread's handles are new then


def thread_cache(alias):
    """``caches[alias]``, the handle this thread got from Django, kept on a plain
    ``threading.local``: Django finds it through asgiref's ``Local`` every time (about 5 µs),
    and a page reads its fragment cache several times. Raises as ``caches[alias]`` does."""
    kept = _thread_caches
    if getattr(kept, "settings", None) != _cache_settings[0]:
        kept.handles, kept.settings = {}, _cache_settings[0]
    handle = kept.handles.get(alias)
    if handle is None:
        handle = kept.handles[alias] = caches[alias]
    return handle


@receiver(setting_changed)
def forget_thread_caches(setting, **kwargs):
    if setting == "CACHES":
        _cache_settings[0] += 1


# Shared by every thread of the process, as Django's LocMemCache shares its memory.
_stores = {}
_stores_lock = threading.Lock()
_MISSING = object()


class _Store:
    def __init__(self):
        self.lock = threading.RLock()
        self.entries = OrderedDict()  # key: (value, expires at or None, size), oldest use first
        self.size = 0


class LocalObjectCache(BaseCache):
    """This process's own memory, holding values as they are: no pickling on the way in or out.

    Every request that reads a value gets the same object, so values must never change once
    stored: ``bytes``, or a frozen dataclass with a ``size`` in bytes (``StoredPage`` in
    ops/pagecache.py); anything else is refused. The memory is bounded by the sum of those
    sizes (``OPTIONS["MAX_BYTES"]``), not by a number of entries: the least recently used go
    first.
    """

    def __init__(self, name, params):
        super().__init__(params)
        self.max_bytes = params.get("OPTIONS", {}).get("MAX_BYTES", 64 * 1024 * 1024)
        with _stores_lock:
            self._store = _stores.setdefault(name, _Store())

    def get(self, key, default=None, version=None):
        key = self.make_key(key, version=version)
        store = self._store
        with store.lock:
            found = store.entries.get(key)
            if found is None:
                return default
            if found[1] is not None and found[1] <= time.time():
                self._remove(key)
                return default
            store.entries.move_to_end(key)
            return found[0]

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        size = self._size(value)
        expires = self.get_backend_timeout(timeout)
        store = self._store
        with store.lock:
            self._remove(key)
            if size > self.max_bytes or (expires is not None and expires <= time.time()):
                return
            store.entries[key] = (value, expires, size)
            store.size += size
            while store.size > self.max_bytes:
                self._remove(next(iter(store.entries)))

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        with self._store.lock:
            if self.get(key, _MISSING, version=version) is not _MISSING:
                return False
            self.set(key, value, timeout, version=version)
            return True

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_key(key, version=version)
        store = self._store
        with store.lock:
            found = store.entries.get(key)
            if found is None:
                return False
            store.entries[key] = (found[0], self.get_backend_timeout(timeout), found[2])
            return True

    def delete(self, key, version=None):
        key = self.make_key(key, version=version)
        with self._store.lock:
            return self._remove(key)

    def clear(self):
        store = self._store
        with store.lock:
            store.entries.clear()
            store.size = 0

    def _remove(self, key):
        found = self._store.entries.pop(key, None)
        if found is None:
            return False
        self._store.size -= found[2]
        return True

    @staticmethod
    def _size(value):
        if isinstance(value, bytes):
            return len(value)
        if dataclasses.is_dataclass(value) and value.__dataclass_params__.frozen:
            return value.size
        raise TypeError(
            f"LocalObjectCache shares what it keeps: store bytes or a frozen dataclass, "
            f"not {type(value).__name__}"
        )
