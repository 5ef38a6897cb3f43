"""Autosave: her text kept as her own private draft copy, never the article itself."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import BODY_MAX_LENGTH, Article, AutosavedDraft
from ops.pagecache import pages
from tests.admin_helpers import change_url, open_change_form
from tests.factories import ArticleFactory, EditorFactory, JournalistFactory, SectionFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


def autosave_url(article=None):
    if article is None:
        return reverse("admin:articles_article_autosave_new")
    return reverse("admin:articles_article_autosave", args=[article.pk])


def discard_url(article=None):
    if article is None:
        return reverse("admin:articles_article_discard_draft_new")
    return reverse("admin:articles_article_discard_draft", args=[article.pk])


@pytest.fixture
def her_article(journalist):
    return ArticleFactory(
        title="Bystyret møtes", body="Første avsnitt.\n\nAndre avsnitt.", created_by=journalist
    )


def typed(**text):
    return {"title": "Bystyret møtes", "lead": "Ingress.", "body": "Hun skriver.", **text}


def test_autosave_keeps_her_text_and_leaves_the_article_untouched(client, her_article):
    ArticleFactory(published=True)
    before = Article.objects.get(pk=her_article.pk)
    versions = Version.objects.count()
    generation = pages.current()

    response = client.post(autosave_url(her_article), typed(body="Et nytt avsnitt."))

    assert response.status_code == 200
    assert "saved_at" in response.json()
    after = Article.objects.get(pk=her_article.pk)
    assert after.body == before.body == "Første avsnitt.\n\nAndre avsnitt."
    assert (after.edit_token, after.status, after.modified_at) == (
        before.edit_token,
        before.status,
        before.modified_at,
    )
    assert Version.objects.count() == versions
    assert pages.current() == generation
    assert AutosavedDraft.objects.get(article=her_article).body == "Et nytt avsnitt."


def test_autosaving_again_replaces_her_one_draft(client, her_article):
    client.post(autosave_url(her_article), typed(body="Én."))
    client.post(autosave_url(her_article), typed(body="Én. To."))
    assert list(AutosavedDraft.objects.values_list("body", flat=True)) == ["Én. To."]


def test_reopening_offers_her_unsaved_changes_to_restore_or_discard(client, her_article):
    client.post(autosave_url(her_article), typed(body="Et nytt avsnitt."))
    page = client.get(change_url(her_article)).content.decode()
    assert 'id="autosave-offer"' in page and "Du har ulagrede endringer fra" in page
    assert "gjenopprett" in page and "forkast" in page
    assert "Et nytt avsnitt." in page  # the restore data, for the form
    # The form itself still holds the article: restoring is her choice.
    assert open_change_form(client, her_article)["body"] == "Første avsnitt.\n\nAndre avsnitt."


def test_discard_deletes_her_draft(client, her_article):
    client.post(autosave_url(her_article), typed(body="Et nytt avsnitt."))
    assert client.post(discard_url(her_article)).status_code == 204
    assert not AutosavedDraft.objects.exists()
    assert 'id="autosave-offer"' not in client.get(change_url(her_article)).content.decode()


def test_nobody_else_sees_or_restores_her_draft(client, her_article, journalist):
    client.post(autosave_url(her_article), typed(body="Hemmelig utkast."))
    editor = EditorFactory()
    client.force_login(editor)
    page = client.get(change_url(her_article)).content.decode()
    assert "Hemmelig utkast." not in page
    assert 'id="autosave-offer"' not in page
    client.post(discard_url(her_article))  # only ever the editor's own
    assert AutosavedDraft.objects.get(user=journalist).body == "Hemmelig utkast."


def test_a_journalist_cannot_autosave_into_a_colleagues_article(client, her_article):
    client.force_login(JournalistFactory())
    assert client.post(autosave_url(her_article), typed()).status_code == 403
    assert not AutosavedDraft.objects.exists()


def test_an_expired_login_is_sent_to_log_in_and_nothing_is_stored(her_article):
    from django.test import Client

    response = Client().post(autosave_url(her_article), typed())
    assert response.status_code == 302
    assert not AutosavedDraft.objects.exists()


def test_a_normal_save_discards_her_draft(client, her_article):
    client.post(autosave_url(her_article), typed(body="Utkast."))
    form = open_change_form(client, her_article)
    response = client.post(change_url(her_article), {**form, "body": "Lagret tekst."})
    assert response.status_code == 302
    assert not AutosavedDraft.objects.exists()
    assert Article.objects.get(pk=her_article.pk).body == "Lagret tekst."


def test_a_new_article_is_autosaved_offered_and_discarded_when_saved(client, journalist):
    section = SectionFactory()
    client.post(autosave_url(), typed(title="Ny sak", body="Ny tekst."))
    add_url = reverse("admin:articles_article_add")
    page = client.get(add_url).content.decode()
    assert 'id="autosave-offer"' in page and "Ny tekst." in page

    form = form_data(page, "article_form")
    form.update(title="Ny sak", lead="Ingress.", body="Ny tekst.", section=str(section.pk))
    assert client.post(add_url, form).status_code == 302
    assert not AutosavedDraft.objects.exists()


def test_a_text_longer_than_an_article_can_hold_is_refused_in_norwegian(client, her_article):
    response = client.post(autosave_url(her_article), typed(body="x" * (BODY_MAX_LENGTH + 1)))
    assert response.status_code == 400
    assert "for lang" in response.json()["error"]
    assert not AutosavedDraft.objects.exists()


def test_autosave_stays_within_a_small_query_budget(
    client, her_article, django_assert_max_num_queries
):
    client.post(autosave_url(her_article), typed())
    with django_assert_max_num_queries(10):
        client.post(autosave_url(her_article), typed(body="Igjen."))
