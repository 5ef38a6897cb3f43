"""An editor types tags with quotes and pastes text from a word processor (issue 12)."""

import pytest
from playwright.sync_api import expect

from tests.factories import PASSWORD, ArticleFactory, EditorFactory

pytestmark = pytest.mark.browser


def test_editor_keeps_a_quoted_tag_whole_and_is_told_about_a_pasted_control_character(
    live_server, page
):
    editor = EditorFactory()
    article = ArticleFactory(title="EU-debatten", tags=["Brexit"])
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill(editor.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()

    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.locator(".field-tags .select2-search__field").fill('Sa "nei" til EU')
    page.locator(".select2-results__option", has_text='Sa "nei" til EU').first.click()
    chips = page.locator(".field-tags .select2-selection__choice")
    expect(chips).to_have_count(2)
    page.get_by_label("Tittel").fill("EU-debatten\b i Stortinget")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator(".field-title .errorlist")).to_contain_text(
        "Tittel inneholder et tegn som ikke kan vises for leserne: kontrolltegn U+0008"
    )
    assert list(article.tags.names()) == ["Brexit"]

    page.get_by_label("Tittel").fill("EU-debatten i Stortinget")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator(".messagelist")).to_contain_text("ble endret")
    assert sorted(article.tags.names()) == ["Brexit", 'Sa "nei" til EU']
    expect(chips).to_have_count(2)
    expect(chips.filter(has_text='Sa "nei" til EU')).to_have_count(1)
