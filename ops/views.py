import datetime
import logging
import sys

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError:
        logger.warning("Health check: the database does not answer", exc_info=True)
        return False


def cache_answers():
    try:
        cache.get("healthz")
    except Exception:
        return False
    return True


@never_cache
@require_safe
def healthz(request):
    """200 while the database answers, 503 while it does not; the cache is only reported,
    because pages still render without it."""
    database_ok = database_answers()
    return JsonResponse(
        {
            "status": "ok" if database_ok else "unavailable",
            "database": "ok" if database_ok else "unavailable",
            "cache": "ok" if cache_answers() else "unavailable",
        },
        status=200 if database_ok else 503,
    )


@cache_control(public=True, max_age=86_400)
@require_safe
def security_txt(request):
    """RFC 9116 contact file for people who find a vulnerability."""
    expires = settings.SECURITY_TXT_EXPIRES or timezone.now() + datetime.timedelta(days=180)
    lines = [
        f"Contact: mailto:{settings.SECURITY_CONTACT_EMAIL}",
        f"Expires: {expires.astimezone(datetime.UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: no, en",
        f"Canonical: {request.build_absolute_uri(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """handler500: a lost database connection is an outage, not a bug, so say 503 and when to
    come back. Rendered without a request context: the nav's query would fail too."""
    if isinstance(sys.exception(), DatabaseError):
        response = HttpResponse(
            loader.render_to_string("503.html"), status=503, content_type="text/html"
        )
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))
