"""A newsroom day in the browser: write, submit, schedule, approve a change, correct, restore
an older version, delete and bring back, with a reader watching the public page."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, PublicationEvent
from tests.factories import PASSWORD, EditorFactory, JournalistFactory, SectionFactory

pytestmark = pytest.mark.browser

TITLE = "Bystyret vedtok nytt budsjett"


def new_page(browser):
    return browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo").new_page()


def read(browser, url, status=200):
    """A reader who has not been here before: a returning one's browser may keep the page
    for PAGE_CACHE_CONTROL's max-age."""
    page = new_page(browser)
    assert page.goto(url).status == status
    return page


def log_in(page, url, user):
    page.goto(url + "/admin/")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()


def pick(page, field_class, text):
    page.locator(f".{field_class} .select2-selection").first.click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_journalist_and_editor_take_an_article_through_the_day(live_server, page, browser):
    journalist = JournalistFactory(username="jorunn", first_name="Jorunn", last_name="Skriver")
    editor = EditorFactory(username="eva", first_name="Eva", last_name="Redaktør")
    SectionFactory(name="Innenriks", slug="innenriks")

    # The journalist writes and submits.
    log_in(page, live_server.url, journalist)
    page.goto(live_server.url + "/admin/articles/article/add/")
    page.get_by_label("Tittel").fill(TITLE)
    pick(page, "field-section", "Innenriks")
    page.get_by_label("Ingress").fill("Etter lange forhandlinger ble partiene enige.")
    page.get_by_label("Brødtekst").fill("Budsjettet ble vedtatt i kveld.")
    expect(page.get_by_role("button", name="Lagre og publiser nå")).to_have_count(0)
    page.get_by_role("button", name="Lagre og send til vask").click()
    expect(page.locator(".messagelist")).to_contain_text("sendt til vask")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.SUBMITTED

    # The editor finds it on her desk and schedules it a few seconds ahead.
    desk = new_page(browser)
    log_in(desk, live_server.url, editor)
    desk.get_by_role("link", name="Skrivebord").click()
    waiting = desk.get_by_role("region", name="Klar til vask")
    expect(waiting).to_contain_text("Jorunn Skriver")
    waiting.get_by_role("link", name=TITLE).click()
    moment = timezone.localtime() + datetime.timedelta(seconds=8)
    desk.locator("#id_schedule_at_0").fill(moment.strftime("%d.%m.%Y"))
    desk.locator("#id_schedule_at_1").fill(moment.strftime("%H:%M:%S"))
    desk.get_by_role("button", name="Lagre og planlegg").click()
    expect(desk.locator(".messagelist")).to_contain_text("planlagt publisert")
    article.refresh_from_db()
    url = live_server.url + article.get_absolute_url()
    read(browser, url, status=404)

    # No cron: once its time has come, readers see it.
    time.sleep(max(0, (article.published_at - timezone.now()).total_seconds()) + 1)
    expect(read(browser, url).locator("h1")).to_have_text(TITLE)

    # The journalist edits the live article; readers keep the approved text.
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    page.get_by_label("Brødtekst").fill("Budsjettet ble vedtatt i kveld med knapt flertall.")
    page.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(page.locator(".messagelist")).to_contain_text("venter på godkjenning")
    expect(page.locator(".pending-change")).to_contain_text("Skjemaet viser endringen din")
    expect(page.get_by_label("Brødtekst")).to_have_value(
        "Budsjettet ble vedtatt i kveld med knapt flertall."
    )
    expect(read(browser, url).locator(".article__body")).not_to_contain_text("knapt flertall")

    # The editor sees the difference on her desk and approves it.
    desk.goto(live_server.url + "/admin/articles/article/skrivebord/")
    desk.get_by_role("region", name="Endringer i publiserte artikler som venter").get_by_role(
        "link", name=TITLE
    ).click()
    expect(desk.locator(".pending-change")).to_contain_text("Jorunn Skriver endret artikkelen")
    desk.get_by_role("link", name="Se endringen og godkjenn eller avvis den").click()
    expect(desk.locator(".revision-diff ins")).to_contain_text("med knapt flertall")
    desk.get_by_role("button", name="Godkjenn endringen").click()
    expect(desk.locator(".messagelist")).to_contain_text("godkjent")
    expect(read(browser, url).locator(".article__body")).to_contain_text("knapt flertall")

    # She adds a correction.
    desk.locator("#updates-group .add-row a").click()
    desk.locator("#updates-0 select[name='updates-0-kind']").select_option("correction")
    desk.locator("#updates-0 textarea[name='updates-0-text']").fill("Flertallet var på én stemme.")
    desk.get_by_role("button", name="Lagre og fortsett å redigere").click()
    expect(desk.locator(".messagelist")).to_contain_text("ble endret")
    article.refresh_from_db()
    corrected_at = article.updated_at
    assert corrected_at is not None

    # She restores the version from before the approved change; the correction and
    # «Oppdatert» stay, and the history names each step, newest first.
    desk.get_by_role("link", name="Historikk").click()
    history = desk.locator("#change-history tbody tr")
    expect(history.first).to_contain_text("Rettelse: Flertallet var på én stemme.")
    expect(history.last).to_contain_text("Sendt til vask.")
    history.filter(has_text="Planlagt publisert").locator("a").click()
    expect(desk.locator(".revision-diff").first).to_contain_text("knapt flertall")
    desk.get_by_role("button", name="Lagre", exact=True).click()
    expect(desk.locator(".messagelist")).to_contain_text("ble endret")
    article.refresh_from_db()
    assert "knapt flertall" not in article.body
    assert article.updated_at == corrected_at
    reader = read(browser, url)
    expect(reader.locator(".article-update--correction")).to_contain_text("én stemme")
    modified = reader.locator("meta[property='article:modified_time']").get_attribute("content")
    assert datetime.datetime.fromisoformat(modified) >= corrected_at.replace(microsecond=0)

    # Deleted: gone for readers (410); restored whole from the bin.
    desk.goto(live_server.url + f"/admin/articles/article/{article.pk}/delete/")
    desk.get_by_role("button", name="Legg i papirkurven").click()
    expect(desk.locator(".messagelist")).to_contain_text("lagt i papirkurven")
    read(browser, url, status=410)
    desk.get_by_role("link", name="Papirkurv").click()
    desk.get_by_label(f"Velg {TITLE}").check()
    desk.get_by_role("button", name="Hent tilbake").click()
    expect(desk.locator(".messagelist")).to_contain_text("hentet fra papirkurven")
    expect(read(browser, url).locator(".article-update--correction")).to_contain_text("én stemme")
    actions = list(
        PublicationEvent.objects.order_by("at", "pk").values_list("action", "by__username")
    )
    assert actions == [
        ("submitted", "jorunn"),
        ("scheduled", "eva"),
        ("change_approved", "eva"),
        ("binned", "eva"),
        ("restored", "eva"),
    ]
