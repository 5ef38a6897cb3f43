"""Each worker keeps its most recently requested pages in its own memory (the ``pages`` cache,
bounded by ``PAGE_CACHE_LOCAL_BYTES``), in front of the shared copies in Redis.

The page cache middleware alone (a tiny URL conf), the memory itself, and the site.
"""

import gzip

import brotli
import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from articles.services import unpublish_article
from ops import middleware, pagecache
from ops.cache_backends import LocalObjectCache
from tests.factories import ArticleFactory, EditorFactory

renders = []
BROTLI = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br"}
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip, deflate"}
DECODE = {"br": brotli.decompress, "gzip": gzip.decompress}


def page(request, number):
    renders.append(number)
    return HttpResponse(f"<p>Side {number}, utgave {len(renders)}</p>" * 20)


def long_page(request):
    """Four times brotli's 64 KiB window."""
    return HttpResponse(
        "".join(f"<p>Avsnitt {n}: {n * 7919 % 100_003} kroner</p>" for n in range(8000))
    )


urlpatterns = [path("side/<int:number>/", page), path("lang/", long_page)]


@pytest.fixture
def only_the_page_cache(settings):
    settings.MIDDLEWARE = ["ops.pagecache.PageCacheMiddleware"]
    settings.ROOT_URLCONF = __name__
    settings.PAGE_CACHE_TIMEOUT = 600
    settings.PAGE_CACHE_GRACE = 5
    settings.PAGE_CACHE_NEXT_CHANGE = "tests.test_page_cache_alone.next_change"
    renders.clear()


def key(url):
    return pagecache.page_key(RequestFactory().get(url))


def test_a_worker_serves_many_more_than_200_pages_from_its_own_memory(client, only_the_page_cache):
    urls = [f"/side/{number}/" for number in range(1000)]
    first = [client.get(url).content for url in urls]
    for url in urls:
        cache.delete(key(url))  # not from Redis, then

    assert [client.get(url).content for url in urls] == first
    assert len(renders) == 1000


def test_tracking_parameters_reach_the_same_copy_in_memory(client, only_the_page_cache):
    first = client.get("/side/1/").content
    shared = client.get("/side/1/?utm_source=facebook&fbclid=IwAR0abc").content
    other = client.get("/side/1/?side=2").content

    assert shared == first
    assert other != first
    assert renders == [1, 1]


def test_the_memory_holds_the_brotli_form_compressed_once(
    client, only_the_page_cache, monkeypatch
):
    plain = client.get("/side/1/").content
    compressions = []
    compress = brotli.compress
    monkeypatch.setattr(
        middleware.brotli, "compress", lambda *a, **k: compressions.append(1) or compress(*a, **k)
    )
    client.get("/side/2/")
    answers = [client.get("/side/2/", **BROTLI) for _ in range(3)]

    assert len(compressions) == 1  # when the page was stored
    assert {answer["Content-Encoding"] for answer in answers} == {"br"}
    assert brotli.decompress(answers[0].content) == client.get("/side/2/").content
    assert "Accept-Encoding" in answers[0]["Vary"]
    assert answers[0]["Content-Length"] == str(len(answers[0].content))
    assert client.get("/side/1/").content == plain


@pytest.mark.parametrize(("accept", "coding"), [(BROTLI, "br"), (GZIP, "gzip")])
def test_each_form_is_compressed_once_and_the_request_that_stores_it_gets_it(
    client, only_the_page_cache, settings, monkeypatch, accept, coding
):
    settings.MIDDLEWARE = ["ops.middleware.PublicCompressionMiddleware", *settings.MIDDLEWARE]
    compressions = []
    for name, compress in middleware.COMPRESSORS.items():
        monkeypatch.setitem(
            middleware.COMPRESSORS,
            name,
            lambda content, name=name, compress=compress: (
                compressions.append(name) or compress(content)
            ),
        )
    first = client.get("/side/1/", **accept)
    answers = [first, *(client.get("/side/1/", **accept) for _ in range(3))]
    plain = client.get("/side/1/")

    assert sorted(compressions) == ["br", "gzip"]  # when the page was stored, never again
    assert renders == [1]
    for answer in answers:
        assert answer["Content-Encoding"] == coding
        assert DECODE[coding](answer.content) == plain.content
        assert answer["Content-Length"] == str(len(answer.content))
        assert answer["ETag"] == "W/" + plain["ETag"]
    assert "Accept-Encoding" in plain["Vary"]
    assert not plain.has_header("Content-Encoding")


