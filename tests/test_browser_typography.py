"""The site in Chromium: its own fonts, a compact phone header, dates on one line, sharp photos."""

import pytest
from playwright.sync_api import expect

from articles.models import Section
from tests.factories import ArticleFactory, ImageFactory, SectionFactory

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def test_news_starts_within_100_px_on_a_phone(demo_site, page):
    page.set_viewport_size(PHONE)
    for url in ("/", "/kultur/"):
        page.goto(demo_site.url + url)
        header = page.locator(".site-header").bounding_box()
        assert header["height"] <= 100, url
        # Every section stays reachable: the row scrolls sideways instead of wrapping.
        last = page.locator(".section-nav a").last
        last.scroll_into_view_if_needed()
        expect(last).to_be_in_viewport()
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_pages_use_our_own_fonts_and_ask_no_other_site(demo_site, page):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(demo_site.url + "/")
    loaded = page.evaluate(
        """document.fonts.ready.then(() =>
            [...document.fonts].filter(f => f.status === "loaded").map(f => f.family))"""
    )
    assert sorted(set(loaded)) == ["Source Sans 3", "Source Serif 4"]
    assert page.evaluate("document.fonts.check('700 2rem \"Source Serif 4\"', 'Nyheter på ø')")
    title_font = page.locator(".teaser__title").first.evaluate(
        "e => getComputedStyle(e).fontFamily"
    )
    assert title_font.startswith('"Source Serif 4"')
    assert [url for url in requests if not url.startswith(demo_site.url)] == []


def test_date_and_time_stay_on_one_line_on_a_phone(demo_site, page):
    page.set_viewport_size(PHONE)
    page.goto(demo_site.url + "/")
    times = page.locator("time")
    assert times.count() > 5
    lines = times.evaluate_all("els => els.map(e => e.getClientRects().length)")
    assert set(lines) == {1}


@pytest.fixture
def listing_with_photos(live_server):
    section = SectionFactory(slug="innenriks", name="Innenriks")
    for _ in range(4):
        ArticleFactory(
            published=True,
            section=section,
            tags=["Oslo"],
            title="Oslo bygger ny skole",
            lead_image=ImageFactory(file__width=1600, file__height=900),
        )
    return live_server


# Renditions are named after their width ("…-960.webp"); naturalWidth would be scaled by
# the density the browser chose, so the file name tells which width arrived.
SHARPNESS = """img => img.decode().then(() => {
    const widths = [...img.srcset.matchAll(/ (\\d+)w/g)].map(m => Number(m[1]));
    const wanted = Math.min(img.clientWidth * devicePixelRatio, Math.max(...widths));
    return Number(img.currentSrc.match(/-(\\d+)\\.\\w+$/)[1]) / wanted;
})"""


@pytest.mark.parametrize("url", ["/", "/innenriks/", "/tema/oslo/", "/sok/?q=oslo"])
def test_photos_are_sharp_on_a_wide_retina_screen(listing_with_photos, browser, url):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, device_scale_factor=2, locale="nb-NO"
    )
    page = context.new_page()
    page.goto(listing_with_photos.url + url)
    photos = page.locator(".teaser__image img")
    assert photos.count() >= 1
    first = photos.first
    assert first.get_attribute("fetchpriority") == "high"
    for index in range(photos.count()):
        photo = photos.nth(index)
        photo.scroll_into_view_if_needed()
        # Chromium may pick the next smaller file when it is nearly as good; far smaller
        # (a file for a third of the width shown) means the page's sizes were wrong.
        assert photo.evaluate(SHARPNESS) >= 0.8, index
    context.close()


@pytest.mark.parametrize("url", ["/innenriks/", "/tema/oslo/"])
def test_a_story_without_a_photo_leaves_no_hole_in_a_listing(listing_with_photos, page, url):
    ArticleFactory(
        published=True,
        section=Section.objects.get(slug="innenriks"),
        tags=["Oslo"],
        title="Oslo får flere bysykler",
        lead_image=None,
    )
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(listing_with_photos.url + url)
    rows = page.locator(".listing > li:not(.listing__top)").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().left)"
    )
    assert len(rows) >= 3
    # One story a row: nothing stands beside another story, photo or not.
    assert len(set(rows)) == 1
