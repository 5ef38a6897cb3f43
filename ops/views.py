import datetime
import sys

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DatabaseError, connection
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseServerError,
    JsonResponse,
)
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .outage import is_outage, outage_log
from .site_url import absolute_url


def database_answers():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DatabaseError as error:
        outage_log.request_refused(error)
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
        f"Canonical: {absolute_url(request.path)}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def server_error(request):
    """handler500: a lost database connection is an outage, not a bug, so say 503 and when to
    come back. Rendered without a request context: the nav's query would fail too. A query
    the database refused (bad input, a bug) is not an outage and keeps the 500 page."""
    error = sys.exception()
    if is_outage(error):
        outage_log.request_refused(error)
        response = HttpResponse(
            loader.render_to_string("503.html"), status=503, content_type="text/html"
        )
        response["Retry-After"] = "30"
        response["Cache-Control"] = "no-store"
        return response
    return HttpResponseServerError(loader.render_to_string("500.html"))


def bad_request(request, exception):
    """handler400. A form too large to read gets a page that tells its editor the text is not
    lost: the browser's Back button shows the form as they left it."""
    if isinstance(exception, (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)):
        response = HttpResponse(
            loader.render_to_string("413.html"), status=413, content_type="text/html"
        )
    else:
        response = HttpResponseBadRequest(loader.render_to_string("400.html"))
    response["Cache-Control"] = "no-store"
    return response
