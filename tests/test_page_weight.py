"""What a reader's browser downloads: compressed pages, photos kept for good, our own fonts."""

import gzip
import re

import brotli
import pytest
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.test import RequestFactory
from django.utils.cache import patch_cache_control

from ops.middleware import PublicCompressionMiddleware, accepted_codings
from tests.factories import ArticleFactory, ImageFactory, PersonFactory, SectionFactory
from tests.html import elements

pytestmark = pytest.mark.django_db

GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}
BROTLI = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br, zstd"}
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}
PAGE_TEXT = "Operaen fyller 20 år"
FONTS = ["source-serif-4-latin-wght-normal.woff2", "source-sans-3-latin-wght-normal.woff2"]
ITALIC_FONTS = ["source-serif-4-latin-wght-italic.woff2", "source-sans-3-latin-wght-italic.woff2"]


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


def compression_middleware(cache_control, cookie=False):
    def view(request):
        response = HttpResponse("<p>Siste nytt</p>" * 100)
        if cache_control:
            patch_cache_control(response, **cache_control)
        if cookie:
            response.set_cookie("sessionid", "hemmelig")
        return response

    return PublicCompressionMiddleware(view)


@pytest.mark.parametrize(
    ("cache_control", "compressed"),
    [
        ({"public": True, "max_age": 30}, True),
        ({"private": True}, False),
        ({"no_store": True}, False),
        (None, False),
    ],
)
@pytest.mark.parametrize(("accept", "encoding"), [(GZIP, "gzip"), (BROTLI, "br")])
def test_middleware_compresses_only_public_responses(cache_control, compressed, accept, encoding):
    response = compression_middleware(cache_control)(RequestFactory().get("/", **accept))
    assert (response.get("Content-Encoding") == encoding) is compressed
    if compressed:
        assert DECODE[encoding](response.content) == b"<p>Siste nytt</p>" * 100
        assert response["Content-Length"] == str(len(response.content))
        assert "Accept-Encoding" in response["Vary"]
    else:
        assert response.content == b"<p>Siste nytt</p>" * 100


@pytest.mark.parametrize("accept", [GZIP, BROTLI])
def test_a_public_response_that_sets_a_cookie_is_never_compressed(accept):
    middleware = compression_middleware({"public": True}, cookie=True)
    response = middleware(RequestFactory().get("/", **accept))
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize(
    ("header", "brotli_accepted"),
    [
        ("gzip, deflate, br", True),
        ("br;q=0.9, gzip", True),
        ("BR", True),
        ("*", True),
        ("gzip, br;q=0", False),
        ("gzip, deflate", False),
        ("brotli", False),
        ("", False),
    ],
)
def test_brotli_only_for_browsers_that_accept_it(header, brotli_accepted):
    request = RequestFactory().get("/", HTTP_ACCEPT_ENCODING=header)
    assert ("br" in accepted_codings(request)) is brotli_accepted


# Compression on the site


@pytest.mark.parametrize(("accept", "encoding"), [(GZIP, "gzip"), (BROTLI, "br")])
@pytest.mark.parametrize("kind", ["front", "section", "tag", "person", "article", "search"])
def test_anonymous_pages_come_compressed_to_browsers_that_ask(
    client, article, kind, accept, encoding
):
    url = {
        "front": "/",
        "section": "/kultur/",
        "tag": "/tema/opera/",
        "person": "/person/kari/",
        "article": article.get_absolute_url(),
        "search": "/sok/?q=operaen",
    }[kind]
    response = client.get(url, **accept)
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]

    plain = client.get(url)
    assert not plain.has_header("Content-Encoding")
    assert PAGE_TEXT in plain.content.decode()
    assert DECODE[encoding](response.content) == plain.content


@pytest.mark.parametrize("accept", [GZIP, BROTLI])
def test_pages_for_logged_in_colleagues_are_never_compressed(client, article, journalist, accept):
    for url in ("/", article.get_absolute_url(), "/admin/"):
        response = client.get(url, **accept)
        assert response.status_code == 200
        assert not response.has_header("Content-Encoding"), url


@pytest.mark.parametrize("accept", [GZIP, BROTLI])
def test_forms_with_a_csrf_token_are_never_compressed(client, db, accept):
    response = client.get("/admin/login/", **accept)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize(("accept", "encoding"), [(GZIP, "gzip"), (BROTLI, "br")])
def test_the_page_cache_serves_each_browser_what_it_can_read(
    client, article, settings, accept, encoding
):
    settings.PAGE_CACHE_TIMEOUT = 60
    compressed = client.get("/", **accept)
    plain = client.get("/")
    again = client.get("/", **accept)
    assert compressed["Content-Encoding"] == again["Content-Encoding"] == encoding
    assert not plain.has_header("Content-Encoding")
    assert PAGE_TEXT in plain.content.decode()
    assert DECODE[encoding](again.content) == plain.content
    # A browser that revalidates its compressed copy gets a 304, not the whole page again.
    revalidated = client.get("/", HTTP_IF_NONE_MATCH=again["ETag"], **accept)
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
    assert css.count("font-display: swap") == len(FONTS + ITALIC_FONTS)
    assert all(f'url("../fonts/{name}")' in css for name in FONTS + ITALIC_FONTS)


def test_italics_are_real_italic_fonts_loaded_only_where_used(client, article):
    css = open(finders.find("css/site.css"), encoding="utf-8").read()  # noqa: SIM115
    faces = re.findall(r"@font-face \{(.*?)\}", css, re.DOTALL)
    italic_files = [
        re.search(r'url\("\.\./fonts/([^"]+)"\)', face).group(1)
        for face in faces
        if "font-style: italic" in face
    ]
    assert italic_files == ITALIC_FONTS
    for name in ITALIC_FONTS:
        response = client.get(static(f"fonts/{name}"))
        assert response.status_code == 200
        assert b"".join(response.streaming_content)[:4] == b"wOF2"
    # Not preloaded: most first views set nothing in italics, and a preload is always fetched.
    page = client.get(article.get_absolute_url()).content.decode()
    preloaded = [link["attrs"]["href"] for link in elements(page, "link", rel="preload")]
    assert not any("italic" in url for url in preloaded)


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
