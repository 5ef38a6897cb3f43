"""The conditional GET middleware on its own: 304 and 412 as Django's, an ETag on every page."""

import pytest
from django.http import HttpResponse
from django.urls import path
from django.views.decorators.cache import never_cache

LAST_MODIFIED = "Fri, 04 Dec 2026 12:00:00 GMT"


def page(request):
    response = HttpResponse("Side")
    response["Last-Modified"] = LAST_MODIFIED
    return response


@never_cache
def not_to_be_kept(request):
    return HttpResponse("Privat")


urlpatterns = [path("side/", page), path("privat/", not_to_be_kept)]


@pytest.fixture(autouse=True)
def only_conditional_get(settings):
    settings.MIDDLEWARE = ["ops.middleware.ConditionalGetMiddleware"]
    settings.ROOT_URLCONF = __name__


def test_every_page_gets_an_etag_but_one_not_to_be_stored(client):
    assert client.get("/side/")["ETag"].startswith('"')
    assert not client.get("/privat/").has_header("ETag")


@pytest.mark.parametrize(
    ("conditions", "status"),
    [
        ({}, 200),
        ({"HTTP_IF_MODIFIED_SINCE": LAST_MODIFIED}, 304),
        ({"HTTP_IF_MODIFIED_SINCE": "Fri, 04 Dec 2026 11:00:00 GMT"}, 200),
        ({"HTTP_IF_NONE_MATCH": '"annen"'}, 200),
        ({"HTTP_IF_MATCH": '"annen"'}, 412),
        ({"HTTP_IF_UNMODIFIED_SINCE": "Fri, 04 Dec 2026 11:00:00 GMT"}, 412),
    ],
)
def test_conditional_requests_are_answered_as_django_does(client, conditions, status):
    assert client.get("/side/", **conditions).status_code == status


def test_a_browser_revalidating_its_copy_gets_304(client):
    etag = client.get("/side/")["ETag"]
    assert client.get("/side/", HTTP_IF_NONE_MATCH=etag).status_code == 304
