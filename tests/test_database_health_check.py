"""A reused PostgreSQL connection is checked without a round trip while it is quiet
(newsroom/postgresql/base.py), and a connection the server ended never fails a reader.

Requests go through the WSGI handler as gunicorn calls it: the test client leaves out the
start and end of a request, where Django decides which connections to check.
"""

import psycopg
import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections
from django.test import RequestFactory

from newsroom.postgresql.base import DatabaseWrapper
from tests.factories import ArticleFactory

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend's"),
    pytest.mark.django_db(transaction=True),
]


def read_front_page():
    return read("/")


def read(path):
    statuses = []
    environ = RequestFactory().get(path).environ
    response = WSGIHandler()(environ, lambda status, headers, *args: statuses.append(status))
    try:
        b"".join(response)
    finally:
        response.close()  # the end of the request
    return statuses[0]


@pytest.fixture
def round_trips(monkeypatch):
    """How many times a health check asked PostgreSQL ``SELECT 1``."""
    asked = []
    is_usable = DatabaseWrapper.is_usable

    def counted(self):
        asked.append(1)
        return is_usable(self)

    monkeypatch.setattr(DatabaseWrapper, "is_usable", counted)
    return asked


def backend_pid():
    return connection.connection.info.backend_pid


def test_the_site_uses_the_backend_with_the_quiet_health_check():
    assert isinstance(connections["default"], DatabaseWrapper)
    assert connection.health_check_enabled


def test_a_quiet_connection_serves_readers_without_select_1(round_trips):
    assert read_front_page() == "200 OK"
    pid = backend_pid()
    for _ in range(3):
        assert read_front_page() == "200 OK"
    assert round_trips == []
    assert backend_pid() == pid  # the same connection, reused


def test_a_connection_not_checked_for_a_while_is_asked_select_1(round_trips, settings):
    assert read_front_page() == "200 OK"
    settings.DATABASE_HEALTH_CHECK_SECONDS = 0
    assert read_front_page() == "200 OK"
    assert read_front_page() == "200 OK"
    assert len(round_trips) == 2  # once a request, as Django's own check


def test_a_connection_the_server_ended_is_replaced_before_a_readers_query(round_trips):
    assert read_front_page() == "200 OK"
    pid = backend_pid()
    with psycopg.connect(**connection.get_connection_params()) as other:
        # As a restart or an idle timeout would; waits until that backend has gone.
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    assert read_front_page() == "200 OK"
    assert backend_pid() != pid
    assert len(round_trips) == 1  # the goodbye on the socket asked for the check


def test_an_article_page_whose_first_queries_are_prepared_replaces_an_ended_connection(
    round_trips, settings
):
    settings.PAGE_CACHE_TIMEOUT = 0
    first, second = ArticleFactory.create_batch(2, published=True)
    assert read(first.get_absolute_url()) == "200 OK"
    pid = backend_pid()
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    assert read(second.get_absolute_url()) == "200 OK"
    assert backend_pid() != pid