def test_a_copy_in_memory_is_not_served_after_a_withdrawal(client, only_the_page_cache):
    assert b"utgave 1" in client.get("/side/1/").content
    pagecache.pages.bump(hard=True)
    cache.add(f"{key('/side/1/')}:rendering", True, timeout=5)  # another request renders

    assert b"utgave 2" in client.get("/side/1/").content


def test_a_copy_in_memory_outlives_a_change_by_the_grace_period_only(
    client, only_the_page_cache, settings, monkeypatch
):
    import time

    assert b"utgave 1" in client.get("/side/1/").content
    pagecache.pages.bump()
    cache.add(f"{key('/side/1/')}:rendering", True, timeout=60)  # another request renders
    assert b"utgave 1" in client.get("/side/1/").content

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + settings.PAGE_CACHE_GRACE + 1)

    assert b"utgave 2" in client.get("/side/1/").content


# The memory on its own


def memory(max_bytes):
    forget = LocalObjectCache(f"test-{max_bytes}", {"OPTIONS": {"MAX_BYTES": max_bytes}})
    forget.clear()
    return forget


def test_the_memory_lets_the_least_recently_used_go_when_it_is_full():
    pages = memory(max_bytes=30)
    pages.set("a", b"a" * 10)
    pages.set("b", b"b" * 10)
    pages.set("c", b"c" * 10)
    assert pages.get("a") == b"a" * 10  # a is now the most recently used

    pages.set("d", b"d" * 10)

    assert pages.get("b") is None
    assert [pages.get(name) for name in "acd"] == [b"a" * 10, b"c" * 10, b"d" * 10]


def test_the_memory_is_bounded_by_bytes_not_by_entries():
    pages = memory(max_bytes=100)
    for number in range(100):
        pages.set(number, b"x")
    pages.set("large", b"x" * 60)

    assert pages.get("large") == b"x" * 60
    assert sum(pages.get(number) is not None for number in range(100)) == 40
    pages.set("too large", b"x" * 101)
    assert pages.get("too large") is None


def test_the_memory_refuses_what_a_caller_could_change():
    pages = memory(max_bytes=100)
    with pytest.raises(TypeError):
        pages.set("side", {"content": b"<p>Side</p>"})


def test_the_memory_forgets_expired_copies():
    pages = memory(max_bytes=100)
    pages.set("side", b"x", timeout=0)
    assert pages.get("side") is None
    pages.set("side", b"x", timeout=60)
    assert pages.get("side") == b"x"


# The site


@pytest.mark.django_db
def test_an_unpublished_article_is_gone_at_once_though_this_worker_kept_it(client, page_cache):
    article = ArticleFactory(published=True, title="Saken som trekkes")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200  # from memory

    unpublish_article(article=article, by=EditorFactory())

    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(("accept", "coding"), [(BROTLI, "br"), (GZIP, "gzip")])
def test_a_page_longer_than_the_compression_window_reaches_the_reader_whole(
    client, only_the_page_cache, accept, coding
):
    plain = client.get("/lang/").content
    assert len(plain) > 3 * 2**16
    for _ in range(2):  # when stored, then from memory
        answer = client.get("/lang/", **accept)
        assert answer["Content-Encoding"] == coding
        assert DECODE[coding](answer.content) == plain
