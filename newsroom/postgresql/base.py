"""Django's PostgreSQL backend, with a health check that costs no round trip while the
connection is quiet.

Django's ``CONN_HEALTH_CHECKS`` sends ``SELECT 1`` before the first query of every request
that reuses a connection: a round trip that cost a tenth of the CPU of an article rendered
from its cached pieces (bench/profile_pieces.py), and PostgreSQL's time besides. A server
that ends a connection (a restart, ``pg_terminate_backend``, an idle timeout, a crashed
backend) sends its goodbye or closes the socket, which the client then has something to read
on; an idle connection in autocommit has nothing to read otherwise. So ``SELECT 1`` is sent
only when the socket has something to read, or when the connection has not passed a check
for ``DATABASE_HEALTH_CHECK_SECONDS``: a host that vanished without a word (a reboot, a
failover to the same address) is caught by that.
"""

import select
import time

from django.conf import settings
from django.db.backends.postgresql import base


class DatabaseWrapper(base.DatabaseWrapper):
    checked_at = 0.0  # time.monotonic() of connecting, or of the last SELECT 1 that passed

    def connect(self):
        super().connect()
        self.checked_at = time.monotonic()

    def close_if_health_check_failed(self):
        due = (
            self.connection is not None
            and self.health_check_enabled
            and not self.health_check_done
            and not self.pool
        )
        if due and self.recently_checked() and self.quiet():
            self.health_check_done = True
            return
        super().close_if_health_check_failed()
        if due and self.connection is not None:
            self.checked_at = time.monotonic()

    def recently_checked(self):
        return time.monotonic() - self.checked_at < settings.DATABASE_HEALTH_CHECK_SECONDS

    def quiet(self):
        """Whether the server has sent nothing since its last answer, as on an idle
        connection; one poll of the socket, no round trip."""
        try:
            poll = select.poll()
            poll.register(self.connection.fileno(), select.POLLIN)
            return not poll.poll(0)
        except (OSError, ValueError, base.Database.Error):
            return False  # no socket any more: SELECT 1 decides
