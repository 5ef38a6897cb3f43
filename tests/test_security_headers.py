import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import ArticleFactory

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db


def csp_directives(response):
    policy = response.headers["Content-Security-Policy"]
    return dict((part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip())


@pytest.fixture
def article_response(client):
    article = ArticleFactory(published=True)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response


def test_reader_pages_have_a_strict_content_security_policy(article_response):
    directives = csp_directives(article_response)
    assert directives["default-src"] == ["'none'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    # Our own origin only: Lighthouse reads robots.txt from the page with fetch().
    assert directives["connect-src"] == ["'self'"]
    policy = article_response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy


def test_reader_pages_refuse_framing_sniffing_and_cross_origin_use(article_response):
    headers = article_response.headers
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_not_found_pages_carry_the_same_headers(client):
    response = client.get("/finnes-ikke/2023/01/01/nei/")
    assert response.status_code == 404
    assert csp_directives(response)["default-src"] == ["'none'"]
    assert response.headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_admin_autocomplete_may_fetch_from_us_but_inline_code_stays_forbidden(client, editor):
    response = client.get("/admin/articles/article/add/")
    assert response.status_code == 200
    directives = csp_directives(response)
    assert directives["connect-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]


def run_with_prod_settings(*args, **env):
    required = {"SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}
    clean = {k: v for k, v in os.environ.items() if k not in required}
    return subprocess.run(  # noqa: S603 - our own manage.py with a fixed interpreter
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"ALLOWED_HOSTS": "www.example.no", "SITE_URL": "https://www.example.no"}, "SECRET_KEY"),
        ({"SECRET_KEY": "x" * 60, "SITE_URL": "https://www.example.no"}, "ALLOWED_HOSTS"),
        ({"SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "www.example.no"}, "SITE_URL"),
    ],
)
def test_production_refuses_to_start_without_secret_key_hosts_and_site_url(env, missing):
    result = run_with_prod_settings("check", **env)
    assert result.returncode != 0
    assert f"{missing} must be set in the environment" in result.stderr
