"""Every save is a revision: history, and a restore that never hides a public fact."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleUpdate
from tests.admin_helpers import change_url, open_change_form
from tests.factories import ArticleFactory, EditorFactory, JournalistFactory, PersonFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def save_in_admin(client, article, **changes):
    response = client.post(change_url(article), {**open_change_form(client, article), **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def restore(client, article, version):
    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page.content.decode(), "article_form"))


def test_history_lists_every_save_with_who_and_what_changed(client, editor):
    article = ArticleFactory(title="Første tittel")
    save_in_admin(client, article, title="Andre tittel")
    save_in_admin(client, article, body="Ny brødtekst.")
    versions = Version.objects.get_for_object(article)
    assert versions.count() == 2
    assert {version.revision.user for version in versions} == {editor}

    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    page = history.content.decode()
    assert "Endret Tittel." in page
    assert "Endret Brødtekst." in page


def test_restoring_an_earlier_version_brings_back_text_bylines_and_tags(client, editor):
    first_author, second_author = PersonFactory(name="Anne Først"), PersonFactory()
    article = ArticleFactory(title="Original", bylines=[first_author], tags=["Valg"])
    save_in_admin(client, article)  # the revision to go back to
    original = Version.objects.get_for_object(article).get()

    form = open_change_form(client, article)
    form.update({"title": "Omskrevet", "tags": "Streik", "byline_set-0-person": second_author.pk})
    assert client.post(change_url(article), form).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Omskrevet"

    response = restore(client, article, original)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Original"
    assert article.ordered_bylines() == [first_author]
    assert [tag.name for tag in article.tags.all()] == ["Valg"]
    assert Version.objects.get_for_object(article).count() == 3


def test_restoring_never_changes_whether_the_article_is_published(client, editor):
    article = ArticleFactory(title="Kladdtekst")
    save_in_admin(client, article)
    draft_version = Version.objects.get_for_object(article).get()
    services.publish_article(article=article, by=editor)
    save_in_admin(client, article, title="Publisert tekst")

    restore(client, article, draft_version)
    article.refresh_from_db()
    assert article.title == "Kladdtekst"
    assert article.is_published
    assert Article.objects.published().get() == article


def test_a_journalist_restores_her_draft_but_not_a_released_article(client):
    journalist = JournalistFactory()
    client.force_login(journalist)
    article = ArticleFactory(created_by=journalist, title="Første utkast")
    save_in_admin(client, article)
    first = Version.objects.get_for_object(article).get()
    save_in_admin(client, article, title="Andre utkast")
    assert restore(client, article, first).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Første utkast"

    services.publish_article(article=article, by=EditorFactory())
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"title": "Tilbake"}).status_code == 403
    assert Article.objects.published().get().title == "Første utkast"


def test_restoring_keeps_corrections_made_later(client, editor):
    article = ArticleFactory(published=True)
    save_in_admin(client, article)
    version = Version.objects.get_for_object(article).get()
    services.add_article_update(article=article, by=editor, kind="correction", text="Rettet.")
    restore(client, article, version)
    assert ArticleUpdate.objects.filter(article=article).count() == 1


def test_a_revision_shows_what_changed_since_then(client, editor):
    article = ArticleFactory(title="Gammel tittel", body="Regjeringen la fram budsjettet i dag.")
    save_in_admin(client, article)
    version = Version.objects.get_for_object(article).get()
    save_in_admin(client, article, body="Regjeringen la fram statsbudsjettet i dag.")

    url = reverse("admin:articles_article_revision", args=[article.pk, version.pk])
    page = client.get(url).content.decode()
    assert "<del" in page and ">budsjettet</del>" in page
    assert ">statsbudsjettet</ins>" in page
    assert "Lagre og publiser nå" not in page
    assert Article.objects.get(pk=article.pk).body.startswith("Regjeringen la fram statsbud")
