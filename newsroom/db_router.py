"""Reader pages read from the PostgreSQL replica; everything else from the primary.

Only installed when DATABASE_REPLICA_URL is set (newsroom/settings/replica.py). The middleware
decides per request, at the request's first read (a page served from the page cache reads
nothing and costs nothing here):

- the primary for writes (any method but GET/HEAD), the admin and other excluded paths, for
  a browser that wrote within the last REPLICA_WRITE_WINDOW seconds (a short-lived cookie set
  on the answer to a request that changed rows: an editor never misses her own save behind
  replication lag),
  and for everyone for that long after anybody's write (a page re-rendered after an edit must
  not be stored in the page cache from a replica that has not replayed the edit yet);
- the replica otherwise, unless it does not answer: then the primary, and the replica is not
  tried again for REPLICA_RETRY_SECONDS (one failed connection per worker per window, not per
  request).

Outside a request (management commands, tasks, tests) every read goes to the primary.
"""

import contextvars
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections

PRIMARY, REPLICA = "default", "replica"
RECENT_WRITE_COOKIE = "skrev_nettopp"
RECENT_WRITE_KEY = "replica:recent-write"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

logger = logging.getLogger(__name__)
_request = contextvars.ContextVar("request", default=None)


class PrimaryReplicaRouter:
    def db_for_read(self, model, **hints):
        request = _request.get()
        if request is None:
            return PRIMARY
        if not hasattr(request, "read_database"):
            request.read_database = database_for(request)
        return request.read_database

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica is a copy of the primary: the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == PRIMARY


class ReplicaHealth:
    """A circuit breaker: after a failed connection the replica rests for a while."""

    def __init__(self):
        self.resting_until = 0.0

    def available(self):
        if time.monotonic() < self.resting_until:
            return False
        connection = connections[REPLICA]
        try:
            connection.close_if_health_check_failed()
            connection.ensure_connection()
        except DatabaseError as error:
            self.resting_until = time.monotonic() + settings.REPLICA_RETRY_SECONDS
            connection.close()
            logger.warning("Replica unavailable, reading from the primary: %s", error)
            return False
        return True


replica_health = ReplicaHealth()


def wants_primary(request):
    return (
        request.method not in SAFE_METHODS
        or request.path.startswith(tuple(settings.REPLICA_EXCLUDED_PATHS))
        or RECENT_WRITE_COOKIE in request.COOKIES
        or caches["default"].get(RECENT_WRITE_KEY) is not None
    )


def database_for(request):
    if wants_primary(request) or not replica_health.available():
        return PRIMARY
    return REPLICA


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _request.set(request)
        writes = WriteWatcher()
        try:
            with connections[PRIMARY].execute_wrapper(writes):
                response = self.get_response(request)
        finally:
            _request.reset(token)
        if writes.seen:
            remember_write(response)
        return response


class WriteWatcher:
    """Notes whether a request changed rows on the primary (a failed form changes none)."""

    WRITES = ("INSERT", "UPDATE", "DELETE")

    def __init__(self):
        self.seen = False

    def __call__(self, execute, sql, params, many, context):
        if not self.seen and sql.lstrip()[:6].upper() in self.WRITES:
            self.seen = True
        return execute(sql, params, many, context)


def remember_write(response):
    window = settings.REPLICA_WRITE_WINDOW
    caches["default"].set(RECENT_WRITE_KEY, 1, timeout=window)
    response.set_cookie(
        RECENT_WRITE_COOKIE,
        "1",
        max_age=window,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
