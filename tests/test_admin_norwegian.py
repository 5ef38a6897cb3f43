"""Every admin screen a journalist or an editor opens is in Norwegian bokmål."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from tests.factories import (
    ArticleFactory,
    ArticleUpdateFactory,
    EditorFactory,
    ImageFactory,
    JournalistFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Seen by the newsroom's first users, and a few more English leftovers of Django and its apps.
ENGLISH = [
    "Choose all",
    "Choose selected",
    "Remove all",
    "Reset password",
    "Set password",
    "Can add",
    "Can change",
    "Can delete",
    "Can view",
    "Access attempt",
    "access attempt",
    "Taggede Elementer",
    "Tagged item",
    "tagged item",
    "Merge selected tags",
    "Select this object for an action",
    "Select all objects on this page",
    "View selected",
    "Filter navigation items",
    'alt="Search"',
    "Breadcrumbs",
    "Sidebar",
    "Password-based authentication",
]


def people_administrator():
    """A staff account that looks after users (not a superuser): sees the user screens."""
    user = UserFactory()
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["auth", "axes"],
            codename__regex=r"^(view|change)_",
        )
    )
    return user


def admin_pages(user):
    """Every page of the admin the user may open for the objects that exist."""
    pages = [reverse("admin:index"), reverse("admin:password_change")]
    for model in admin.site._registry:
        app_label, model_name = model._meta.app_label, model._meta.model_name
        pages.append(reverse("admin:app_list", args=[app_label]))
        pages += [
            reverse(f"admin:{app_label}_{model_name}_{view}") for view in ("changelist", "add")
        ]
        for obj in model._default_manager.all()[:2]:
            for view in ("change", "history", "delete"):
                try:
                    pages.append(reverse(f"admin:{app_label}_{model_name}_{view}", args=[obj.pk]))
                except NoReverseMatch:
                    continue
    if user.has_perm("articles.add_colleague"):
        pages.append(reverse("admin:articles_person_add_colleague"))
    return list(dict.fromkeys(pages))


@pytest.mark.parametrize(
    "role",
    [JournalistFactory, EditorFactory, people_administrator],
    ids=["journalist", "editor", "people-administrator"],
)
def test_no_english_on_any_admin_page_a_role_sees(client, role):
    user = role()
    PersonFactory(user=user)
    article = ArticleFactory(created_by=user, tags=["bro"], published=True)
    ArticleUpdateFactory(article=article)
    ImageFactory()
    client.force_login(user)

    seen = 0
    found = {}
    for url in admin_pages(user):
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        html = re.sub(r"<script.*?</script>", "", response.content.decode(), flags=re.S)
        for phrase in ENGLISH:
            if phrase in html:
                found.setdefault(phrase, url)
    assert seen > 10
    assert found == {}


def test_the_admin_javascript_speaks_norwegian(client, editor):
    catalogue = client.get("/admin/jsi18n/").content.decode()
    for english, norwegian in [
        ("Choose all %s", "Velg alle %s"),
        ("Remove all %s", "Fjern alle %s"),
        ("Choose selected %s", "Velg markerte %s"),
    ]:
        assert f'"{english}": "{norwegian}"' in catalogue


def test_permission_names_are_norwegian_also_for_permissions_made_later():
    assert not Permission.objects.filter(name__startswith="Can ").exists()
    assert Permission.objects.get(codename="add_article").name == "Kan legge til artikkel"
    assert Permission.objects.get(codename="view_user").name == "Kan se bruker"

    Permission.objects.filter(codename="delete_image").delete()
    call_command("migrate", "articles", verbosity=0)

    assert Permission.objects.get(codename="delete_image").name == "Kan slette bilde"
    assert not Permission.objects.filter(name__startswith="Can ").exists()
