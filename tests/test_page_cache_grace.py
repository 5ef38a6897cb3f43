"""Grace: right after a change, readers get the previous copy while one request renders the
new one; never after something readers saw was withdrawn.

The page cache middleware alone (a tiny URL conf); the site's own changes are in
tests/test_page_cache_site_grace.py.
"""

import threading
import time

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import path

from ops import pagecache

renders = []
render_started = threading.Event()
finish_render = threading.Event()
slow_renders = []


def page(request):
    renders.append(request.path)
    if slow_renders:
        slow_renders.pop()
        render_started.set()
        finish_render.wait(10)
    return HttpResponse(f"Utgave {len(renders)}")


urlpatterns = [path("side/", page)]


@pytest.fixture(autouse=True)
def only_the_page_cache(settings):
    settings.MIDDLEWARE = ["ops.pagecache.PageCacheMiddleware"]
    settings.ROOT_URLCONF = __name__
    settings.PAGE_CACHE_TIMEOUT = 600
    settings.PAGE_CACHE_GRACE = 5
    settings.PAGE_CACHE_NEXT_CHANGE = "tests.test_page_cache_alone.next_change"
    renders.clear()
    slow_renders.clear()
    render_started.clear()
    finish_render.clear()


def max_age(response):
    return response.headers["Cache-Control"].split("max-age=")[1].split(",")[0]


def another_request_is_rendering(url):
    """What a request in another worker holds while it renders the page."""
    cache.add(f"{pagecache.page_key(RequestFactory().get(url))}:rendering", True, timeout=5)


def test_after_a_change_readers_get_the_old_copy_while_exactly_one_request_renders(client):
    assert client.get("/side/").content == b"Utgave 1"
    pagecache.pages.bump()

    slow_renders.append(True)
    rendered = []
    first = threading.Thread(target=lambda: rendered.append(Client().get("/side/").content))
    first.start()
    assert render_started.wait(5)
    try:
        during = [client.get("/side/") for _ in range(5)]
    finally:
        finish_render.set()
        first.join(10)

    assert [response.content for response in during] == [b"Utgave 1"] * 5
    # Nobody downstream keeps the old copy.
    assert {max_age(response) for response in during} == {"0"}
    assert rendered == [b"Utgave 2"]
    assert renders == ["/side/", "/side/"]
    assert client.get("/side/").content == b"Utgave 2"
    assert len(renders) == 2


def test_no_old_copy_after_something_readers_saw_was_withdrawn(client):
    assert client.get("/side/").content == b"Utgave 1"
    pagecache.pages.bump()
    pagecache.pages.bump(hard=True)
    another_request_is_rendering("/side/")

    assert client.get("/side/").content == b"Utgave 2"


def test_a_later_soft_change_does_not_bring_back_a_copy_from_before_a_withdrawal(client):
    assert client.get("/side/").content == b"Utgave 1"
    pagecache.pages.bump(hard=True)
    pagecache.pages.bump()
    another_request_is_rendering("/side/")

    assert client.get("/side/").content == b"Utgave 2"


def test_the_old_copy_is_served_for_a_few_seconds_at_most(client, settings, monkeypatch):
    assert client.get("/side/").content == b"Utgave 1"
    pagecache.pages.bump()
    another_request_is_rendering("/side/")
    assert client.get("/side/").content == b"Utgave 1"

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + settings.PAGE_CACHE_GRACE + 1)

    assert client.get("/side/").content == b"Utgave 2"


def test_the_request_that_rendered_gives_the_lock_back(client):
    assert client.get("/side/").content == b"Utgave 1"
    pagecache.pages.bump()
    key = pagecache.page_key(RequestFactory().get("/side/"))

    assert client.get("/side/").content == b"Utgave 2"
    assert cache.get(f"{key}:rendering") is None  # the lock is given back
