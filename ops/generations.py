"""Counters in the shared cache whose value is part of cache keys.

Bumping a counter makes every key built from it unreachable at once, in every worker, without
finding and deleting entries; the old entries simply expire. Each worker trusts its copy of a
counter for ``PAGE_CACHE_GENERATION_MEMO`` seconds, so reading one usually costs nothing: a
bump made through another worker reaches this one at most that much later. While the shared
cache is down there is no counter (``None``): nothing may then be kept on its strength.
"""

import time

from django.conf import settings
from django.core.cache import cache

_counters = []


class Generation:
    def __init__(self, key):
        self.key = key
        self.memo = (None, 0.0)  # this process's copy, and until when it is trusted
        # Set while the shared cache cannot be reached: a bump made meanwhile was lost.
        self.missed = False
        _counters.append(self)

    def current(self):
        """The counter's value, or None while the shared cache cannot be reached."""
        now = time.monotonic()
        value, until = self.memo
        if value is not None and now < until:
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
        self.memo = (value, now + settings.PAGE_CACHE_GENERATION_MEMO)
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
        self.memo = (None, 0.0)


def forget_all():
    """Drop this process's copies of every counter (tests, after clearing the cache)."""
    for counter in _counters:
        counter.forget()
