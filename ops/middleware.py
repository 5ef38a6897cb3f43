import brotli
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


class PublicCompressionMiddleware(GZipMiddleware):
    """Compress only responses that every anonymous reader gets alike: brotli for browsers
    that accept ``br``, gzip (Django's own) for the rest.

    BREACH reads a secret (a CSRF token, a session's page) from the size of a compressed
    response that also echoes attacker-chosen text. The page cache marks exactly the pages
    without secrets ``Cache-Control: public``; everything else (the admin, logged-in
    colleagues, forms with a CSRF token) is ``private`` and is sent uncompressed, and so is
    any response that sets a cookie. Sits above the page cache, which therefore stores and
    serves uncompressed pages.
    """

    # Pages are compressed on every request (the page cache keeps them plain): quality 5
    # gets within a few per cent of brotli's best at a fraction of its time.
    brotli_quality = 5

    def process_response(self, request, response):
        if not is_public(response) or response.cookies:
            return response
        if response.streaming or not accepts_encoding(request, "br"):
            return super().process_response(request, response)
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        compressed = brotli.compress(
            response.content, mode=brotli.MODE_TEXT, quality=self.brotli_quality
        )
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        # The compressed body differs byte for byte: a strong ETag must become weak (RFC 9110).
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response


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
