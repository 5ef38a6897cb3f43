"""What a reader's browser downloads: compressed pages, photos kept for good, our own fonts."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory
from django.utils.cache import patch_cache_control

from ops.middleware import PublicGZipMiddleware
from tests.factories import ArticleFactory, ImageFactory, PersonFactory, SectionFactory
from tests.html import elements

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
PAGE_TEXT = "Operaen fyller 20 år"
FONTS = ["source-serif-4-latin-wght-normal.woff2", "source-sans-3-latin-wght-normal.woff2"]


@pytest.fixture
def article(db):
    return ArticleFactory(
        published=True,
        title=PAGE_TEXT,
        section=SectionFactory(slug="kultur", name="Kultur"),
        tags=["Opera"],
        bylines=[PersonFactory(slug="kari")],
        lead_image=ImageFactory(),
    )


# Compression, tested alone: only what the page cache marked public is compressed.


def gzip_middleware(cache_control):
    def view(request):
        response = HttpResponse("<p>Siste nytt</p>" * 100)
        if cache_control:
            patch_cache_control(response, **cache_control)
        return response

    return PublicGZipMiddleware(view)


@pytest.mark.parametrize(
    ("cache_control", "compressed"),
    [
        ({"public": True, "max_age": 30}, True),
        ({"private": True}, False),
        ({"no_store": True}, False),
        (None, False),
    ],
)
def test_gzip_middleware_compresses_only_public_responses(cache_control, compressed):
    response = gzip_middleware(cache_control)(RequestFactory().get("/", **GZIP))
    assert (response.get("Content-Encoding") == "gzip") is compressed
    if compressed:
        assert gzip.decompress(response.content).startswith(b"<p>Siste nytt</p>")


# Compression on the site


@pytest.mark.parametrize("kind", ["front", "section", "tag", "person", "article", "search"])
def test_anonymous_pages_come_compressed_to_browsers_that_ask(client, article, kind):
    url = {
        "front": "/",
        "section": "/kultur/",
        "tag": "/tema/opera/",
        "person": "/person/kari/",
        "article": article.get_absolute_url(),
        "search": "/sok/?q=operaen",
    }[kind]
    response = client.get(url, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert PAGE_TEXT in gzip.decompress(response.content).decode()

    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert PAGE_TEXT in plain.content.decode()


def test_pages_for_logged_in_colleagues_are_never_compressed(client, article, journalist):
    for url in ("/", article.get_absolute_url(), "/admin/"):
        response = client.get(url, **GZIP)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), url


def test_forms_with_a_csrf_token_are_never_compressed(client, db):
    response = client.get("/admin/login/", **GZIP)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not response.has_header("Content-Encoding")


def test_the_page_cache_serves_each_browser_what_it_can_read(client, article, settings):
    settings.PAGE_CACHE_TIMEOUT = 60
    compressed = client.get("/", **GZIP)
    plain = client.get("/")
    again = client.get("/", **GZIP)
    assert compressed["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert not plain.has_header("Content-Encoding")
    assert PAGE_TEXT in plain.content.decode()
    assert gzip.decompress(again.content) == plain.content
    # A browser that revalidates its compressed copy gets a 304, not the whole page again.
    revalidated = client.get("/", HTTP_IF_NONE_MATCH=again["ETag"], **GZIP)
    assert revalidated.status_code == 304


# Photos


def test_photos_and_renditions_may_be_kept_by_browsers_for_a_year(client, article):
    sources = article.lead_image.sources
    for url in (sources["src"], sources["smallest"], article.lead_image.file.url):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "public, max-age=31536000, immutable"


def test_a_missing_photo_is_not_kept(client, db, settings):
    response = client.get(settings.MEDIA_URL + "bilder/finnes-ikke.jpg")
    assert response.status_code == 404
    assert "immutable" not in response.get("Cache-Control", "")


# Fonts


def test_fonts_are_our_own_preloaded_files_with_their_licence(client, article):
    page = client.get("/").content.decode()
    preloaded = [link["attrs"]["href"] for link in elements(page, "link", rel="preload")]
    assert preloaded == [static(f"fonts/{name}") for name in FONTS]
    for url in preloaded:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == "font/woff2"
        assert b"".join(response.streaming_content)[:4] == b"wOF2"
    licence = finders.find("fonts/OFL.txt")
    assert "SIL Open Font License" in open(licence, encoding="utf-8").read()  # noqa: SIM115
    css = open(finders.find("css/site.css"), encoding="utf-8").read()  # noqa: SIM115
    assert css.count("font-display: swap") == len(FONTS)
    assert all(f'url("../fonts/{name}")' in css for name in FONTS)


EXTERNAL = re.compile(r"(?:https?:)?//(?!testserver[/:\"'])", re.IGNORECASE)


def test_no_page_loads_anything_from_another_site(client, article):
    for url in ("/", "/kultur/", "/tema/opera/", "/person/kari/", "/sok/?q=opera"):
        page = client.get(url).content.decode()
        loaded = [
            element["attrs"].get("src") or element["attrs"].get("srcset") or ""
            for element in elements(page)
            if element["tag"] in {"img", "source", "script"}
        ] + [element["attrs"]["href"] for element in elements(page, "link")]
        assert [value for value in loaded if EXTERNAL.search(value)] == [], url
    for name in ("css/site.css", "css/print.css"):
        css = open(finders.find(name), encoding="utf-8").read()  # noqa: SIM115
        assert not EXTERNAL.search(css), name
