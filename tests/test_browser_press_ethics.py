"""An editor records a PFU ruling in the admin; a reader sees it on the article and on /pfu/."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles import services
from tests.factories import PASSWORD, ArticleFactory, EditorFactory

pytestmark = pytest.mark.browser

TITLE = "Rådmannen anklages for å ha skjult rapporten"
SUMMARY = "Avisen ga ikke rådmannen anledning til samtidig imøtegåelse."


def pick(page, field_class, text):
    """Choose an option in one of the admin's Select2 autocompletes by typing."""
    page.locator(f".{field_class} .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_records_a_ruling_and_a_reader_sees_it(live_server, page, browser):
    editor = EditorFactory(username="eva", first_name="Eva", last_name="Redaktør")
    article = ArticleFactory(published=True, title=TITLE)
    services.add_article_update(
        article=article, by=editor, kind="correction", text="Rapporten er fra 2025, ikke 2024."
    )

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill(editor.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    page.get_by_role("link", name="PFU-uttalelser").first.click()
    page.get_by_role("link", name="Legg til PFU-uttalelse").click()
    pick(page, "field-article", "Rådmannen")
    page.get_by_label("Dato for uttalelsen").fill("25.11.2026")
    page.get_by_label("Konklusjon").select_option(label="Brudd på god presseskikk")
    page.get_by_label("Saksnummer").fill("2026-087")
    page.get_by_label("Kort sammendrag").fill(SUMMARY)
    page.get_by_label("Lenke til hele uttalelsen").fill("https://presse.no/pfu-sak/2026087/")
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("PFU-sak 2026-087")

    reader = browser.new_context().new_page()
    reader.goto(live_server.url + article.get_absolute_url())
    notice = reader.get_by_role(
        "complementary", name="Dagsavisen er felt i Pressens Faglige Utvalg"
    )
    expect(notice).to_contain_text("Brudd på god presseskikk")
    expect(notice).to_contain_text(SUMMARY)
    expect(notice.get_by_role("link")).to_have_attribute(
        "href", "https://presse.no/pfu-sak/2026087/"
    )

    axe = Axe()
    results = axe.run(reader)
    assert results.violations_count == 0, f"artikkel:\n{results.generate_report()}"
    headings = {
        "PFU-uttalelser": "PFU-uttalelser",
        "Rettelser": "Rettelser",
        "Om oss": "Om Dagsavisen",
    }
    for name, heading in headings.items():
        reader.get_by_role("contentinfo").get_by_role("link", name=name).click()
        expect(reader.locator("h1")).to_have_text(heading)
        results = axe.run(reader)
        assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
        if name == "PFU-uttalelser":
            expect(reader.get_by_role("link", name=TITLE)).to_be_visible()
            expect(reader.locator("main")).to_contain_text(SUMMARY)
        if name == "Rettelser":
            expect(reader.locator("main")).to_contain_text("Rapporten er fra 2025, ikke 2024.")
