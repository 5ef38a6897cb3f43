"""The site's message middleware alone (ops.middleware.LazyMessageMiddleware): Django's, with
the storage built only for a request that uses messages."""

import pytest
from django.contrib import messages
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.utils.functional import empty


def quiet(request):
    return HttpResponse("ingenting")


def adds(request):
    messages.success(request, "Lagret.")
    return HttpResponse("lagt til")


def shows(request):
    return HttpResponse(" | ".join(str(message) for message in messages.get_messages(request)))


urlpatterns = [path("stille/", quiet), path("legg-til/", adds), path("vis/", shows)]


def visit(settings, middleware, *urls):
    settings.MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware", middleware]
    settings.ROOT_URLCONF = __name__
    client = Client()
    answers = []
    for url in urls:
        response = client.get(url)
        answers.append((response.status_code, response.content, sorted(response.headers.items())))
    return answers, response


@pytest.mark.parametrize(
    "urls",
    [["/stille/"], ["/legg-til/", "/vis/", "/vis/"], ["/legg-til/", "/stille/", "/vis/"]],
)
def test_answers_as_djangos_message_middleware(settings, urls):
    djangos, _ = visit(settings, "django.contrib.messages.middleware.MessageMiddleware", *urls)
    ours, _ = visit(settings, "ops.middleware.LazyMessageMiddleware", *urls)
    assert ours == djangos


def test_a_request_without_messages_builds_no_storage(settings):
    _, response = visit(settings, "ops.middleware.LazyMessageMiddleware", "/stille/")
    assert response.wsgi_request._messages._wrapped is empty
    assert not response.cookies


@pytest.mark.django_db
def test_a_readers_page_builds_no_message_storage(client):
    response = client.get("/om-oss/")
    assert response.status_code == 200
    assert response.wsgi_request._messages._wrapped is empty
