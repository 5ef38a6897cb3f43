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
from django.core.signals import setting_changed
from django.db import DatabaseError
from django.dispatch import receiver
from django.http import HttpResponse, QueryDict
from django.http.request import split_domain_port
from django.utils.cache import patch_cache_control, patch_vary_headers, set_response_etag
from django.utils.http import http_date
from django.utils.module_loading import import_string

from .generations import LOCAL_PAGES, Generation, local_cache
from .middleware import COMPRESSORS, accepted_codings, compress, compressed_body_headers

GENERATION_KEY = "pagecache:generation"
PUBLIC_STATUSES = {200, 301, 404, 410}
STORED_STATUSES = {200, 301}
NO_SCHEDULED_PUBLICATION = 365 * 86_400

pages = Generation(GENERATION_KEY)


def local_pages():
    """This worker's copies of stored pages."""
    return caches[LOCAL_PAGES]


@dataclasses.dataclass(frozen=True)
class PageForm:
    """The page as sent in one content coding: its headers (without Cache-Control, which is
    set when it is served) and its body."""

    headers: dict
    content: bytes


@dataclasses.dataclass(frozen=True)
class StoredPage:
    """A page as the cache keeps it. Every request this worker serves it to shares the object,
    so it never changes once made."""

    status: int
    plain: PageForm
    # The page in brotli and in gzip, for clients that accept them, compressed once when it
    # is stored; no form for a coding that does not make the page smaller.
    compressed: dict  # coding: PageForm
    generation: int
    stored_at: float
    expires: float
    fresh_until: float
    # Kept a little past its expiry: the previous copy that grace serves.
    kept_until: float

    @property
    def size(self):
        return len(self.plain.content) + sum(
            len(form.content) for form in self.compressed.values()
        )

    def form_for(self, request):
        """The form of the page this request's client prefers."""
        for coding in accepted_codings(request):
            if coding in self.compressed:
                return self.compressed[coding]
        return self.plain

    @classmethod
    def of(cls, response, **times):
        headers = {
            name: value
            for name, value in response.headers.items()
            if name.lower() != "cache-control"
        }
        compressed = {}
        if len(response.content) >= 200:
            for coding in COMPRESSORS:
                content = compress(response.content, coding)
                if content is not None:
                    compressed[coding] = content
        if compressed:
            plain = HttpResponse(status=response.status_code, headers=headers)
            patch_vary_headers(plain, ("Accept-Encoding",))
            headers = dict(plain.headers.items())
            # What send_compressed() would make of each form, from the plain form's headers:
            # a response object per form cost about a sixth of what compressing them does.
            compressed = {
                coding: PageForm(
                    {**headers, **compressed_body_headers(headers, content, coding)}, content
                )
                for coding, content in compressed.items()
            }
        return cls(
            status=response.status_code,
            plain=PageForm(headers, response.content),
            compressed=compressed,
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
    if next_at is not None and not 0 < next_at <= now:
        return seconds_left(next_at, now)  # this worker's copy, kept until it expires
    if generation is not None:
        next_at = cache.get(key)
    if next_at is None or 0 < next_at <= now:
        try:
            upcoming = next_change()
        except DatabaseError:
            return 0  # unknown: a page rendered without the database is not kept at all
        next_at = upcoming.timestamp() if upcoming else 0
        if generation is None:
            return seconds_left(next_at, now)  # nothing to keep it under
        cache.set(key, next_at, timeout=lifetime)
    local_cache().set(key, next_at, timeout=lifetime)
    return seconds_left(next_at, now)


def seconds_left(next_at, now):
    """Seconds from ``now`` to the timestamp ``next_at`` (0 for none: None)."""
    return max(0, next_at - now) if next_at else None


def page_key(request):
    """One key per page: tracking parameters and the Host's port left out, the other
    parameters (each name's values in their order) sorted by name."""
    host, _port = split_domain_port(request.get_host())  # refuses hosts not allowed
    return _page_key(request.scheme, host, request.path, request.META.get("QUERY_STRING", ""))


# Readers ask for the same addresses again and again: each one's key is worked out once.
@functools.lru_cache(maxsize=4096)
def _page_key(scheme, host, path, query_string):
    parameters = QueryDict(query_string).lists()
    kept = sorted((name, values) for name, values in parameters if not is_tracking(name))
    address = f"{scheme}://{host}{path}?{urlencode(kept, doseq=True)}"
    # Named for what it holds (a pickled StoredPage with its plain, brotli and gzip forms):
    # during a rolling deploy, workers of a release that stored pages in another form do not
    # read these, nor these workers theirs.
    return f"pagecache:stored-page-forms:{hashlib.sha256(address.encode()).hexdigest()}"


@receiver(setting_changed)
def forget_page_keys(setting, **kwargs):
    if setting == "PAGE_CACHE_IGNORED_PARAMETERS":
        _page_key.cache_clear()


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


def send_form(response, form):
    """Make ``response`` carry the stored ``form`` of itself."""
    response.content = form.content
    for name, value in form.headers.items():
        response.headers[name] = value


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
            entry = self.store(
                key, response, generation, lifetime, fresh_until=time.time() + fresh_for
            )
            send_form(response, entry.form_for(request))  # as compressed for storing
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
        return entry

    @staticmethod
    def cached_response(entry, request, stale=False):
        form = entry.form_for(request)
        response = HttpResponse(form.content, status=entry.status, headers=form.headers)
        # A stale copy is for this moment only: nobody downstream may keep it.
        fresh_for = 0 if stale else math.floor(entry.fresh_until - time.time())
        set_public_cache_control(response, fresh_for)
        return response
