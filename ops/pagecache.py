"""Whole-page cache for anonymous readers, invalidated by a content generation counter.

Every stored page's key contains the current generation (``pages``); whoever owns the content
bumps it when something readers see changes (in this site, ``articles/freshness.py``), so all
pages are re-rendered on their next request and old entries simply expire. Cached pages also
expire before the next moment the site says its pages change without a save
(``PAGE_CACHE_NEXT_CHANGE``, e.g. a scheduled article going live), so that change appears on
time on every page.

This package knows nothing of the site's models: it is fed through that setting and the
``pages`` generation. The shared copies live in the ``default`` cache and each worker's copies
in the ``pages`` one (``PAGE_CACHE_LOCAL_BYTES``), unpickled: a page served from this worker's
memory is not copied, decoded or compressed again. Django's own cache middleware is not used:
it cannot key pages by a generation, cap their lifetime at the next scheduled change, or serve
editors uncached.
"""

import dataclasses
import functools
import hashlib
import math
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache, caches
from django.db import DatabaseError
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date
from django.utils.module_loading import import_string

from .generations import LOCAL_PAGES, Generation, local_cache
from .middleware import accepts_encoding, brotli_compressed, send_brotli

GENERATION_KEY = "pagecache:generation"
PUBLIC_STATUSES = {200, 301, 404, 410}
STORED_STATUSES = {200, 301}
NO_SCHEDULED_PUBLICATION = 365 * 86_400

pages = Generation(GENERATION_KEY)


def local_pages():
    """This worker's copies of stored pages."""
    return caches[LOCAL_PAGES]


@dataclasses.dataclass(frozen=True)
class StoredPage:
    """A page as the cache keeps it. Every request this worker serves it to shares the object,
    so it never changes once made."""

    status: int
    headers: tuple  # (name, value) pairs, without Cache-Control (set when it is served)
    content: bytes
    # The same page in brotli, with its own headers, for browsers that accept it; None when
    # brotli does not make the page smaller.
    brotli_headers: tuple
    brotli: bytes | None
    generation: int
    stored_at: float
    expires: float
    fresh_until: float
    # Kept a little past its expiry: the previous copy that grace serves.
    kept_until: float

    @property
    def size(self):
        return len(self.content) + len(self.brotli or b"")

    @classmethod
    def of(cls, response, **times):
        headers = tuple(
            (name, value)
            for name, value in response.headers.items()
            if name.lower() != "cache-control"
        )
        compressed = brotli_compressed(response.content) if len(response.content) >= 200 else None
        brotli_headers = ()
        if compressed is not None:
            as_brotli = HttpResponse(status=response.status_code, headers=dict(headers))
            send_brotli(as_brotli, compressed)
            brotli_headers = tuple(as_brotli.headers.items())
        return cls(
            status=response.status_code,
            headers=headers,
            content=response.content,
            brotli_headers=brotli_headers,
            brotli=compressed,
            **times,
        )


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


def page_key(request):
    """One key per page: tracking parameters and the Host's port left out, the other
    parameters (each name's values in their order) sorted by name."""
    host, _port = split_domain_port(request.get_host())
    kept = sorted((name, values) for name, values in request.GET.lists() if not is_tracking(name))
    address = f"{request.scheme}://{host}{request.path}?{urlencode(kept, doseq=True)}"
    # Named for what it holds (a pickled StoredPage): during a rolling deploy, workers of a
    # release that stored pages in another form do not read these, nor these workers theirs.
    return f"pagecache:stored-page:{hashlib.sha256(address.encode()).hexdigest()}"


def is_tracking(name):
    """A parameter only analytics read (``PAGE_CACHE_IGNORED_PARAMETERS``; ``x_*`` is a
    prefix): no page shows anything different for it."""
    return any(
        name.startswith(pattern[:-1]) if pattern.endswith("*") else name == pattern
        for pattern in settings.PAGE_CACHE_IGNORED_PARAMETERS
    )


def is_fresh(entry, generation):
    return entry.generation >= generation and entry.expires > time.time()


def may_serve_stale(entry, generation):
    """Within grace: replaced by soft changes only, at most PAGE_CACHE_GRACE seconds ago."""
    stale_for = time.time() - entry.expires
    if entry.generation < generation:
        replaced = pages.seconds_since_soft_replacement(entry.generation)
        if replaced is None:
            return False
        stale_for = max(stale_for, replaced)
    return stale_for <= settings.PAGE_CACHE_GRACE


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
    """What browsers and CDNs may keep, at most ``lifetime`` seconds (``response`` has no
    Cache-Control yet: a response that chose its own is never public)."""
    policy = settings.PAGE_CACHE_CONTROL
    response.headers["Cache-Control"] = (
        f"public, max-age={min(policy['max_age'], lifetime)}, "
        f"s-maxage={min(policy['s_maxage'], lifetime)}, "
        f"stale-while-revalidate={policy['stale_while_revalidate']}, "
        f"stale-if-error={policy['stale_if_error']}"
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

        key = lock = None
        generation = content_generation()
        if settings.PAGE_CACHE_TIMEOUT and generation is not None:
            key = page_key(request)
            entry = self.lookup(key, generation)
            if entry is not None and is_fresh(entry, generation):
                return self.cached_response(entry, request)
            if entry is not None and may_serve_stale(entry, generation):
                lock = f"{key}:rendering"
                if not cache.add(lock, True, timeout=settings.PAGE_CACHE_GRACE):
                    return self.cached_response(entry, request, stale=True)  # another renders
        try:
            return self.render(request, key, generation)
        finally:
            if lock:
                cache.delete(lock)

    def render(self, request, key, generation):
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
            self.store(key, response, generation, lifetime, fresh_until=time.time() + fresh_for)
        return response

    @staticmethod
    def lookup(key, generation):
        """This worker's copy if it is current, else the shared one if that is newer."""
        entry = local_pages().get(key)
        if entry is not None and is_fresh(entry, generation):
            return entry
        shared = cache.get(key)
        if shared is not None and (entry is None or shared.stored_at > entry.stored_at):
            local_pages().set(key, shared, timeout=shared.kept_until - time.time())
            return shared
        return entry

    @staticmethod
    def seconds_fresh(generation):
        """How long anyone may keep this page: until the next scheduled article goes live."""
        until_publication = seconds_until_next_publication(generation)
        if until_publication is None:
            return NO_SCHEDULED_PUBLICATION
        return math.floor(until_publication)

    @staticmethod
    def store(key, response, generation, lifetime, fresh_until):
        if response.status_code == 200:
            set_response_etag(response)
            response["Last-Modified"] = http_date()
        now = time.time()
        entry = StoredPage.of(
            response,
            generation=generation,
            stored_at=now,
            expires=now + lifetime,
            fresh_until=fresh_until,
            kept_until=now + lifetime + settings.PAGE_CACHE_GRACE,
        )
        cache.set(key, entry, timeout=lifetime + settings.PAGE_CACHE_GRACE)
        local_pages().set(key, entry, timeout=lifetime + settings.PAGE_CACHE_GRACE)

    @staticmethod
    def cached_response(entry, request, stale=False):
        if entry.brotli is not None and accepts_encoding(request, "br"):
            response = HttpResponse(entry.brotli, status=entry.status)
            headers = entry.brotli_headers
        else:
            response = HttpResponse(entry.content, status=entry.status)
            headers = entry.headers
        for name, value in headers:
            response.headers[name] = value
        # A stale copy is for this moment only: nobody downstream may keep it.
        fresh_for = 0 if stale else math.floor(entry.fresh_until - time.time())
        set_public_cache_control(response, fresh_for)
        return response
