"""The CSP middleware on its own: a tiny URL conf, the policy from settings built once."""

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_update
from csp.middleware import CSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from ops import middleware


def page(request):
    return HttpResponse("Side")


@csp_update({"img-src": ["https://bilder.example.no"]})
def page_with_its_own_photos(request):
    return HttpResponse("Side med bilder")


def page_with_a_nonce(request):
    return HttpResponse(f'<script nonce="{request.csp_nonce}"></script>')


urlpatterns = [
    path("side/", page),
    path("bilder/", page_with_its_own_photos),
    path("nonce/", page_with_a_nonce),
]
REPORT_ONLY = {"DIRECTIVES": {"default-src": ["'self'"], "report-uri": ["/csp-rapport/"]}}


@pytest.fixture(autouse=True)
def only_the_csp_middleware(settings):
    settings.MIDDLEWARE = ["ops.middleware.ContentSecurityPolicyMiddleware"]
    settings.ROOT_URLCONF = __name__


def django_csp_headers(url, view):
    """The headers django-csp's own middleware sets on the same response."""
    request = RequestFactory().get(url)
    django_csp = CSPMiddleware(view)
    django_csp.process_request(request)
    response = django_csp.process_response(request, view(request))
    return {
        name: response.headers.get(name)
        for name in ("Content-Security-Policy", "Content-Security-Policy-Report-Only")
    }


@pytest.mark.parametrize(
    ("url", "view"), [("/side/", page), ("/bilder/", page_with_its_own_photos)]
)
def test_the_headers_are_what_django_csp_builds(client, settings, url, view):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = REPORT_ONLY
    response = client.get(url)
    expected = django_csp_headers(url, view)
    assert expected["Content-Security-Policy-Report-Only"]
    for name, value in expected.items():
        assert response.headers.get(name) == value


def test_a_view_with_its_own_policy_gets_it(client):
    policy = client.get("/bilder/").headers["Content-Security-Policy"]
    assert "https://bilder.example.no" in policy
    assert (
        "https://bilder.example.no" not in client.get("/side/").headers["Content-Security-Policy"]
    )


def test_a_nonce_a_page_uses_is_in_its_header(client, settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": [SELF, NONCE]}}
    response = client.get("/nonce/")
    nonce = response.content.decode().split('nonce="')[1].split('"')[0]
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    assert "nonce-" not in client.get("/side/").headers["Content-Security-Policy"]


def test_the_policy_is_built_once_and_again_when_the_settings_change(
    client, settings, monkeypatch
):
    built = []
    build = middleware.build_policy
    monkeypatch.setattr(middleware, "build_policy", lambda **kw: built.append(kw) or build(**kw))
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    for _ in range(3):
        assert client.get("/side/").headers["Content-Security-Policy"] == "default-src 'none'"
    assert len(built) == 2  # the enforced policy and the (empty) report-only one

    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"]}}

    assert client.get("/side/").headers["Content-Security-Policy"] == "default-src 'self'"


def test_excluded_paths_get_no_header(client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "EXCLUDE_URL_PREFIXES": ["/side/"],
        "DIRECTIVES": {"default-src": ["'none'"]},
    }
    assert "Content-Security-Policy" not in client.get("/side/").headers
    assert client.get("/bilder/").headers["Content-Security-Policy"]
