"""The demo newsroom of `make run`: its content, its photos and two accounts to try it with."""

import secrets
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction

from . import services

DEMO_FIXTURES = ["sections", "people", "images", "articles"]
DEMO_MEDIA = Path(settings.BASE_DIR) / "fixtures" / "media"


class DemoAccount(NamedTuple):
    role: str
    username: str
    first_name: str
    last_name: str


DEMO_ACCOUNTS = [
    DemoAccount("Journalist", "journalist", "Eva", "Nilsen"),
    DemoAccount("Redaktør", "redaktor", "Jonas", "Berg"),
]


def copy_demo_file(name):
    """Put a demo photo where the images fixture expects it (local disk or bucket); False if
    ``name`` is no file of fixtures/media."""
    path = DEMO_MEDIA / name
    if not path.is_file():
        return False
    if not default_storage.exists(name):
        with path.open("rb") as source:
            default_storage.save(name, File(source))
    return True


def demo_photo_loaded(sender, instance, raw=False, **kwargs):
    """`loaddata images` brings the demo photos as `load_demo` does: a photo whose file is one
    of fixtures/media's is put in the media storage and gets its renditions at once, before
    the articles of the same loaddata place it in their bodies (raw saves skip Image.save())."""
    if raw and instance.file and copy_demo_file(instance.file.name):
        instance.ensure_renditions()


def database_location():
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(database["NAME"])
    return f"{connection.vendor} «{database['NAME']}» på {database['HOST'] or 'denne maskinen'}"


def demo_accounts_allowed():
    """Accounts with printed passwords belong on a developer's machine, never in production."""
    return settings.DEMO_ACCOUNTS


@transaction.atomic
def create_demo_accounts(*, reset=False):
    """The demo journalist and editor, each with a byline; returns (account, password) pairs
    for the accounts that got a new password (all with ``reset``, else only new ones)."""
    if not demo_accounts_allowed():
        return []
    users = get_user_model().objects
    given = []
    for account in DEMO_ACCOUNTS:
        user = users.filter(username=account.username).first()
        if user is None:
            user = services.create_colleague(
                by=None,
                username=account.username,
                first_name=account.first_name,
                last_name=account.last_name,
                email=f"{account.username}@example.no",
                role=account.role,
            )
        elif not reset:
            continue
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        given.append((account, password))
    return given


def describe_demo_accounts(given):
    """The lines `make run` prints for accounts that just got a password."""
    if not given:
        return []
    return [
        "Kontoer for å prøve redaksjonen (bare i utvikling):",
        *(
            f"  {account.role:<11} brukernavn: {account.username:<11} passord: {password}"
            for account, password in given
        ),
        "Passordene vises bare nå. Nye passord: .venv/bin/python manage.py demo_accounts --reset",
    ]
