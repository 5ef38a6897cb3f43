"""Roles that match a newsroom, and a newsroom account that is a byline (docs/newsroom.md)."""

import io
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from articles import services
from articles.models import Article, Byline, Image, Person, Section
from tests import image_files
from tests.factories import (
    PASSWORD,
    EditorFactory,
    ImageFactory,
    JournalistFactory,
    PersonFactory,
    SectionFactory,
    UserFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

COLLEAGUE_URL = reverse("admin:articles_person_add_colleague")
LEAD_IMAGE_AUTOCOMPLETE = {
    "app_label": "articles",
    "model_name": "article",
    "field_name": "lead_image",
    "term": "",
}


# Photos -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [JournalistFactory, EditorFactory])
def test_both_roles_find_photos_in_the_menu_and_the_lead_image_picker(client, role):
    client.force_login(role())
    photo = ImageFactory(alt_text="Statsministeren på talerstolen")
    index = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:articles_image_changelist") in index
    assert ">Bilder<" in index

    answer = client.get(
        reverse("admin:autocomplete"), {**LEAD_IMAGE_AUTOCOMPLETE, "term": "talerstol"}
    )
    assert answer.status_code == 200
    assert [result["id"] for result in answer.json()["results"]] == [str(photo.pk)]

    add_form = client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'id="add_id_lead_image"' in add_form


def test_journalist_uploads_and_captions_a_photo(client, journalist):
    add_url = reverse("admin:articles_image_add")
    response = client.post(
        add_url,
        {
            **form_data(client.get(add_url).content.decode(), "image_form"),
            "file": SimpleUploadedFile(
                "demo.jpg", image_files.photo_bytes(), content_type="image/jpeg"
            ),
            "alt_text": "Folk i kø foran valglokalet",
            "caption": "Lang kø på Grünerløkka.",
        },
    )
    assert response.status_code == 302
    image = Image.objects.get()
    assert image.caption == "Lang kø på Grünerløkka."

    change_url = reverse("admin:articles_image_change", args=[image.pk])
    data = form_data(client.get(change_url).content.decode(), "image_form")
    client.post(change_url, {**data, "caption": "Kø ved valglokalet."})
    image.refresh_from_db()
    assert image.caption == "Kø ved valglokalet."


def test_journalist_cannot_delete_a_photo_even_with_a_forged_post(client, journalist):
    image = ImageFactory()
    delete_url = reverse("admin:articles_image_delete", args=[image.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    client.post(
        reverse("admin:articles_image_changelist"),
        {"action": "delete_selected", "_selected_action": [image.pk], "post": "yes"},
    )
    assert Image.objects.filter(pk=image.pk).exists()


def test_editor_deletes_a_photo(client, editor):
    image = ImageFactory()
    response = client.post(
        reverse("admin:articles_image_delete", args=[image.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Image.objects.filter(pk=image.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        lambda: reverse("admin:articles_section_add"),
        lambda: reverse("admin:articles_section_delete", args=[SectionFactory().pk]),
        lambda: reverse("admin:articles_person_delete", args=[PersonFactory().pk]),
        lambda: COLLEAGUE_URL,
    ],
    ids=["add-section", "delete-section", "delete-person", "add-colleague"],
)
def test_journalist_forging_library_and_account_posts_is_refused(client, journalist, url):
    target = url()
    assert client.get(target).status_code == 403
    sections, people = Section.objects.count(), Person.objects.count()
    response = client.post(
        target,
        {
            "name": "Ny",
            "slug": "ny",
            "post": "yes",
            "username": "smugler",
            "first_name": "S",
            "last_name": "M",
            "email": "s@example.no",
            "role": "Redaktør",
        },
    )
    assert response.status_code == 403
    assert (Section.objects.count(), Person.objects.count()) == (sections, people)
    assert not User.objects.filter(username="smugler").exists()


def test_editor_manages_sections_and_people(client, editor):
    section = SectionFactory()
    person = PersonFactory()
    for url in [
        reverse("admin:articles_section_delete", args=[section.pk]),
        reverse("admin:articles_person_delete", args=[person.pk]),
    ]:
        assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Section.objects.filter(pk=section.pk).exists()
    assert not Person.objects.filter(pk=person.pk).exists()


# A new colleague --------------------------------------------------------------------------


def add_colleague(client, **fields):
    page = client.get(COLLEAGUE_URL)
    assert page.status_code == 200
    data = form_data(page.content.decode(), "colleague_form", **fields)
    return client.post(COLLEAGUE_URL, data)


def test_editor_adds_a_journalist_in_one_step_who_sets_her_own_password(client, editor):
    assert "Ny medarbeider" in client.get(reverse("admin:index")).content.decode()
    response = add_colleague(
        client,
        first_name="Kari",
        last_name="Nordmann",
        email="kari@example.no",
        username="kari",
        role="Journalist",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "er lagt til som Journalist med bylinen «Kari Nordmann»" in page
    kari = User.objects.get(username="kari")
    assert kari.is_staff and not kari.is_superuser
    assert not kari.has_usable_password()
    assert [group.name for group in kari.groups.all()] == ["Journalist"]
    assert (kari.person.name, kari.person.email) == ("Kari Nordmann", "kari@example.no")

    link = re.search(r'value="(http://testserver(/admin/passord/[^"]+))"', page).group(2)
    client.logout()
    form_page = client.get(link, follow=True)
    assert "Skriv inn nytt passord" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fersk-avis-kaffe-9", "new_password2": "fersk-avis-kaffe-9"},
        follow=True,
    )
    assert done.status_code == 200
    assert client.login(username="kari", password="fersk-avis-kaffe-9")
    assert client.get(reverse("admin:articles_article_add")).status_code == 200
    # The link works once.
    client.logout()
    assert "Skriv inn nytt passord" not in client.get(link, follow=True).content.decode()


def test_a_colleague_can_take_over_an_existing_byline(client, editor):
    byline = PersonFactory(name="Ola Normann")
    add_colleague(
        client,
        first_name="Ola",
        last_name="Normann",
        email="ola@example.no",
        username="ola",
        role="Redaktør",
        person=str(byline.pk),
    )
    byline.refresh_from_db()
    assert byline.user.username == "ola"
    assert byline.user.groups.get().name == "Redaktør"
    assert Person.objects.count() == 1


def test_a_taken_username_is_refused_and_nothing_is_written(client, editor):
    UserFactory(username="kari")
    people = Person.objects.count()
    response = add_colleague(
        client,
        first_name="Kari",
        last_name="Nordmann",
        email="kari@example.no",
        username="Kari",
        role="Journalist",
    )
    assert "Brukernavnet «Kari» er allerede i bruk." in response.content.decode()
    assert User.objects.filter(username__iexact="kari").count() == 1
    assert Person.objects.count() == people


def test_the_role_must_be_one_of_the_newsroom_groups(client, editor):
    Group.objects.create(name="Administratorer")
    response = add_colleague(
        client,
        first_name="Per",
        last_name="Sjef",
        email="per@example.no",
        username="per",
        role="Administratorer",
    )
    assert "Velg et gyldig valg" in response.content.decode()
    assert not User.objects.filter(username="per").exists()


def test_login_and_byline_are_shown_on_both_admin_pages(client, editor):
    kari = JournalistFactory(username="kari", first_name="Kari", last_name="Nordmann")
    byline = PersonFactory(name="Kari Nordmann", user=kari)
    person_page = client.get(reverse("admin:articles_person_change", args=[byline.pk]))
    assert 'name="user"' in person_page.content.decode()
    assert "kari" in person_page.content.decode()

    viewer = UserFactory()
    viewer.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_user", "view_person"])
    )
    client.force_login(viewer)
    user_page = client.get(reverse("admin:auth_user_change", args=[kari.pk])).content.decode()
    assert "Kari Nordmann" in user_page
    listing = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "Kari Nordmann" in listing


def test_a_journalist_cannot_link_her_login_to_another_byline(client, journalist):
    other = PersonFactory()
    page = client.get(reverse("admin:articles_person_change", args=[other.pk])).content.decode()
    assert 'name="user"' not in page
    data = form_data(page, "person_form", user=str(journalist.pk))
    client.post(reverse("admin:articles_person_change", args=[other.pk]), data)
    other.refresh_from_db()
    assert other.user is None


def test_the_writers_own_byline_is_the_first_byline_of_a_new_article(client, journalist):
    own = PersonFactory(name="Kari Nordmann", user=journalist)
    PersonFactory(name="Annen Person")
    section = SectionFactory()
    add_url = reverse("admin:articles_article_add")
    page = client.get(add_url).content.decode()
    data = form_data(
        page, "article_form", title="Egen sak", section=str(section.pk), lead="I.", body="T."
    )
    assert data["byline_set-0-person"] == str(own.pk)
    assert client.post(add_url, data).status_code == 302
    article = Article.objects.get(title="Egen sak")
    assert list(Byline.objects.filter(article=article).values_list("person", flat=True)) == [
        own.pk
    ]


def test_the_byline_can_be_removed_from_a_new_article(client, journalist):
    PersonFactory(user=journalist)
    section = SectionFactory()
    add_url = reverse("admin:articles_article_add")
    data = form_data(
        client.get(add_url).content.decode(),
        "article_form",
        title="Uten byline",
        section=str(section.pk),
        lead="I.",
        body="T.",
        **{"byline_set-0-person": ""},
    )
    assert client.post(add_url, data).status_code == 302
    assert not Byline.objects.exists()


# The command ------------------------------------------------------------------------------


def test_create_colleague_command_makes_an_editor_and_prints_the_password_link():
    EditorFactory()  # the groups exist
    out = io.StringIO()
    call_command(
        "create_colleague",
        "eva",
        "--first-name=Eva",
        "--last-name=Redaktør",
        "--email=eva@example.no",
        "--role=Redaktør",
        "--site-url=https://www.example.no/",
        stdout=out,
    )
    eva = User.objects.get(username="eva")
    assert eva.is_staff
    assert eva.groups.get().name == "Redaktør"
    assert eva.person.name == "Eva Redaktør"
    assert re.search(r"^https://www\.example\.no/admin/passord/\S+/$", out.getvalue(), re.M)


def test_create_colleague_command_refuses_a_taken_username_and_writes_nothing():
    UserFactory(username="eva")
    with pytest.raises(CommandError, match="er allerede i bruk"):
        call_command(
            "create_colleague",
            "eva",
            "--first-name=Eva",
            "--last-name=Redaktør",
            "--email=eva@example.no",
            "--role=Journalist",
        )
    assert not Person.objects.exists()


def test_new_accounts_can_log_in_with_a_password_only_through_the_link(client):
    kari = JournalistFactory(username="kari")
    kari.set_unusable_password()
    kari.save()
    assert not client.login(username="kari", password=PASSWORD)


def test_the_service_refuses_a_journalist_whoever_calls_it(journalist):
    with pytest.raises(PermissionDenied):
        services.create_colleague(
            by=journalist,
            username="smugler",
            first_name="S",
            last_name="M",
            email="s@example.no",
            role="Redaktør",
        )
    assert not User.objects.filter(username="smugler").exists()
    assert not Person.objects.exists()
