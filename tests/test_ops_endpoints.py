import datetime
import logging

import pytest
from django.db import DataError, OperationalError, connection
from django.db.backends.signals import connection_created

from tests.factories import ArticleFactory
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)


def test_healthz_answers_200_while_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"
    assert "no-store" in response.headers["Cache-Control"]


def test_healthz_answers_503_when_the_database_does_not(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"
    assert "no-store" in response.headers["Cache-Control"]


def test_reader_gets_a_friendly_503_page_during_a_database_outage(client, database_down):
    client.raise_request_exception = False
    article = ArticleFactory.build(published=True, slug="noe")
    response = client.get(f"/{article.section.slug}/2023/09/12/noe/")

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "no-store" in response.headers["Cache-Control"]
    page = response.content.decode()
    assert texts(page, "h1") == ["Vi er straks tilbake"]
    assert "Traceback" not in page
    assert 'rel="stylesheet"' in page


def test_other_errors_still_get_the_500_page(client, monkeypatch):
    def crash(*args, **kwargs):
        raise ValueError("bug")

    monkeypatch.setattr("articles.views.FrontPageView.get_context_data", crash)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert texts(response.content.decode(), "h1") == ["Noe gikk galt"]


def test_a_query_the_database_refuses_is_a_bug_not_an_outage(client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise DataError("invalid input")

    monkeypatch.setattr("articles.views.FrontPageView.get_context_data", refuse)
    client.raise_request_exception = False
    response = client.get("/")
    assert response.status_code == 500
    assert texts(response.content.decode(), "h1") == ["Noe gikk galt"]
    # A bug keeps its traceback in the log.
    assert [record.exc_info[0] for record in caplog.records if record.exc_info] == [DataError]


def outage_lines(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "ops.outage"]


def test_an_outage_is_logged_once_with_its_start_end_and_refused_requests(
    client, database_down, monkeypatch, caplog
):
    caplog.set_level(logging.INFO)
    client.raise_request_exception = False
    statuses = [client.get(path).status_code for path in ["/", "/sok/?q=ferje"] * 10]
    statuses.append(client.get("/healthz").status_code)

    assert set(statuses) == {503}
    assert [record for record in caplog.records if record.exc_info] == []
    [began] = outage_lines(caplog)
    assert began.startswith("Database outage began at ")
    assert "connection refused" in began

    monkeypatch.undo()  # the database is back: the next request's new connection says so
    connection_created.send(sender=type(connection), connection=connection)
    connection_created.send(sender=type(connection), connection=connection)

    _, over = outage_lines(caplog)
    assert over.startswith("Database outage over: from ")
    assert over.endswith("refused requests: 21")
    assert len(caplog.text) < 2_000


def test_each_outage_gets_its_own_lines(client, monkeypatch, caplog):
    def connection_lost(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    client.raise_request_exception = False
    for _ in range(2):
        with monkeypatch.context() as down:
            down.setattr(connection, "cursor", connection_lost)
            assert client.get("/").status_code == 503
        connection_created.send(sender=type(connection), connection=connection)

    lines = outage_lines(caplog)
    assert [line.split(" at ")[0].split(":")[0] for line in lines] == [
        "Database outage began",
        "Database outage over",
        "Database outage began",
        "Database outage over",
    ]
    assert lines[1].endswith("refused requests: 1")
    assert lines[3].endswith("refused requests: 1")


def test_security_txt_follows_rfc_9116(client):
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines() if line)
    assert fields["Contact"].startswith("mailto:")
    assert fields["Preferred-Languages"] == "no, en"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    expires = datetime.datetime.fromisoformat(fields["Expires"])
    now = datetime.datetime.now(datetime.UTC)
    assert now < expires < now + datetime.timedelta(days=366)
