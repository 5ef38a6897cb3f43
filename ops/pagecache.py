"""Whole-page cache for anonymous readers, invalidated by a content generation counter.

Every stored page's key contains the current generation; saving or deleting any content
model (``PAGE_CACHE_INVALIDATING_APPS``) bumps the generation, so all pages are re-rendered on
their next request and old entries simply expire. Cached pages also expire before the next
scheduled article goes live, so it appears on time on every front that lists it.
"""

import hashlib
import math
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import Min
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control, set_response_etag
from django.utils.http import http_date

from articles.models import Article

from .generations import Generation
from .generations import forget_all as forget_all_generations

GENERATION_KEY = "pagecache:generation"
PUBLIC_STATUSES = {200, 301, 404, 410}
STORED_STATUSES = {200, 301}
NO_SCHEDULED_PUBLICATION = 365 * 86_400


class RecentPages:
    """The most requested pages kept in this process too, sparing a trip to Redis.

    Keys contain the generation, so an edit makes these unreachable like the shared ones.
    """

    def __init__(self, size):
        self.size = size
        self.entries = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key, entry):
        with self.lock:
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self):
        with self.lock:
            self.entries.clear()


pages = Generation(GENERATION_KEY)
recent_pages = RecentPages(settings.PAGE_CACHE_LOCAL_ENTRIES)
# This process's copy of the answer below, for the current generation only.
_next_publication = {}


def content_generation():
    return pages.current()


def forget_local_state():
    forget_all_generations()
    recent_pages.clear()
    _next_publication.clear()


def invalidate_pages():
    """Make every cached page stale. Signals call this; call it after QuerySet.update()."""
    pages.bump()


def invalidate_pages_on_change(sender, **kwargs):
    if sender._meta.app_label in settings.PAGE_CACHE_INVALIDATING_APPS:
        invalidate_pages()


def invalidate_pages_on_relation_change(sender, action, **kwargs):
    if action.startswith("post_"):
        invalidate_pages_on_change(sender)


def seconds_until_next_publication(generation):
    """Seconds until the next scheduled article goes live (None if none is scheduled).

    Scheduling an article bumps the generation, so the answer is cached per generation.
    """
    key = f"pagecache:{generation}:next-publication"
    now = time.time()
    next_at = _next_publication.get(generation)
    if (next_at is None or 0 < next_at <= now) and generation is not None:
        next_at = cache.get(key)
    if next_at is None or 0 < next_at <= now:
        try:
            upcoming = Article.objects.filter(
                status=Article.Status.PUBLISHED, published_at__gt=timezone.now()
            ).aggregate(next_at=Min("published_at"))["next_at"]
        except DatabaseError:
            return 0  # unknown: a page rendered without the database is not kept at all
        next_at = upcoming.timestamp() if upcoming else 0
        if generation is None:
            return max(0, next_at - now) if next_at else None  # nothing to keep it under
        cache.set(key, next_at, timeout=settings.PAGE_CACHE_TIMEOUT or 60)
    _next_publication.clear()
    _next_publication[generation] = next_at
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
            entry = recent_pages.get(key)
            if entry is None:
                entry = cache.get(key)
                if entry is not None:
                    recent_pages.put(key, entry)
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
        recent_pages.put(key, entry)

    @staticmethod
    def cached_response(entry):
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        fresh_until = entry.get("fresh_until", entry["expires"])
        set_public_cache_control(response, math.floor(fresh_until - time.time()))
        return response
