import datetime

import pytest
from axes.models import AccessAttempt
from django.db.models import F

from ops.client_ip import client_ip_address
from tests.html import texts
from tests.test_security_headers import run_with_prod_settings

pytestmark = pytest.mark.django_db
PASSWORD = "riktig-passord-123"


@pytest.fixture
def editor(django_user_model, settings):
    settings.AXES_ENABLED = True
    return django_user_model.objects.create_user("redaktor", password=PASSWORD, is_staff=True)


def log_in(client, password, address="192.0.2.10", **headers):
    return client.post(
        "/admin/login/?next=/admin/",
        {"username": "redaktor", "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def minutes_pass(minutes):
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - datetime.timedelta(minutes=minutes)
    )


def test_five_wrong_passwords_lock_out_even_the_right_one(client, editor):
    statuses = [log_in(client, "feil").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]

    response = log_in(client, PASSWORD)

    assert response.status_code == 429
    page = response.content.decode()
    assert texts(page, "h1") == ["Innloggingen er midlertidig sperret"]
    assert "sperret i 15 minutter" in " ".join(page.split())
    assert "_auth_user_id" not in client.session


def test_four_wrong_passwords_still_let_the_editor_in(client, editor):
    for _ in range(4):
        log_in(client, "feil")

    response = log_in(client, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)


def test_lockout_ends_after_the_cool_off_period(client, editor, settings):
    for _ in range(5):
        log_in(client, "feil")
    settings.AXES_COOLOFF_TIME = datetime.timedelta(seconds=0)

    assert log_in(client, PASSWORD).status_code == 302


def test_a_colleague_at_another_address_is_not_locked_out(client, editor):
    for _ in range(5):
        log_in(client, "feil", address="192.0.2.10")

    assert log_in(client, PASSWORD, address="198.51.100.7").status_code == 302


def test_client_address_comes_from_the_trusted_proxy(rf, settings):
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.1", REMOTE_ADDR="10.0.0.2")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip_address(request) == "10.0.0.2"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip_address(request) == "198.51.100.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip_address(request) == "203.0.113.9"


def test_attempts_during_a_lockout_do_not_extend_it(client, editor):
    for _ in range(5):
        log_in(client, "feil")
    minutes_pass(10)
    # Someone at the same office address keeps trying: the editor is still locked out...
    assert [log_in(client, "feil").status_code for _ in range(3)] == [429, 429, 429]
    assert log_in(client, PASSWORD).status_code == 429
    minutes_pass(6)
    # ...but only for the 15 minutes from the fifth failure, not from the last attempt.
    assert log_in(client, PASSWORD).status_code == 302


def test_a_new_forwarded_address_per_attempt_does_not_escape_the_lockout(client, editor):
    # Production's default when nothing says a proxy is in front: the socket address counts.
    statuses = [
        log_in(client, "feil", HTTP_X_FORWARDED_FOR=f"203.0.113.{number}").status_code
        for number in range(8)
    ]
    assert statuses == [200, 200, 200, 200, 429, 429, 429, 429]


@pytest.mark.parametrize(("env", "count"), [({}, "0"), ({"TRUSTED_PROXY_COUNT": "1"}, "1")])
def test_production_trusts_no_proxy_unless_told_to(env, count):
    result = run_with_prod_settings(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)",
        SECRET_KEY="x" * 60,
        ALLOWED_HOSTS="www.example.no",
        SITE_URL="https://www.example.no",
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == count
