import functools

import brotli
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers


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


class PublicCompressionMiddleware(GZipMiddleware):
    """Compress only responses that every anonymous reader gets alike: brotli for browsers
    that accept ``br``, gzip (Django's own) for the rest.

    BREACH reads a secret (a CSRF token, a session's page) from the size of a compressed
    response that also echoes attacker-chosen text. The page cache marks exactly the pages
    without secrets ``Cache-Control: public``; everything else (the admin, logged-in
    colleagues, forms with a CSRF token) is ``private`` and is sent uncompressed, and so is
    any response that sets a cookie. Sits above the page cache, which keeps the brotli form of
    each page it stores (``brotli_compressed``) and serves that itself to browsers that accept
    it; this middleware then leaves it alone.
    """

    def process_response(self, request, response):
        if not is_public(response) or response.cookies:
            return response
        if response.streaming or not accepts_encoding(request, "br"):
            return super().process_response(request, response)
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli_compressed(response.content)
        if compressed is not None:
            send_brotli(response, compressed)
        return response


# Quality 5 gets within a few per cent of brotli's best at a fraction of its time: pages the
# page cache does not keep are compressed on every request.
BROTLI_QUALITY = 5


def brotli_compressed(content):
    """``content`` compressed with brotli, or None if that does not make it smaller."""
    compressed = brotli.compress(content, mode=brotli.MODE_TEXT, quality=BROTLI_QUALITY)
    return compressed if len(compressed) < len(content) else None


def send_brotli(response, compressed):
    """Make ``response`` carry ``compressed``, its body in brotli."""
    patch_vary_headers(response, ("Accept-Encoding",))
    response.content = compressed
    response.headers["Content-Length"] = str(len(compressed))
    # The compressed body differs byte for byte: a strong ETag must become weak (RFC 9110).
    etag = response.get("ETag")
    if etag and etag.startswith('"'):
        response.headers["ETag"] = "W/" + etag
    response.headers["Content-Encoding"] = "br"


def is_public(response):
    directives = {
        part.split("=")[0].strip().lower() for part in response.get("Cache-Control", "").split(",")
    }
    return "public" in directives


def accepts_encoding(request, coding):
    """Whether Accept-Encoding names ``coding`` (or ``*``) without refusing it by ``q=0``."""
    accepted = {}
    for item in request.headers.get("Accept-Encoding", "").split(","):
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
