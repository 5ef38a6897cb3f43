"""Every save is a revision: history, restore of a version, recovery of a deleted article."""

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


def test_a_journalist_cannot_republish_by_restoring_a_published_version(client):
    journalist = JournalistFactory()
    client.force_login(journalist)
    article = ArticleFactory(created_by=journalist, published=True)
    save_in_admin(client, article, title="Publisert versjon")
    published_version = Version.objects.get_for_object(article).get()
    services.unpublish_article(article=article, by=EditorFactory())

    restore(client, article, published_version)
    article.refresh_from_db()
    assert article.title == "Publisert versjon"
    assert not Article.objects.published().exists()


def test_restoring_keeps_corrections_made_later(client, editor):
    article = ArticleFactory(published=True)
    save_in_admin(client, article)
    version = Version.objects.get_for_object(article).get()
    services.add_article_update(article=article, by=editor, kind="correction", text="Rettet.")
    restore(client, article, version)
    assert ArticleUpdate.objects.filter(article=article).count() == 1


def test_a_deleted_article_can_be_recovered_with_its_bylines_and_tags(client, editor):
    author = PersonFactory()
    article = ArticleFactory(
        title="Slettet ved en feil", published=True, bylines=[author], tags=["Budsjett"]
    )
    save_in_admin(client, article)
    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()

    recover_list = client.get(reverse("admin:articles_article_recoverlist")).content.decode()
    assert "Slettet ved en feil" in recover_list
    version = Version.objects.get_deleted(Article).get()
    url = reverse("admin:articles_article_recover", args=[version.pk])
    page = client.get(url)
    assert client.post(url, form_data(page.content.decode(), "article_form")).status_code == 302

    recovered = Article.objects.get(pk=article.pk)
    assert recovered.title == "Slettet ved en feil"
    assert recovered.ordered_bylines() == [author]
    assert [tag.name for tag in recovered.tags.all()] == ["Budsjett"]
    assert recovered.status == Article.Status.DRAFT


def test_a_journalist_cannot_reach_the_recovery_of_deleted_articles(client):
    client.force_login(JournalistFactory())
    article = ArticleFactory()
    with_version = EditorFactory()
    client_for_editor = client.__class__()
    client_for_editor.force_login(with_version)
    save_in_admin(client_for_editor, article)
    article.delete()
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    version = Version.objects.get_deleted(Article).get()
    recover_url = reverse("admin:articles_article_recover", args=[version.pk])
    assert client.get(recover_url).status_code == 403
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Gjenopprett slettede artikler" not in listing
    assert (
        "Gjenopprett slettede artikler"
        in client_for_editor.get(reverse("admin:articles_article_changelist")).content.decode()
    )


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
