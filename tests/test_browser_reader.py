"""A reader's way through the site in Chromium, and axe-core on every page type."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article, Person

pytestmark = pytest.mark.browser

REFERENCE_TITLE = "Kim Jong-un i Russland for å sikre seg tettere bånd med Putin"


def test_front_page_to_article_to_section_to_search(demo_site, page):
    page.goto(demo_site.url + "/")
    lead_story = page.locator(".teaser--large")
    expect(lead_story).to_have_count(1)

    page.get_by_role("link", name=REFERENCE_TITLE).click()
    expect(page.locator("h1")).to_have_text(REFERENCE_TITLE)
    expect(page.get_by_text("Denne artikkelen er over ett år gammel")).to_be_visible()

    footer = page.get_by_role("complementary", name="Mer fra Dagsavisen")
    teaser = footer.locator(".teaser").first
    section_name = teaser.locator(".section-label").inner_text()
    title = teaser.locator(".teaser__title").inner_text()
    teaser.get_by_role("link", name=title).click()
    expect(page.locator("h1")).to_have_text(title)

    page.locator(".article__header .section-label a").click()
    expect(page.locator("h1")).to_have_text(section_name, ignore_case=True)
    expect(
        page.get_by_role("navigation", name="Seksjoner").locator("[aria-current=page]")
    ).to_have_text(section_name, ignore_case=True)
    expect(page.get_by_role("link", name=title)).to_be_visible()

    search = page.get_by_role("search")
    search.get_by_label("Søk i artiklene").fill("Pyongyang")
    search.get_by_role("button", name="Søk").click()
    expect(page.locator("h1")).to_have_text("Søk")
    result = page.get_by_role("link", name=REFERENCE_TITLE)
    expect(result).to_be_visible()
    expect(page.locator(".teaser__snippet mark").first).to_have_text("Pyongyang", ignore_case=True)
    result.click()
    expect(page.locator("h1")).to_have_text(REFERENCE_TITLE)


def reader_pages():
    reference = Article.objects.get(title=REFERENCE_TITLE)
    person = Person.objects.filter(articles__isnull=False).exclude(kind="agency").first()
    return {
        "forside": "/",
        "seksjon": reference.section.get_absolute_url(),
        "tema": f"/tema/{reference.tags.first().slug}/",
        "person": person.get_absolute_url(),
        "artikkel": reference.get_absolute_url(),
        "søk": "/sok/?q=Russland",
        "tomt søk": "/sok/?q=finnesikke",
        "rettelser": "/rettelser/",
        "pfu": "/pfu/",
        "om oss": "/om-oss/",
        "404": "/finnes/ikke/",
    }


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [320, 1280])
def test_every_page_type_passes_axe_core(demo_site, page, width, color_scheme):
    page.set_viewport_size({"width": width, "height": 900})
    page.emulate_media(color_scheme=color_scheme)
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    axe = Axe()
    for name, path in reader_pages().items():
        page.goto(demo_site.url + path)
        results = axe.run(page)
        assert results.violations_count == 0, f"{name} ({path}):\n{results.generate_report()}"
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert overflow is False, f"{name} scrolls sideways at {width}px"
    assert requested
    assert all(url.startswith(demo_site.url) for url in requested), "no external requests"


def test_print_shows_the_article_without_site_furniture(demo_site, page):
    page.goto(demo_site.url + Article.objects.get(title=REFERENCE_TITLE).get_absolute_url())
    page.emulate_media(media="print", color_scheme="dark")
    expect(page.locator("h1")).to_be_visible()
    expect(page.get_by_role("navigation", name="Seksjoner")).to_be_hidden()
    expect(page.get_by_role("search")).to_be_hidden()
    expect(page.get_by_role("complementary", name="Mer fra Dagsavisen")).to_be_hidden()
    ink = page.locator("h1").evaluate("element => getComputedStyle(element).color")
    assert ink == "rgb(0, 0, 0)"


def test_keyboard_user_can_skip_to_content_and_sees_focus(demo_site, page):
    page.goto(demo_site.url + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Hopp til innholdet")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    outline = skip.evaluate("element => getComputedStyle(element).outlineStyle")
    assert outline == "solid"
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_search_box_shows_its_whole_placeholder_on_a_375_px_phone(demo_site, page):
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(demo_site.url + "/")
    search = page.get_by_role("searchbox", name="Søk")
    placeholder = search.get_attribute("placeholder")
    # The placeholder is drawn in the box's own font: typed in, it must not need scrolling.
    search.fill(placeholder)
    assert search.evaluate("box => box.scrollWidth <= box.clientWidth"), placeholder
    assert search.evaluate("box => getComputedStyle(box).textOverflow") == "ellipsis"
