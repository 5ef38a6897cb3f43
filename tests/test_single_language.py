"""The site's language middleware alone (ops.middleware.SingleLanguageMiddleware): what Django's
LocaleMiddleware does, for every kind of request and response, without its reading."""

import pytest
from django.http import HttpResponse, HttpResponseNotFound
from django.test import Client
from django.urls import path
from django.utils import translation


def language(request):
    return HttpResponse(f"{translation.get_language()} {request.LANGUAGE_CODE}")


def varies_on_cookie(request):
    response = language(request)
    response["Vary"] = "Cookie"
    return response


def in_english(request):
    response = language(request)
    response["Content-Language"] = "en"
    return response


def not_found(request, exception):
    return HttpResponseNotFound(translation.get_language())


handler404 = not_found
urlpatterns = [
    path("side/", language),
    path("informasjonskapsel/", varies_on_cookie),
    path("engelsk/", in_english),
]

REQUESTS = [
    {},
    {"HTTP_ACCEPT_LANGUAGE": "en-GB,en;q=0.9"},
    {"HTTP_ACCEPT_LANGUAGE": "nb-NO,nb;q=0.9,no;q=0.8"},
    {"HTTP_COOKIE": "django_language=en"},
    {"HTTP_COOKIE": "django_language=nb", "HTTP_ACCEPT_LANGUAGE": "de"},
]
PATHS = ["/side/", "/informasjonskapsel/", "/engelsk/", "/finnes-ikke/"]


def answer(settings, middleware, url, headers):
    settings.MIDDLEWARE = [middleware]
    settings.ROOT_URLCONF = __name__
    response = Client().get(url, **headers)
    return response.status_code, response.content, sorted(response.headers.items())


@pytest.mark.parametrize("url", PATHS)
@pytest.mark.parametrize("headers", REQUESTS)
@pytest.mark.parametrize("languages", [[("nb", "Norsk bokmål")], [("nb", "Norsk"), ("en", "En")]])
def test_answers_as_djangos_locale_middleware(settings, url, headers, languages):
    settings.LANGUAGES = languages
    djangos = answer(settings, "django.middleware.locale.LocaleMiddleware", url, headers)
    ours = answer(settings, "ops.middleware.SingleLanguageMiddleware", url, headers)
    assert ours == djangos


@pytest.mark.django_db
def test_the_site_answers_in_norwegian_whatever_the_browser_asks(client):
    response = client.get("/om-oss/", HTTP_ACCEPT_LANGUAGE="en", HTTP_COOKIE="django_language=en")
    assert response["Content-Language"] == "nb"
    assert response.wsgi_request.LANGUAGE_CODE == "nb"
