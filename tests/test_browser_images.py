import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article

pytestmark = pytest.mark.browser


def test_reader_sees_the_lead_photo_with_caption_and_credit(demo_site, page):
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page.goto(demo_site.url + article.get_absolute_url())
    photo = page.locator(".article > figure img")
    expect(photo).to_be_visible()
    expect(photo).to_have_attribute("alt", article.lead_image.alt_text)
    expect(page.locator(".article > figure figcaption")).to_contain_text(
        article.lead_image.caption
    )
    photo.evaluate("img => img.decode()")
    assert photo.evaluate("img => img.naturalWidth") > 0
    assert photo.evaluate("img => img.currentSrc").endswith(".webp")


def test_front_page_thumbnails_load(demo_site, page):
    page.goto(demo_site.url + "/")
    thumbnails = page.locator(".teaser__image img")
    assert thumbnails.count() >= 4
    for index in range(thumbnails.count()):
        thumbnail = thumbnails.nth(index)
        thumbnail.scroll_into_view_if_needed()
        thumbnail.evaluate("img => img.decode()")
        assert thumbnail.evaluate("img => img.naturalWidth") > 0


def test_space_for_the_photo_is_kept_before_it_arrives(demo_site, page):
    page.route("**/media/**", lambda route: route.abort())
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page.goto(demo_site.url + article.get_absolute_url())
    box = page.locator(".article > figure img").bounding_box()
    assert box["width"] > 200
    assert box["height"] == pytest.approx(box["width"] * 900 / 1600, abs=2)


@pytest.mark.parametrize("where", ["front", "article"])
def test_pages_with_photos_pass_axe(demo_site, page, where):
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page.goto(demo_site.url + ("/" if where == "front" else article.get_absolute_url()))
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
