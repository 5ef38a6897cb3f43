"""Every absolute link names SITE_URL, whatever host name the request came in under."""

import re
import xml.etree.ElementTree as ET

import pytest

from tests.factories import ArticleFactory, ImageFactory, PersonFactory, SectionFactory
from tests.html import elements
from tests.test_article_meta import json_ld, meta_properties

pytestmark = pytest.mark.django_db

SITE = "https://www.dagsavisen.no"
# Host names ALLOWED_HOSTS lets through for "news.example": a trailing dot, capitals, a port.
OTHER_HOSTS = ["news.example", "news.example.", "NEWS.EXAMPLE", "news.example:8443"]
URL = re.compile(r"""https?://[^\s"'<>]+""")


@pytest.fixture(autouse=True)
def site(settings):
    settings.ALLOWED_HOSTS = ["news.example", "testserver"]
    settings.SITE_URL = SITE


@pytest.fixture
def article():
    return ArticleFactory(
        published=True,
        section=SectionFactory(name="Verden", slug="verden"),
        lead_image=ImageFactory(),
        bylines=[PersonFactory(name="Åse Ødegård")],
        tags=["Nord-Korea"],
    )


def absolute_urls(text):
    """Every http(s) URL in a response, but the XML namespaces and schema.org's."""
    return [
        url
        for url in URL.findall(text)
        if not url.startswith(("http://www.sitemaps.org", "http://www.google.com/schemas"))
        and not url.startswith(("https://schema.org", "http://purl.org", "http://www.w3.org"))
    ]


def get(client, path, host):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code == 200, (path, host, response.status_code)
    return response.content.decode()


@pytest.mark.parametrize("host", OTHER_HOSTS)
def test_article_page_links_name_the_site_url(client, article, host):
    page = get(client, article.get_absolute_url(), host)
    page_url = f"{SITE}{article.get_absolute_url()}"
    assert elements(page, "link", rel="canonical")[0]["attrs"]["href"] == page_url
    meta = meta_properties(page)
    assert meta["og:url"] == [page_url]
    assert meta["og:image"][0].startswith(f"{SITE}/media/")
    assert meta["article:author"] == [f"{SITE}{article.bylines.get().get_absolute_url()}"]
    data = json_ld(page)
    assert data["url"] == page_url
    assert data["publisher"]["url"] == f"{SITE}/"
    assert data["publisher"]["logo"]["url"].startswith(f"{SITE}/static/")
    for url in absolute_urls(" ".join(str(value) for value in meta.values()) + str(data)):
        assert url.startswith(f"{SITE}/"), url


@pytest.mark.parametrize("host", OTHER_HOSTS)
@pytest.mark.parametrize(
    "path",
    [
        "/rss/",
        "/verden/rss/",
        "/sitemap.xml",
        "/sitemap-artikler.xml",
        "/sitemap-seksjoner.xml",
        "/sitemap-tema.xml",
        "/sitemap-personer.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/.well-known/security.txt",
    ],
)
def test_feeds_sitemaps_and_well_known_files_name_the_site_url(client, article, host, path):
    text = get(client, path, host)
    urls = absolute_urls(text)
    assert urls, path
    for url in urls:
        assert url.startswith(f"{SITE}/"), (path, url)


def test_feed_links_to_itself_and_its_articles_on_the_site_url(client, article):
    channel = ET.fromstring(get(client, "/verden/rss/", "NEWS.EXAMPLE")).find("channel")  # noqa: S314
    assert channel.findtext("link") == f"{SITE}/verden/"
    assert channel.find("{http://www.w3.org/2005/Atom}link").get("href") == f"{SITE}/verden/rss/"
    assert channel.findtext("item/link") == f"{SITE}{article.get_absolute_url()}"


def test_the_article_meta_kept_for_one_host_is_right_for_another(client, article):
    first = get(client, article.get_absolute_url(), "news.example:8443")
    second = get(client, article.get_absolute_url(), "testserver")
    assert meta_properties(first)["og:url"] == meta_properties(second)["og:url"]
