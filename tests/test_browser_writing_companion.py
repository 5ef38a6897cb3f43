"""The writing screen in Chromium: merge instead of retyping, presence, and autosave that
survives a closed browser."""

import pytest
from playwright.sync_api import expect

from articles import presence
from articles.models import Article
from tests.factories import PASSWORD, ArticleFactory, EditorFactory, JournalistFactory
from tests.screenshots import keep_screenshot

pytestmark = pytest.mark.browser

BODY = "Første avsnitt.\n\nAndre avsnitt.\n\nTredje avsnitt."


def logged_in_page(browser, url, user):
    page = browser.new_context(locale="nb-NO", timezone_id="Europe/Oslo").new_page()
    log_in(page, url, user)
    return page


def log_in(page, url, user):
    page.goto(url + "/admin/login/")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()


def open_article(page, url, article):
    page.goto(f"{url}/admin/articles/article/{article.pk}/change/")
    expect(page.get_by_label("Brødtekst")).to_be_visible()


def save(page):
    page.get_by_role("button", name="Lagre", exact=True).click()


@pytest.fixture
def editors():
    return (
        EditorFactory(username="kari", first_name="Kari", last_name="Nordmann"),
        EditorFactory(username="ola", first_name="Ola", last_name="Hansen"),
    )


@pytest.fixture
def published():
    return ArticleFactory(title="Budsjettet er lagt fram", body=BODY, published=True)


def both_open(browser, live_server, editors, article):
    karis, olas = (logged_in_page(browser, live_server.url, editor) for editor in editors)
    open_article(karis, live_server.url, article)
    open_article(olas, live_server.url, article)
    return karis, olas


def test_different_paragraphs_merge_in_one_click_and_both_edits_are_published(
    live_server, browser, editors, published
):
    karis, olas = both_open(browser, live_server, editors, published)
    karis.get_by_label("Brødtekst").fill(BODY.replace("Første avsnitt.", "Første, av Kari."))
    save(karis)
    expect(karis.locator(".messagelist")).to_be_visible()

    olas.get_by_label("Brødtekst").fill(BODY.replace("Tredje avsnitt.", "Tredje, av Ola."))
    save(olas)
    expect(olas.locator(".errornote.refusal")).to_contain_text("Kari Nordmann lagret")
    offer = olas.locator("#merge-offer")
    expect(offer).to_contain_text("Endret av Kari Nordmann")
    expect(offer).to_contain_text("Din endring")
    keep_screenshot(olas, "merge-offer")
    olas.get_by_role("button", name="Lagre den sammenslåtte teksten").click()
    expect(olas.locator(".messagelist")).to_be_visible()

    reader = browser.new_context().new_page()
    reader.goto(live_server.url + Article.objects.get(pk=published.pk).get_absolute_url())
    expect(reader.locator("article")).to_contain_text("Første, av Kari.")
    expect(reader.locator("article")).to_contain_text("Tredje, av Ola.")


def test_overlapping_edits_make_her_choose(live_server, browser, editors, published):
    karis, olas = both_open(browser, live_server, editors, published)
    karis.get_by_label("Brødtekst").fill(BODY.replace("Andre avsnitt.", "Andre, ifølge Kari."))
    save(karis)
    expect(karis.locator(".messagelist")).to_be_visible()
    olas.get_by_label("Brødtekst").fill(BODY.replace("Andre avsnitt.", "Andre, ifølge Ola."))
    save(olas)

    choice = olas.locator(".merge-choice")
    expect(choice).to_contain_text("Andre, ifølge Kari.")
    expect(choice).to_contain_text("Andre, ifølge Ola.")
    olas.get_by_role("button", name="Lagre med valgene mine").click()
    expect(olas.locator(".errornote.refusal")).to_contain_text("Velg hvilken versjon")
    olas.get_by_label("Versjonen til Kari Nordmann").check()
    olas.get_by_role("button", name="Lagre med valgene mine").click()
    expect(olas.locator(".messagelist")).to_be_visible()
    assert "Andre, ifølge Kari." in Article.objects.get(pk=published.pk).body


def test_presence_appears_for_a_colleague_and_ends_when_the_first_closes(
    live_server, browser, editors, published, monkeypatch
):
    monkeypatch.setattr(presence, "HEARTBEAT_SECONDS", 1)
    karis, olas = both_open(browser, live_server, editors, published)
    notice = olas.locator("#presence-notice")
    expect(notice).to_contain_text("Kari Nordmann har denne artikkelen åpen (siden ")
    expect(karis.locator("#presence-notice")).to_contain_text("Ola Hansen har denne")

    karis.context.close()  # the tab closes: its goodbye, or else the expiry, ends it
    expect(notice).to_be_hidden(timeout=presence.EXPIRES_AFTER.total_seconds() * 1000 + 5000)


@pytest.fixture
def journalist_article():
    jorunn = JournalistFactory(username="jorunn", first_name="Jorunn", last_name="Skriver")
    return jorunn, ArticleFactory(title="Bystyret møtes", body=BODY, created_by=jorunn)


def test_autosave_survives_a_closed_browser(
    live_server, browser, browser_type, browser_type_launch_args, journalist_article
):
    jorunn, article = journalist_article
    crashing = browser_type.launch(**browser_type_launch_args)
    page = logged_in_page(crashing, live_server.url, jorunn)
    open_article(page, live_server.url, article)
    page.get_by_label("Brødtekst").fill(BODY + "\n\nEt avsnitt skrevet før krasjet.")
    expect(page.locator("#autosave-status")).to_contain_text("lagret automatisk")
    crashing.close()  # the whole browser, mid-edit, without saving
    assert "krasjet" not in Article.objects.get(pk=article.pk).body

    page = logged_in_page(browser, live_server.url, jorunn)
    open_article(page, live_server.url, article)
    offer = page.locator("#autosave-offer")
    expect(offer).to_contain_text("Du har ulagrede endringer fra")
    keep_screenshot(page, "autosave-offer")
    offer.get_by_role("button", name="gjenopprett").click()
    expect(page.get_by_label("Brødtekst")).to_have_value(
        BODY + "\n\nEt avsnitt skrevet før krasjet."
    )
    save(page)
    expect(page.locator(".messagelist")).to_be_visible()
    assert Article.objects.get(pk=article.pk).body.endswith("Et avsnitt skrevet før krasjet.")


def test_text_typed_after_the_login_expired_is_kept_in_the_browser(
    live_server, browser, journalist_article
):
    jorunn, article = journalist_article
    page = logged_in_page(browser, live_server.url, jorunn)
    open_article(page, live_server.url, article)
    page.context.clear_cookies()  # the session ends while she writes
    page.get_by_label("Brødtekst").fill(BODY + "\n\nSkrevet etter utlogging.")
    expect(page.locator("#autosave-status")).to_contain_text("er du logget ut?")

    log_in(page, live_server.url, jorunn)
    open_article(page, live_server.url, article)
    offer = page.locator("#local-draft-offer")
    expect(offer).to_contain_text("Du har ulagrede endringer fra")
    offer.get_by_role("button", name="gjenopprett").click()
    expect(page.get_by_label("Brødtekst")).to_have_value(BODY + "\n\nSkrevet etter utlogging.")
