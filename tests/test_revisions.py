"""Every save is a revision: history, and a restore that never hides a public fact."""

import pytest
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleUpdate
from tests.admin_helpers import change_url, open_change_form
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ImageFactory,
    JournalistFactory,
    PersonFactory,
)
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


def test_restoring_an_older_version_never_moves_oppdatert_backwards(client, editor):
    article = ArticleFactory(published=True, title="Første")
    save_in_admin(client, article)
    old = Version.objects.get_for_object(article).get()
    note = services.add_article_update(
        article=article, by=editor, kind="correction", text="Navnet var feilstavet."
    )
    restore(client, article, old)
    article.refresh_from_db()
    assert article.updated_at == note.created_at
    assert article.updates.get() == note
    page = client.__class__().get(article.get_absolute_url()).content.decode()
    assert "Navnet var feilstavet." in page
    assert timezone.localtime(note.created_at).isoformat(timespec="seconds")[:16] in page


def test_the_restore_diff_names_photo_tags_bylines_and_related_links(client, editor):
    author, other = PersonFactory(name="Anne Først"), PersonFactory(name="Bjørn Annen")
    linked = ArticleFactory(title="Bakgrunn om saken", published=True)
    article = ArticleFactory(
        title="Sak", bylines=[author], tags=["Valg"], lead_image=None, related=[linked]
    )
    save_in_admin(client, article)
    old = Version.objects.get_for_object(article).get()
    photo = ImageFactory(caption="Ordføreren på talerstolen.")
    form = open_change_form(client, article)
    form.update(
        {
            "tags": ["Streik"],
            "byline_set-0-person": str(other.pk),
            "lead_image": str(photo.pk),
            "relatedlink_sources-0-DELETE": "on",
        }
    )
    assert client.post(change_url(article), form).status_code == 302

    page = client.get(
        reverse("admin:articles_article_revision", args=[article.pk, old.pk])
    ).content.decode()
    for label in ("Hovedbilde", "Stikkord", "Bylines", "Relaterte artikler"):
        assert f"<h3>{label}</h3>" in page, label
    # From the stored version (removed) to the article now (added).
    assert "<del>Valg</del>, <ins>Streik</ins>" in page
    assert "<del>Anne Først</del>, <ins>Bjørn Annen</ins>" in page
    assert "<del>Bakgrunn om saken</del>" in page
    assert "Ordføreren på talerstolen." in page


def test_history_is_newest_first_to_the_second_and_names_each_publishing_step(client, editor):
    journalist = JournalistFactory()
    article = ArticleFactory(created_by=journalist, title="Sak")
    services.submit_article(article=article, by=journalist)
    form = open_change_form(client, article)
    client.post(change_url(article), {**form, "title": "Vasket sak", "_publish": "1"})
    services.unpublish_article(article=article, by=editor)

    page = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    html = page.content.decode()
    assert "Ingen felt endret" not in html
    sent, published, unpublished = (
        html.index("Sendt til vask."),
        html.index("Endret Tittel. Publisert"),
        html.index("Avpublisert."),
    )
    assert unpublished < published < sent
    newest = Version.objects.get_for_object(article).first().revision.date_created
    assert timezone.localtime(newest).strftime("kl. %H.%M.%S") in html
