import dataclasses

from csp.middleware import CSPMiddleware
from csp.utils import default_config
from django.conf import settings


class SecurityHeadersMiddleware:
    """Headers Django's SecurityMiddleware does not set itself."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # Other sites may not embed our pages, scripts or images (Spectre-class leaks).
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response


class PathAwareCSPMiddleware(CSPMiddleware):
    """django-csp with a second policy for the admin, whose widgets need a little more.

    ``CONTENT_SECURITY_POLICY_BY_PATH`` maps a path prefix to a directives dict that replaces
    the site-wide ``CONTENT_SECURITY_POLICY`` for responses under that prefix. A view's own
    ``@csp_override``/``@csp_update`` decorators still win.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if report_only or parts.config is not None:
            return parts
        for prefix, directives in settings.CONTENT_SECURITY_POLICY_BY_PATH.items():
            if request.path_info.startswith(prefix):
                return dataclasses.replace(parts, config=default_config(directives))
        return parts
