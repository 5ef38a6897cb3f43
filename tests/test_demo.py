import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import CommandError, call_command

from tests.factories import newsroom_group

ACCOUNT_LINE = re.compile(r"^  (\S+) +brukernavn: (\S+) +passord: (\S+)$", re.MULTILINE)


@pytest.fixture(autouse=True)
def demo_accounts_on(settings, transactional_db):
    settings.DEMO_ACCOUNTS = True
    for role in ("Journalist", "Redaktør"):
        newsroom_group(role)


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def printed_accounts(output):
    return {
        username: (role, password) for role, username, password in ACCOUNT_LINE.findall(output)
    }


def test_load_demo_prints_a_journalist_and_an_editor_who_can_log_in():
    output = run("load_demo")
    accounts = printed_accounts(output)
    assert {role for role, _ in accounts.values()} == {"Journalist", "Redaktør"}
    for username, (role, password) in accounts.items():
        user = authenticate(username=username, password=password)
        assert user is not None and user.is_staff and not user.is_superuser
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.person.name == user.get_full_name()
    assert "Database: " in output


def test_passwords_are_shown_once_and_reset_on_request():
    first = printed_accounts(run("load_demo"))
    assert printed_accounts(run("load_demo")) == {}
    again = printed_accounts(run("demo_accounts", "--reset"))
    assert again.keys() == first.keys()
    for username, (_, password) in again.items():
        assert authenticate(username=username, password=first[username][1]) is None
        assert authenticate(username=username, password=password) is not None


def test_no_demo_accounts_where_they_are_not_allowed(settings):
    settings.DEMO_ACCOUNTS = False
    output = run("load_demo")
    assert "passord" not in output
    assert not get_user_model().objects.exists()
    with pytest.raises(CommandError):
        run("demo_accounts")
