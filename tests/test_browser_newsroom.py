import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, PublicationEvent
from tests.factories import PASSWORD, EditorFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.browser


def pick(page, field_class, text):
    """Choose an option in one of the admin's Select2 autocompletes by typing."""
    page.locator(f".{field_class} .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_editor_writes_previews_schedules_and_publishes(live_server, page):
    editor = EditorFactory(username="redaktor", first_name="Eva", last_name="Redaktør")
    SectionFactory(name="Innenriks", slug="innenriks")
    PersonFactory(name="Sara Skribent")

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill(editor.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()

    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Tittel").fill("Bystyret vedtok nytt budsjett")
    pick(page, "field-section", "Innenriks")
    page.get_by_label("Ingress").fill("Etter lange forhandlinger ble partiene enige.")
    page.get_by_label("Brødtekst").fill(
        "Budsjettet ble vedtatt i kveld.\n\n– Vi er fornøyde, sier hun."
    )
    page.locator(".field-tags .select2-search__field").fill("Budsjett")
    page.locator(".select2-results__option", has_text="Budsjett").first.click()
    expect(page.locator(".field-tags .select2-selection__choice")).to_contain_text("Budsjett")
    pick(page, "field-person", "Sara Skribent")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator(".messagelist")).to_contain_text("ble lagt til")
    article = Article.objects.get(title="Bystyret vedtok nytt budsjett")
    assert [tag.name for tag in article.tags.all()] == ["Budsjett"]

    with page.context.expect_page() as preview_tab:
        page.get_by_role("link", name="Forhåndsvis").click()
    preview = preview_tab.value
    expect(preview.locator(".preview-banner")).to_contain_text("Forhåndsvisning – ikke publisert")
    expect(preview.locator("h1")).to_have_text("Bystyret vedtok nytt budsjett")
    preview.close()

    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    page.locator("#id_schedule_at_0").fill(tomorrow.strftime("%d.%m.%Y"))
    page.locator("#id_schedule_at_1").fill("06:00")
    page.get_by_role("button", name="Lagre og planlegg").click()
    expect(page.locator(".messagelist")).to_contain_text("planlagt publisert")
    expect(page.locator("td.field-publication_status").first).to_have_text("Planlagt")

    page.goto(live_server.url + "/")
    expect(page.get_by_text("Bystyret vedtok nytt budsjett")).to_have_count(0)

    page.goto(live_server.url + "/admin/articles/article/")
    page.get_by_role("link", name="Bystyret vedtok nytt budsjett").click()
    page.get_by_role("button", name="Lagre og publiser nå").click()
    expect(page.locator(".messagelist")).to_contain_text("publisert og synlig for leserne")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Bystyret vedtok nytt budsjett").first.click()
    expect(page.locator("h1")).to_have_text("Bystyret vedtok nytt budsjett")
    expect(page.locator(".preview-banner")).to_have_count(0)
    expect(page.locator(".byline")).to_contain_text("Sara Skribent")
    assert re.search(r"/innenriks/\d{4}/\d{2}/\d{2}/bystyret-vedtok-nytt-budsjett/$", page.url)
    actions = list(PublicationEvent.objects.order_by("at").values_list("action", "by__username"))
    assert actions == [("scheduled", "redaktor"), ("published", "redaktor")]
