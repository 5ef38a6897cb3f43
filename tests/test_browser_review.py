"""A newsroom day in the browser: an editor adds a journalist, who uploads a photo, writes and
submits; the editor schedules, approves a change, corrects, restores an older version, deletes
and brings back, with a reader watching the public page."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, PublicationEvent
from tests.factories import PASSWORD, EditorFactory, SectionFactory
from tests.image_files import photo_bytes

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


def add_colleague(page, url, *, first_name, last_name, username, role):
    """The editor's «Ny medarbeider»; returns the link the colleague sets a password with."""
    page.goto(url + "/admin/")
    page.get_by_role("link", name="Ny medarbeider").click()
    page.get_by_label("Fornavn").fill(first_name)
    page.get_by_label("Etternavn").fill(last_name)
    page.get_by_label("E-post").fill(f"{username}@example.no")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label(role).check()
    page.get_by_role("button", name="Legg til medarbeider").click()
    expect(page.get_by_text(f"med bylinen «{first_name} {last_name}»")).to_be_visible()
    return page.locator("#password-link").input_value()


def first_log_in(page, url, *, link, username, password):
    page.goto(link)
    page.get_by_label("Nytt passord:", exact=True).fill(password)
    page.get_by_label("Gjenta nytt passord:").fill(password)
    page.get_by_role("button", name="Endre passord").click()
    page.goto(url + "/admin/")
    page.get_by_label("Brukernavn").fill(username)
    page.get_by_label("Passord").fill(password)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()


def upload_photo(page, url, *, path, alt_text):
    page.goto(url + "/admin/")
    page.get_by_role("link", name="Bilder", exact=True).click()
    page.get_by_role("link", name="Legg til bilde").click()
    page.get_by_label("Bildefil").set_input_files(str(path))
    page.get_by_label("Alternativ tekst").fill(alt_text)
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("ble lagt til")


def test_journalist_and_editor_take_an_article_through_the_day(
    live_server, page, browser, tmp_path
):
    editor = EditorFactory(username="eva", first_name="Eva", last_name="Redaktør")
    SectionFactory(name="Innenriks", slug="innenriks")
    photo = tmp_path / "bystyresalen.jpg"
    photo.write_bytes(photo_bytes())

    # The editor gives the new journalist an account, which is also her byline.
    desk = new_page(browser)
    log_in(desk, live_server.url, editor)
    link = add_colleague(
        desk, live_server.url,
        first_name="Jorunn", last_name="Skriver", username="jorunn", role="Journalist",
    )  # fmt: skip

    # The journalist chooses her password, uploads a photo, writes and submits.
    first_log_in(page, live_server.url, link=link, username="jorunn", password="bystyre-kaffe-7")
    upload_photo(page, live_server.url, path=photo, alt_text="Bystyresalen under avstemningen")
    page.goto(live_server.url + "/admin/articles/article/add/")
    expect(page.locator(".field-person .select2-selection__rendered").first).to_have_text(
        "Jorunn Skriver"
    )
    page.get_by_label("Tittel").fill(TITLE)
    pick(page, "field-section", "Innenriks")
    page.get_by_label("Ingress").fill("Etter lange forhandlinger ble partiene enige.")
    page.get_by_label("Brødtekst").fill("Budsjettet ble vedtatt i kveld.")
    pick(page, "field-lead_image", "Bystyresalen")
    expect(page.get_by_role("button", name="Lagre og publiser nå")).to_have_count(0)
    page.get_by_role("button", name="Lagre og send til vask").click()
    expect(page.locator(".messagelist")).to_contain_text("sendt til vask")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.SUBMITTED
    assert article.lead_image.alt_text == "Bystyresalen under avstemningen"
    assert [person.name for person in article.ordered_bylines()] == ["Jorunn Skriver"]

    # The editor finds it on her desk and schedules it a few seconds ahead.
    desk.goto(live_server.url + "/admin/")
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
    article.refresh_from_db()
    assert article.lead_image.alt_text == "Bystyresalen under avstemningen"
    assert [person.name for person in article.ordered_bylines()] == ["Jorunn Skriver"]
    expect(read(browser, url).locator(".article__header img, figure img").first).to_have_attribute(
        "alt", "Bystyresalen under avstemningen"
    )
