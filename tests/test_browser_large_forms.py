"""An editor whose form is too large for the server gets their text back with Back."""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.factories import PASSWORD, ArticleFactory, EditorFactory

pytestmark = pytest.mark.browser

NORWEGIAN = "Blåbærsyltetøy på brødskiva – «særlig søndag» – gjør været grått til gull. "


def test_back_from_the_too_large_page_shows_the_form_as_the_editor_left_it(
    live_server, page, settings
):
    editor = EditorFactory(username="redaktor")
    article = ArticleFactory(title="Langlesning", body="Kort utkast.")
    # The real limit is 10 MB; a small one spares the browser typing that much.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 50_000
    body = NORWEGIAN * 1_000

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill(editor.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_label("Brødtekst").fill(body)
    page.get_by_label("Tittel").fill("Langlesning om sommeren")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()

    expect(page.locator("h1")).to_have_text("Skjemaet var for stort til å lagres")
    expect(page.locator("main")).to_contain_text("tilbakeknapp")
    assert Article.objects.get(pk=article.pk).body == "Kort utkast."

    page.go_back()
    expect(page.get_by_label("Brødtekst")).to_have_value(body)
    expect(page.get_by_label("Tittel")).to_have_value("Langlesning om sommeren")
