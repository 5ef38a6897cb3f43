import datetime

import pytest
from django.db import OperationalError, connection

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
