"""Whole-page cache for anonymous readers, invalidated by a content generation counter.

Every stored page's key contains the current generation (``pages``); whoever owns the content
bumps it when something readers see changes (in this site, ``articles/freshness.py``), so all
pages are re-rendered on their next request and old entries simply expire. Cached pages also
expire before the next moment the site says its pages change without a save
(``PAGE_CACHE_NEXT_CHANGE``, e.g. a scheduled article going live), so that change appears on
time on every page.

This package knows nothing of the site's models: it is fed through that setting and the
``pages`` generation. The shared copies live in the ``default`` cache and each worker's copies
in the ``local`` one. Django's own cache middleware is not used: it cannot key pages by a
generation, cap their lifetime at the next scheduled change, or serve editors uncached.
"""

import functools
import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.module_loading import import_string

from .generations import Generation, local_cache

GENERATION_KEY = "pagecache:generation"
PUBLIC_STATUSES = {200, 301, 404, 410}
STORED_STATUSES = {200, 301}
NO_SCHEDULED_PUBLICATION = 365 * 86_400

pages = Generation(GENERATION_KEY)


def content_generation():
    return pages.current()


@functools.cache
def _next_change_hook(path):
    return import_string(path)


def next_change():
    """When pages next change without a save (a datetime), or None: the site's answer."""
    return _next_change_hook(settings.PAGE_CACHE_NEXT_CHANGE)()


def seconds_until_next_publication(generation):
    """Seconds until the next scheduled change goes live (None if none is scheduled).

    Scheduling bumps the generation, so the answer is kept per generation: in the shared
    cache, and in this worker's memory.
    """
    key = f"pagecache:{generation}:next-publication"
    lifetime = settings.PAGE_CACHE_TIMEOUT or 60
    now = time.time()
    next_at = local_cache().get(key)
    if (next_at is None or 0 < next_at <= now) and generation is not None:
        next_at = cache.get(key)
    if next_at is None or 0 < next_at <= now:
        try:
            upcoming = next_change()
        except DatabaseError:
            return 0  # unknown: a page rendered without the database is not kept at all
        next_at = upcoming.timestamp() if upcoming else 0
        if generation is None:
            return max(0, next_at - now) if next_at else None  # nothing to keep it under
        cache.set(key, next_at, timeout=lifetime)
    local_cache().set(key, next_at, timeout=lifetime)
    return max(0, next_at - now) if next_at else None


def is_anonymous_read(request):
    """A reader without a session: what they see is what every anonymous reader sees."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and not request.path_info.startswith(tuple(settings.PAGE_CACHE_EXCLUDED_PATHS))
    )


def is_public(response):
    return (
        response.status_code in PUBLIC_STATUSES
        and not response.streaming
        and not response.cookies
        and not response.has_header("Cache-Control")
        and "cookie" not in response.get("Vary", "").lower()
    )


def drop_single_language_vary(response):
    # LocaleMiddleware varies every response on Accept-Language; with one language the page
    # cannot differ, and the header would split a CDN's cache by browser language.
    if len(settings.LANGUAGES) > 1 or not response.has_header("Vary"):
        return
    kept = [
        value.strip()
        for value in response["Vary"].split(",")
        if value.strip().lower() != "accept-language"
    ]
    if kept:
        response["Vary"] = ", ".join(kept)
    else:
        del response["Vary"]


def set_public_cache_control(response, lifetime):
    policy = settings.PAGE_CACHE_CONTROL
    patch_cache_control(
        response,
        public=True,
        max_age=min(policy["max_age"], lifetime),
        s_maxage=min(policy["s_maxage"], lifetime),
        stale_while_revalidate=policy["stale_while_revalidate"],
        stale_if_error=policy["stale_if_error"],
    )


class PageCacheMiddleware:
    """Serve anonymous GETs of public pages from the cache and tell CDNs how long to keep them.

    Never stored and marked ``private``: requests with a session (editors, previews, the
    admin), responses that set a cookie, vary on cookies or chose their own Cache-Control
    (``never_cache`` views, drafts).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            response = self.get_response(request)
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response

        key = None
        generation = content_generation()
        if settings.PAGE_CACHE_TIMEOUT and generation is not None:
            key = self.page_key(request, generation)
            entry = local_cache().get(key)
            if entry is None:
                entry = cache.get(key)
                if entry is not None:
                    local_cache().set(key, entry, timeout=entry["expires"] - time.time())
            if entry is not None and entry["expires"] > time.time():
                return self.cached_response(entry)

        response = self.get_response(request)
        if not is_public(response):
            if not response.has_header("Cache-Control"):
                patch_cache_control(response, private=True)
            return response

        fresh_for = self.seconds_fresh(generation)
        drop_single_language_vary(response)
        set_public_cache_control(response, fresh_for)
        lifetime = min(settings.PAGE_CACHE_TIMEOUT, fresh_for)
        if key and lifetime >= 1 and response.status_code in STORED_STATUSES:
            self.store(key, response, lifetime, fresh_until=time.time() + fresh_for)
        return response

    @staticmethod
    def page_key(request, generation):
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        return f"pagecache:{generation}:page:{address}"

    @staticmethod
    def seconds_fresh(generation):
        """How long anyone may keep this page: until the next scheduled article goes live."""
        until_publication = seconds_until_next_publication(generation)
        if until_publication is None:
            return NO_SCHEDULED_PUBLICATION
        return math.floor(until_publication)

    @staticmethod
    def store(key, response, lifetime, fresh_until):
        if response.status_code == 200:
            set_response_etag(response)
            response["Last-Modified"] = http_date()
        entry = {
            "status": response.status_code,
            "headers": [
                (name, value)
                for name, value in response.headers.items()
                if name.lower() != "cache-control"
            ],
            "content": response.content,
            "expires": time.time() + lifetime,
            "fresh_until": fresh_until,
        }
        cache.set(key, entry, timeout=lifetime)
        local_cache().set(key, entry, timeout=lifetime)

    @staticmethod
    def cached_response(entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        fresh_until = entry.get("fresh_until", entry["expires"])
        set_public_cache_control(response, math.floor(fresh_until - time.time()))
        return response
