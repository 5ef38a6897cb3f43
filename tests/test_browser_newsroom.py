import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, PublicationEvent
from tests.factories import (
    PASSWORD,
    EditorFactory,
    ImageFactory,
    JournalistFactory,
    PersonFactory,
    SectionFactory,
)

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


def log_in(page, live_server, user):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()


def test_journalist_writes_under_her_own_byline_with_a_photo_from_the_library(live_server, page):
    journalist = JournalistFactory(username="kari", first_name="Kari", last_name="Nordmann")
    PersonFactory(name="Kari Nordmann", user=journalist)
    SectionFactory(name="Innenriks", slug="innenriks")
    ImageFactory(alt_text="Folk i kø foran valglokalet", caption="Kø ved valglokalet.")

    log_in(page, live_server, journalist)
    expect(page.get_by_role("link", name="Bilder", exact=True)).to_be_visible()
    page.goto(live_server.url + "/admin/articles/article/add/")
    expect(page.locator(".field-person .select2-selection__rendered").first).to_have_text(
        "Kari Nordmann"
    )
    page.get_by_label("Tittel").fill("Lange køer ved valglokalene")
    pick(page, "field-section", "Innenriks")
    page.get_by_label("Ingress").fill("Mange ville stemme tidlig.")
    page.get_by_label("Brødtekst").fill("Køen gikk rundt kvartalet.")
    pick(page, "field-lead_image", "valglokalet")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator(".messagelist")).to_contain_text("ble lagt til")

    article = Article.objects.get(title="Lange køer ved valglokalene")
    assert article.lead_image.alt_text == "Folk i kø foran valglokalet"
    assert [person.name for person in article.ordered_bylines()] == ["Kari Nordmann"]


def test_editor_adds_a_colleague_who_sets_a_password_and_logs_in(live_server, page):
    editor = EditorFactory(username="redaktor")
    log_in(page, live_server, editor)
    page.get_by_role("link", name="Ny medarbeider").click()
    page.get_by_label("Fornavn").fill("Ola")
    page.get_by_label("Etternavn").fill("Normann")
    page.get_by_label("E-post").fill("ola@example.no")
    page.get_by_label("Brukernavn").fill("ola")
    page.get_by_label("Journalist").check()
    page.get_by_role("button", name="Legg til medarbeider").click()
    expect(
        page.get_by_text("er lagt til som Journalist med bylinen «Ola Normann»")
    ).to_be_visible()
    link = page.locator("#password-link").input_value()

    page.context.clear_cookies()
    page.goto(link)
    page.get_by_label("Nytt passord:", exact=True).fill("fersk-avis-kaffe-9")
    page.get_by_label("Gjenta nytt passord:").fill("fersk-avis-kaffe-9")
    page.get_by_role("button", name="Endre passord").click()
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Brukernavn").fill("ola")
    page.get_by_label("Passord").fill("fersk-avis-kaffe-9")
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()
    expect(page.get_by_role("link", name="Bilder", exact=True)).to_be_visible()
