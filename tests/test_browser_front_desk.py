"""The desk arranges the front page in Chromium, and the front page's blocks fit what they hold."""

import datetime
import time

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, FrontPlacement, Section
from tests.factories import PASSWORD, ArticleFactory, EditorFactory, SectionFactory

pytestmark = pytest.mark.browser

# The scheduled change goes live this long after the editor saves it.
SCHEDULE_AHEAD = datetime.timedelta(seconds=20)


def log_in(page, url, user):
    page.goto(url + "/admin/")
    page.get_by_label("Brukernavn").fill(user.username)
    page.get_by_label("Passord").fill(PASSWORD)
    page.get_by_role("button", name="Logg inn").click()
    expect(page.get_by_role("heading", name="Skriv, planlegg og publiser")).to_be_visible()


def place(page, url, title, slot, starts_at=None):
    page.goto(url + "/admin/articles/frontplacement/add/")
    page.get_by_label("Plass").select_option(label=slot)
    page.locator(".field-article .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(title)
    page.locator(".select2-results__option", has_text=title).first.click()
    if starts_at:
        local = timezone.localtime(starts_at)
        page.locator("input[name=starts_at_0]").fill(local.strftime("%d.%m.%Y"))
        page.locator("input[name=starts_at_1]").fill(local.strftime("%H:%M:%S"))
    page.get_by_role("button", name="Lagre", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("ble lagt til")


def top_of_front(browser, url):
    """As a reader who has not been here before (a browser may keep a page for max-age)."""
    context = browser.new_context()
    reader = context.new_page()
    reader.goto(url + "/")
    titles = reader.locator(".front-top .teaser__title").all_inner_texts()
    context.close()
    return titles


def test_an_editor_arranges_the_front_and_readers_see_each_state_on_time(
    live_server, page, browser
):
    section = SectionFactory(name="Innenriks", slug="innenriks")
    for n in range(9):
        ArticleFactory(
            title=f"Sak nummer {n}",
            published=True,
            published_at=timezone.now() - datetime.timedelta(hours=n + 1),
            section=section,
        )
    editor = EditorFactory(username="desken")
    assert top_of_front(browser, live_server.url)[:2] == ["Sak nummer 0", "Sak nummer 1"]

    log_in(page, live_server.url, editor)
    place(page, live_server.url, "Sak nummer 8", "1 – toppsak")
    place(page, live_server.url, "Sak nummer 5", "2")
    place(page, live_server.url, "Sak nummer 7", "3")
    place(page, live_server.url, "Sak nummer 6", "4")
    assert top_of_front(browser, live_server.url)[:5] == [
        "Sak nummer 8",
        "Sak nummer 5",
        "Sak nummer 7",
        "Sak nummer 6",
        "Sak nummer 0",
    ]

    at = timezone.now() + SCHEDULE_AHEAD
    place(page, live_server.url, "Sak nummer 4", "1 – toppsak", starts_at=at)
    expect(page.locator("#result_list")).to_contain_text("Planlagt")
    assert timezone.now() < at, "the scheduled change went live before it could be checked"
    assert top_of_front(browser, live_server.url)[0] == "Sak nummer 8"

    time.sleep(max(0, (at - timezone.now()).total_seconds()) + 1)
    assert top_of_front(browser, live_server.url)[:4] == [
        "Sak nummer 4",
        "Sak nummer 5",
        "Sak nummer 7",
        "Sak nummer 6",
    ]
    assert FrontPlacement.objects.filter(placed_by=editor).count() == 5


def test_front_page_blocks_fit_their_teasers_and_debatt_shows_its_writers(demo_site, page):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(demo_site.url + "/")

    blocks = page.locator(".section-block")
    for index in range(blocks.count()):
        block = blocks.nth(index)
        grid = block.locator(".teaser-grid").bounding_box()
        last = block.locator(".teaser-grid > li").last.bounding_box()
        name = block.locator(".section-block__title").inner_text()
        # The last teaser reaches the right edge: no empty columns beside the block's teasers.
        assert last["x"] + last["width"] >= grid["x"] + grid["width"] - 2, name

    debatt = Section.objects.get(slug="debatt")
    assert debatt.opinion
    opinion = Article.objects.published().filter(section=debatt).first()
    writer = opinion.ordered_bylines()[0].name
    block = page.locator(".section-block--debatt")
    expect(block.locator(".teaser--opinion .teaser__writer").first).to_have_text(writer)
    # A teaser without a photo shows its lead in the photo's place.
    expect(page.locator(".teaser--text .teaser__lead").first).to_be_visible()
    expect(page.locator("h1")).to_have_count(1)
