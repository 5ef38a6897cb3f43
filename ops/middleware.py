from django.middleware.gzip import GZipMiddleware


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Other sites may not embed our pages, scripts or images (Spectre-class leaks).
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Gzip only responses that every anonymous reader gets alike.

    BREACH reads a secret (a CSRF token, a session's page) from the size of a compressed
    response that also echoes attacker-chosen text. The page cache marks exactly the pages
    without secrets ``Cache-Control: public``; everything else (the admin, logged-in
    colleagues, forms with a CSRF token) is ``private`` and is sent uncompressed. Sits above
    the page cache, which therefore stores and serves uncompressed pages.
    """

    def process_response(self, request, response):
        directives = {
            part.split("=")[0].strip().lower()
            for part in response.get("Cache-Control", "").split(",")
        }
        if "public" not in directives:
            return response
        return super().process_response(request, response)
