"""Nothing an editor types breaks an admin page, and a refused form never loses their text."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from articles.models import BODY_MAX_LENGTH
from tests.admin_helpers import change_url, error_text, open_change_form
from tests.factories import ArticleFactory, PersonFactory
from tests.forms import form_data
from tests.html import texts

pytestmark = pytest.mark.django_db

# What an editor pastes: Norwegian letters (two bytes each in UTF-8), en dashes and «».
NORWEGIAN = "Blåbærsyltetøy på brødskiva – «særlig søndag» – gjør været grått til gull.\n\n"
ODD_TERMS = ["\x00", "ferje\x00", "\x00" * 50, "\ud800", "%", "'", "x" * 10_000]


def norwegian_text(encoded_bytes):
    repeats = encoded_bytes // len(NORWEGIAN.encode()) + 1
    return (NORWEGIAN * repeats).strip()


@pytest.fixture
def article(editor):
    return ArticleFactory(title="Ferjerute til Nesodden", body="Kort tekst.", tags=["ferje"])


def get_json(client, url, params):
    # The test client cannot encode a lone surrogate; a browser sends what it can.
    query = urlencode(params, encoding="utf-8", errors="surrogatepass")
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200, response.status_code
    return response.json()


@pytest.mark.parametrize("term", ODD_TERMS)
def test_tag_lookup_answers_any_typed_term(client, article, term):
    found = get_json(client, reverse("admin:articles_article_tag_search"), {"term": term})
    # Nothing but the characters no text can hold: the same as an empty field, all tags.
    assert [result["text"] for result in found["results"]] in ([], ["ferje"])


def test_tag_lookup_still_finds_tags_around_a_nul(client, article):
    found = get_json(client, reverse("admin:articles_article_tag_search"), {"term": "fe\x00"})
    assert [result["text"] for result in found["results"]] == ["ferje"]


@pytest.mark.parametrize("term", ODD_TERMS)
def test_admin_autocomplete_answers_any_typed_term(client, article, term):
    PersonFactory(name="Kari Nordmann")
    for field, model in [("section", "article"), ("person", "byline")]:
        params = {"app_label": "articles", "model_name": model, "field_name": field}
        found = get_json(client, "/admin/autocomplete/", {**params, "term": term})
        assert isinstance(found["results"], list)


@pytest.mark.parametrize("term", ODD_TERMS)
def test_admin_search_box_answers_any_typed_term(client, article, term):
    for url in ["/admin/articles/article/", "/admin/taggit/tag/", "/admin/articles/person/"]:
        query = urlencode({"q": term}, encoding="utf-8", errors="surrogatepass")
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, url


def test_the_longest_allowed_body_fits_in_a_request_however_it_is_encoded(settings):
    # An en dash is 3 bytes in UTF-8 and 9 percent-encoded: the worst a Norwegian text gets.
    worst = urlencode({"body": "–" * BODY_MAX_LENGTH, "lead": "–" * 5_000})
    assert len(worst) * 2 < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_an_editor_saves_a_body_at_the_limit(client, article):
    body = norwegian_text(BODY_MAX_LENGTH * 2)[: BODY_MAX_LENGTH - 1].rstrip() + "."
    response = client.post(change_url(article), open_change_form(client, article) | {"body": body})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == body


def test_a_600_kb_body_is_refused_with_the_typed_text_still_in_the_form(client, article):
    body = norwegian_text(600_000)
    assert len(body.encode()) > 600_000 and len(body) > BODY_MAX_LENGTH

    response = client.post(change_url(article), open_change_form(client, article) | {"body": body})

    assert response.status_code == 200
    assert f"Brødteksten kan være høyst {BODY_MAX_LENGTH} tegn, og denne har {len(body)}" in (
        error_text(response)
    )
    kept = form_data(response.content.decode(), "article_form")
    assert kept["body"] == body
    article.refresh_from_db()
    assert article.body == "Kort tekst."


def test_a_form_too_large_to_read_gets_a_norwegian_page_on_how_to_get_the_text_back(
    client, article, settings
):
    data = open_change_form(client, article) | {"body": "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE}

    response = client.post(change_url(article), data)

    assert response.status_code == 413
    page = response.content.decode()
    assert texts(page, "h1") == ["Skjemaet var for stort til å lagres"]
    assert "teksten din er ikke borte" in page
    assert "tilbakeknapp" in page
    assert f"høyst {BODY_MAX_LENGTH:,} tegn".replace(",", " ") in page
    article.refresh_from_db()
    assert article.body == "Kort tekst."


def test_other_unreadable_requests_get_a_norwegian_400_page(client, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 5
    response = client.post("/admin/login/", {f"felt{number}": "x" for number in range(10)})
    assert response.status_code == 413
    response = client.get("/", HTTP_HOST="ikke tillatt")
    assert response.status_code == 400
    assert texts(response.content.decode(), "h1") == ["Vi forstod ikke forespørselen"]
