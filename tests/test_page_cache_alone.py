"""The page cache middleware on its own: one middleware, a tiny URL conf, no articles.

It knows nothing of the site's content: it is told what changed through its generation and
when pages change without a save through ``PAGE_CACHE_NEXT_CHANGE``.
"""

import datetime

import pytest
from django.http import HttpResponse
from django.urls import path
from django.utils import timezone

from ops import pagecache

renders = []
next_change_at = []


def page(request):
    renders.append(request.path)
    return HttpResponse(f"Utgave {len(renders)}")


def next_change():
    return next_change_at[0] if next_change_at else None


urlpatterns = [path("side/", page)]


@pytest.fixture(autouse=True)
def only_the_page_cache(settings):
    settings.MIDDLEWARE = ["ops.pagecache.PageCacheMiddleware"]
    settings.ROOT_URLCONF = __name__
    settings.PAGE_CACHE_TIMEOUT = 600
    settings.PAGE_CACHE_NEXT_CHANGE = f"{__name__}.next_change"
    renders.clear()
    next_change_at.clear()


def test_a_page_is_served_from_the_cache_until_its_generation_moves(client):
    assert client.get("/side/").content == b"Utgave 1"
    assert client.get("/side/").content == b"Utgave 1"
    assert renders == ["/side/"]

    pagecache.pages.bump()

    assert client.get("/side/").content == b"Utgave 2"


def test_a_page_lives_no_longer_than_the_next_change_the_site_announces(client):
    next_change_at.append(timezone.now() + datetime.timedelta(seconds=20))
    response = client.get("/side/")
    cache_control = response.headers["Cache-Control"]
    assert "max-age=19" in cache_control or "max-age=20" in cache_control
    assert "s-maxage=19" in cache_control or "s-maxage=20" in cache_control


def test_without_an_announced_change_the_policy_decides(client, settings):
    cache_control = client.get("/side/").headers["Cache-Control"]
    assert f"s-maxage={settings.PAGE_CACHE_CONTROL['s_maxage']}" in cache_control


def test_a_reader_with_a_session_is_never_served_from_the_cache(client, settings):
    client.get("/side/")
    client.cookies[settings.SESSION_COOKIE_NAME] = "redaktør"
    response = client.get("/side/")
    assert response.content == b"Utgave 2"
    assert response.headers["Cache-Control"] == "private"
