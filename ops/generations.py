"""Counters in the shared cache whose value is part of cache keys.

Bumping a counter makes every key built from it unreachable at once, in every worker, without
finding and deleting entries; the old entries simply expire. Each worker keeps its copy of a
counter on the counter's object for ``PAGE_CACHE_GENERATION_MEMO`` seconds, so reading one
usually costs a clock reading (a page-cache miss reads counters five times; through a cache
backend each read cost some 5 µs): a bump made through another worker reaches this one at most
that much later. While the shared cache is down there is no counter (``None``): nothing may
then be kept on its strength.

A bump is soft or hard. After a soft one, a copy made under the old value may still be served
for a few seconds while a new one is made (the page cache's grace): the counter remembers when
each value was replaced. A hard bump (something readers saw was withdrawn) forbids that for
every older value.

Django's cache framework has no counter that survives eviction and announces a bump that was
lost to an outage; that, and only that, is written here.
"""

import time
import weakref

from django.conf import settings
from django.core.cache import cache, caches

from ops.cache_backends import thread_cache

LOCAL_CACHE = "local"
LOCAL_PAGES = "pages"  # the page cache's own (ops/pagecache.py)
LOCAL_OBJECTS = "objects"  # kept unpickled (ops/cache_backends.LocalObjectCache)
# How long the moment a value was replaced is remembered: longer than any grace period.
REPLACED_MEMORY = 60
_counters = weakref.WeakSet()  # every Generation, for forget_local_state()


def local_cache():
    """This worker's own memory: copies that save a trip to the shared cache."""
    return thread_cache(LOCAL_CACHE)


class Generation:
    def __init__(self, key):
        self.key = key
        self.copy = None  # (value, until when it is trusted: time.monotonic())
        self.hard_key = f"{key}:last-hard-change"
        # Set while the shared cache cannot be reached: a bump made meanwhile was lost.
        self.missed = False
        _counters.add(self)

    def current(self):
        """The counter's value, or None while the shared cache cannot be reached."""
        value = self.trusted_copy()
        if value is not None:
            return value
        value = self.read_shared()
        if value is None:
            # A clock-based start keeps values increasing even if the counter was evicted.
            cache.add(self.key, time.time_ns() // 1000, timeout=None)
            value = cache.get(self.key)
        if value is None:
            self.missed = True
            return None
        if self.missed:
            # Whatever changed during the outage could not be announced: announce it now.
            self.missed = False
            self.bump(hard=True)
            return self.current()
        self.keep_copy(value)
        return value

    def trusted_copy(self):
        """This worker's copy of the value while it is trusted, else None."""
        copy = self.copy  # read once: another thread may forget it meanwhile
        return copy[0] if copy is not None and time.monotonic() < copy[1] else None

    def keep_copy(self, value):
        self.copy = (value, time.monotonic() + settings.PAGE_CACHE_GENERATION_MEMO)

    def read_shared(self):
        """The shared value, read in one trip with every other counter whose copy is no longer
        trusted either: a page reads several, and their copies were made together."""
        due = [
            counter
            for counter in _counters
            if counter is self or not (counter.missed or counter.trusted_copy() is not None)
        ]
        found = cache.get_many([counter.key for counter in due])
        for counter in due:
            if counter is not self and counter.key in found:
                counter.keep_copy(found[counter.key])
        return found.get(self.key)

    def bump(self, *, hard=False):
        self.forget()
        try:
            value = cache.incr(self.key)
        except ValueError:  # no counter: evicted, or the shared cache is down
            cache.set(self.key, time.time_ns() // 1000, timeout=None)
            if cache.get(self.key) is None:
                self.missed = True  # announced by current() once the cache is back
            return  # the old value's replacement is not remembered: no grace for its copies
        if hard:
            cache.set(self.hard_key, value, timeout=None)
        else:
            # add: the first bump after a value is the moment its copies became stale.
            cache.add(self._replaced_key(value - 1), time.time(), timeout=REPLACED_MEMORY)

    def seconds_since_soft_replacement(self, value):
        """How long ago ``value`` was replaced, if only soft bumps came since; else None."""
        found = cache.get_many([self.hard_key, self._replaced_key(value)])
        if found.get(self.hard_key, 0) > value:
            return None
        replaced_at = found.get(self._replaced_key(value))
        return None if replaced_at is None else time.time() - replaced_at

    def _replaced_key(self, value):
        return f"{self.key}:replaced-at:{value}"

    def forget(self):
        self.copy = None


def forget_local_state():
    """Drop every copy this worker keeps, the counters' too (tests, after clearing the shared
    cache)."""
    local_cache().clear()
    caches[LOCAL_PAGES].clear()
    caches[LOCAL_OBJECTS].clear()
    for counter in _counters:
        counter.forget()
