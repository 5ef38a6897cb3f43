import pytest
from playwright.sync_api import expect

from articles.models import Article

pytestmark = pytest.mark.browser


def test_reader_opens_the_reference_article_and_follows_a_footer_link(demo_site, page):
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page.goto(demo_site.url + article.get_absolute_url())

    expect(page.locator("h1")).to_have_text(article.title)
    expect(page.locator(".section-label").first).to_have_text("Verden")
    expect(page.locator(".article__body h2")).to_have_count(5)
    expect(page.locator(".article__body .dash-quote").last).to_contain_text("– Vi oppfordrer")
    expect(page.get_by_text("Publisert 12. september 2023 kl. 14.05")).to_be_visible()

    footer = page.get_by_role("complementary", name="Mer fra Dagsavisen")
    expect(footer).to_be_visible()
    first_link = footer.get_by_role("link").nth(1)
    title = first_link.inner_text()
    first_link.click()
    expect(page.locator("h1")).to_have_text(title)


def test_article_page_fits_a_small_phone(demo_site, page):
    page.set_viewport_size({"width": 320, "height": 640})
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page.goto(demo_site.url + article.get_absolute_url())
    overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
    assert overflow is False


def test_dash_quotes_are_styled_apart_from_ordinary_paragraphs(demo_site, page):
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page.goto(demo_site.url + article.get_absolute_url())

    def style(locator):
        return locator.evaluate(
            "element => { const s = getComputedStyle(element);"
            " return [s.fontStyle, s.borderLeftStyle, s.paddingLeft]; }"
        )

    quote = page.locator(".article__body p.dash-quote").first
    paragraph = page.locator(".article__body p:not(.dash-quote)").first
    expect(quote).to_contain_text("– ")
    assert style(quote) == ["italic", "solid", "16px"]
    assert style(paragraph) == ["normal", "none", "0px"]
