import pytest

from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.browser

HOSTILE = '</script><script>alert(1)</script> «Sitat» & "mer"'


def test_browser_reads_json_ld_and_open_graph_of_a_hostile_title_without_running_it(
    live_server, page
):
    article = ArticleFactory(
        published=True, title=HOSTILE, lead=HOSTILE, bylines=[PersonFactory(agency=True)]
    )
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + article.get_absolute_url())

    data = page.evaluate(
        "JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)"
    )
    assert data["headline"] == HOSTILE
    assert data["author"][0]["@type"] == "Organization"
    og_title = page.locator('meta[property="og:title"]').get_attribute("content")
    assert og_title == HOSTILE
    assert page.locator("h1").inner_text() == HOSTILE
    assert page.locator("script").count() == 1
    assert dialogs == []
