"""Database outages: told apart from queries the database refused, and logged once each.

A lost or refused connection is an outage (``OperationalError``, ``InterfaceError``); any
other database error comes from the query (bad input, a bug) and is not. During an outage
every request would otherwise log its own traceback; instead each worker logs one line when
its first request is refused and one when the database answers again, with the count.
"""

import logging
import threading
import time

from django.db import InterfaceError, OperationalError
from django.utils import timezone

logger = logging.getLogger(__name__)


def is_outage(error):
    return isinstance(error, (OperationalError, InterfaceError))


class OutageLog:
    """This worker's current outage: when it began and how many requests it refused."""

    def __init__(self):
        self.lock = threading.Lock()
        self.started_at = None
        self.began = 0.0  # time.monotonic() at the start, for the duration
        self.refused = 0

    def request_refused(self, error):
        with self.lock:
            self.refused += 1
            if self.started_at is not None:
                return
            self.started_at, self.began = timezone.now(), time.monotonic()
            started_at = self.started_at
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        logger.error("Database outage began at %s: %s", _clock(started_at), reason)

    def database_answered(self, **kwargs):
        with self.lock:
            if self.started_at is None:
                return
            started_at, refused = self.started_at, self.refused
            seconds = time.monotonic() - self.began
            self.started_at, self.refused = None, 0
        logger.warning(
            "Database outage over: from %s to %s (%.1f s), refused requests: %d",
            _clock(started_at),
            _clock(timezone.now()),
            seconds,
            refused,
        )


class WithoutOutageResponses(logging.Filter):
    """Drops Django's line (and traceback) per refused request: OutageLog counts them. Only
    outages answer 503 (the outage page, a failing health check)."""

    def filter(self, record):
        refused = getattr(record, "status_code", None) == 503
        return not (refused or (record.exc_info and is_outage(record.exc_info[1])))


def _clock(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


outage_log = OutageLog()
