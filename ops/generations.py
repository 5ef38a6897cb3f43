"""Counters in the shared cache whose value is part of cache keys.

Bumping a counter makes every key built from it unreachable at once, in every worker, without
finding and deleting entries; the old entries simply expire. Each worker keeps its copy of a
counter in its own memory (the ``local`` cache) for ``PAGE_CACHE_GENERATION_MEMO`` seconds, so
reading one usually costs nothing: a bump made through another worker reaches this one at most
that much later. While the shared cache is down there is no counter (``None``): nothing may
then be kept on its strength.

Django's cache framework has no counter that survives eviction and announces a bump that was
lost to an outage; that, and only that, is written here.
"""

import time

from django.conf import settings
from django.core.cache import cache, caches

LOCAL_CACHE = "local"


def local_cache():
    """This worker's own memory: copies that save a trip to the shared cache."""
    return caches[LOCAL_CACHE]


class Generation:
    def __init__(self, key):
        self.key = key
        self.memo_key = f"generation-copy:{key}"
        # Set while the shared cache cannot be reached: a bump made meanwhile was lost.
        self.missed = False

    def current(self):
        """The counter's value, or None while the shared cache cannot be reached."""
        value = local_cache().get(self.memo_key)
        if value is not None:
            return value
        value = cache.get(self.key)
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
            self.bump()
            return self.current()
        local_cache().set(self.memo_key, value, timeout=settings.PAGE_CACHE_GENERATION_MEMO)
        return value

    def bump(self):
        self.forget()
        try:
            cache.incr(self.key)
        except ValueError:  # no counter: evicted, or the shared cache is down
            cache.set(self.key, time.time_ns() // 1000, timeout=None)
            if cache.get(self.key) is None:
                self.missed = True  # announced by current() once the cache is back

    def forget(self):
        local_cache().delete(self.memo_key)


def forget_local_state():
    """Drop every copy this worker keeps (tests, after clearing the shared cache)."""
    local_cache().clear()
