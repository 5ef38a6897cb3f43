import functools

import brotli
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.conf.urls.i18n import is_language_prefix_patterns_used
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.messages.storage import default_storage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware import http
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers, set_response_etag
from django.utils.functional import SimpleLazyObject, empty
from django.utils.text import compress_string


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Other sites may not embed our pages, scripts or images (Spectre-class leaks).
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the site's policy built once per process.

    django-csp builds both headers (enforced and report-only) from settings for every
    response, about a fifth of the CPU of a page-cache hit. Without a nonce or a view's own
    policy (django-csp's decorators) they are the same for every response; a response with
    either still goes through django-csp.
    """

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in VIEW_POLICY_ATTRIBUTES
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # Django's debug pages, as django-csp leaves them
        for header, policy, excluded_prefixes in site_policies():
            if header not in response and not request.path_info.startswith(excluded_prefixes):
                response.headers[header] = policy
        # As django-csp does: a nonce asked for after this cannot be in the header any more.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


# What django-csp's decorators leave on a response (csp.decorators).
VIEW_POLICY_ATTRIBUTES = tuple(
    f"_csp_{kind}{suffix}"
    for kind in ("config", "update", "replace", "exempt")
    for suffix in ("", "_ro")
)


@functools.cache
def site_policies():
    """(header, policy, excluded path prefixes) for each policy the settings define."""
    policies = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        policy = build_policy(report_only=report_only)
        if policy:
            options = getattr(settings, setting, None) or {}
            policies.append((header, policy, tuple(options.get("EXCLUDE_URL_PREFIXES") or ())))
    return tuple(policies)


@receiver(setting_changed)
def forget_site_policies(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        site_policies.cache_clear()


class SingleLanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, shorter for a site in one language without language
    prefixes in its URLs: every request gets that language, whatever its cookie or
    Accept-Language say, so there is nothing to read from the request (Django's reads the
    path twice, the cookie and the header on every request). The response's headers are
    Django's: ``Vary: Accept-Language`` and ``Content-Language``."""

    def process_request(self, request):
        if not self.one_language(request):
            return super().process_request(request)
        translation.activate(settings.LANGUAGE_CODE)
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if not self.one_language(request):
            return super().process_response(request, response)
        if "Vary" in response.headers:
            patch_vary_headers(response, ("Accept-Language",))
        else:
            response.headers["Vary"] = "Accept-Language"  # what patch_vary_headers would set
        response.headers.setdefault("Content-Language", translation.get_language())
        return response

    @staticmethod
    def one_language(request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        return [code for code, name in settings.LANGUAGES] == [
            settings.LANGUAGE_CODE
        ] and not is_language_prefix_patterns_used(urlconf)[0]


class LazyMessageMiddleware(MessageMiddleware):
    """Django's MessageMiddleware, building a request's message storage (a cookie signer and
    a session store) only when the request reads or adds a message, as the admin does and
    readers' pages never do. A storage nobody touched has nothing to store on the response."""

    def process_request(self, request):
        request._messages = SimpleLazyObject(lambda: default_storage(request))

    def process_response(self, request, response):
        messages = getattr(request, "_messages", None)
        if isinstance(messages, SimpleLazyObject) and messages._wrapped is empty:
            return response
        return super().process_response(request, response)


class ConditionalGetMiddleware(http.ConditionalGetMiddleware):
    """Django's, without reading the response's dates for the requests (nearly all) that ask
    nothing conditional: it then only adds the ETag, as Django's does."""

    def process_response(self, request, response):
        if request.method == "GET" and request.META.keys().isdisjoint(CONDITIONAL_HEADERS):
            if not response.has_header("ETag") and self.needs_etag(response):
                set_response_etag(response)
            return response
        return super().process_response(request, response)


CONDITIONAL_HEADERS = frozenset(
    ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")
)


class PublicCompressionMiddleware(GZipMiddleware):
    """Compress only responses that every anonymous reader gets alike: brotli for browsers
    that accept ``br``, gzip for the rest that accept it.

    BREACH reads a secret (a CSRF token, a session's page) from the size of a compressed
    response that also echoes attacker-chosen text. The page cache marks exactly the pages
    without secrets ``Cache-Control: public``; everything else (the admin, logged-in
    colleagues, forms with a CSRF token) is ``private`` and is sent uncompressed, and so is
    any response that sets a cookie. Sits above the page cache, which keeps the compressed
    forms of each page it stores (``compress``) and serves them itself; this middleware then
    leaves them alone.
    """

    def process_response(self, request, response):
        if response.has_header("Content-Encoding") or not is_public(response) or response.cookies:
            return response
        if response.streaming:
            return super().process_response(request, response)  # Django's gzip, as it streams
        if len(response.content) < 200:
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        preferred = next(iter(accepted_codings(request)), None)
        content = compress(response.content, preferred) if preferred else None
        if content is not None:
            send_compressed(response, content, preferred)
        return response


# Quality 5 gets within a few per cent of brotli's best at a fraction of its time: pages the
# page cache does not keep are compressed on every request. A 64 KiB window (brotli's default
# is 4 MiB) holds a whole page: the same size, and a tenth less time on a first render.
BROTLI_QUALITY = 5
BROTLI_WINDOW_BITS = 16
COMPRESSORS = {
    "br": lambda content: brotli.compress(
        content, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY, lgwin=BROTLI_WINDOW_BITS
    ),
    # Without Django's random bytes against BREACH: public responses hold no secret.
    "gzip": compress_string,
}


def compress(content, coding):
    """``content`` compressed in ``coding`` (br or gzip), or None if that does not make it
    smaller."""
    smaller = COMPRESSORS[coding](content)
    return smaller if len(smaller) < len(content) else None


def send_compressed(response, content, coding):
    """Make ``response`` carry ``content``, its body compressed in ``coding``."""
    patch_vary_headers(response, ("Accept-Encoding",))
    response.content = content
    for name, value in compressed_body_headers(response.headers, content, coding).items():
        response.headers[name] = value


def compressed_body_headers(headers, content, coding):
    """What changes in ``headers`` when the body is ``content``, compressed in ``coding``."""
    changed = {"Content-Length": str(len(content)), "Content-Encoding": coding}
    # The compressed body differs byte for byte: a strong ETag must become weak (RFC 9110).
    etag = headers.get("ETag")
    if etag and etag.startswith('"'):
        changed["ETag"] = "W/" + etag
    return changed


def is_public(response):
    directives = {
        part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")
    }
    return "public" in directives


def accepted_codings(request):
    """Of brotli and gzip, those the request accepts, in that order of preference."""
    return _accepted_codings(request.META.get("HTTP_ACCEPT_ENCODING", ""))


# Browsers send a handful of different headers: each is read once.
@functools.lru_cache(maxsize=256)
def _accepted_codings(accept_encoding):
    return tuple(coding for coding in COMPRESSORS if _accepts_encoding(accept_encoding, coding))


def _accepts_encoding(accept_encoding, coding):
    """Whether Accept-Encoding names ``coding`` (or ``*``) without refusing it by ``q=0``."""
    accepted = {}
    for item in accept_encoding.split(","):
        name, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        accepted[name.lower()] = quality
    return accepted.get(coding, accepted.get("*", 0.0)) > 0
