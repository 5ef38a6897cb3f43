"""Draft → «Klar til vask» → published by an editor; a journalist's edit of a live one waits."""

import pytest
from django.urls import reverse
from taggit.models import Tag

from articles import services
from articles.models import Article, PendingChange, PublicationEvent
from tests.admin_helpers import change_url, error_text, message_texts, open_change_form
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ImageFactory,
    JournalistFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db


def pending_url(article):
    return reverse("admin:articles_article_pending", args=[article.pk])


def events(article):
    return list(
        PublicationEvent.objects.filter(article=article)
        .order_by("at", "pk")
        .values_list("action", "by__username")
    )


# Submitting and sending back


def test_journalist_submits_her_draft_and_the_log_says_who_and_when(client, journalist):
    article = ArticleFactory(created_by=journalist)
    form = open_change_form(client, article)
    response = client.post(change_url(article), {**form, "title": "Klar nå", "_submit": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.title) == (Article.Status.SUBMITTED, "Klar nå")
    assert not Article.objects.published().exists()
    assert events(article) == [("submitted", journalist.username)]
    assert "Artikkelen er sendt til vask." in message_texts(client.get(change_url(article)))


def test_a_submitted_article_is_published_by_an_editor_not_its_journalist(client, journalist):
    article = ArticleFactory(created_by=journalist, status=Article.Status.SUBMITTED)
    form = open_change_form(client, article)
    assert (
        "_publish" not in form
        and 'name="_submit"' not in client.get(change_url(article)).content.decode()
    )
    refused = client.post(change_url(article), {**form, "_publish": "1"})
    assert "Du har ikke tilgang til å publisere" in error_text(refused)

    editor = EditorFactory()
    client.force_login(editor)
    form = open_change_form(client, article)
    assert client.post(change_url(article), {**form, "_publish": "1"}).status_code == 302
    assert Article.objects.published().get() == article
    assert events(article) == [("published", editor.username)]


def test_editor_sends_a_submitted_article_back(client, editor):
    article = ArticleFactory(status=Article.Status.SUBMITTED)
    form = open_change_form(client, article)
    assert client.post(change_url(article), {**form, "_send_back": "1"}).status_code == 302
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert events(article) == [("sent_back", editor.username)]


def test_journalist_cannot_send_back_or_submit_a_colleagues_article():
    journalist = JournalistFactory()
    with pytest.raises(services.PublishingNotAllowed):
        services.send_back_article(
            article=ArticleFactory(status=Article.Status.SUBMITTED), by=journalist
        )
    with pytest.raises(services.NotAllowed):
        services.submit_article(article=ArticleFactory(created_by=EditorFactory()), by=journalist)
    assert not PublicationEvent.objects.exists()


def test_submitting_twice_is_refused_with_a_clear_message():
    journalist = JournalistFactory()
    article = ArticleFactory(created_by=journalist)
    services.submit_article(article=article, by=journalist)
    with pytest.raises(services.ValidationError, match="endret status"):
        services.submit_article(article=article, by=journalist)
    assert PublicationEvent.objects.count() == 1


# A journalist's change to a released article


@pytest.fixture
def live():
    journalist = JournalistFactory(first_name="Jorunn", last_name="Skriver")
    article = ArticleFactory(
        created_by=journalist,
        published=True,
        title="Godkjent tittel",
        body="Godkjent brødtekst.",
        tags=["Valg"],
    )
    return journalist, article


def propose(client, article, **changes):
    form = open_change_form(client, article)
    response = client.post(change_url(article), {**form, **changes})
    assert response.status_code == 302, error_text(response)
    return response


def test_journalists_edit_of_a_live_article_waits_and_readers_keep_the_approved_text(client, live):
    journalist, article = live
    client.force_login(journalist)
    photo = ImageFactory()
    propose(
        client,
        article,
        title="Ny tittel",
        body="Ny brødtekst.",
        tags=["Valg", "Streik"],
        lead_image=str(photo.pk),
    )
    article.refresh_from_db()
    assert (article.title, article.body, article.lead_image) == (
        "Godkjent tittel",
        "Godkjent brødtekst.",
        None,
    )
    assert [tag.name for tag in article.tags.all()] == ["Valg"]
    assert not Tag.objects.filter(name="Streik").exists()
    reader_page = client.__class__().get(article.get_absolute_url()).content.decode()
    assert "Godkjent tittel" in reader_page and "Ny tittel" not in reader_page

    change = PendingChange.objects.get(article=article)
    assert (change.title, change.lead_image, change.proposed_by) == (
        "Ny tittel",
        photo,
        journalist,
    )
    assert sorted(change.tag_names) == ["Streik", "Valg"]

    # Her form shows her waiting change, and says so.
    page = client.get(change_url(article)).content.decode()
    assert "En endring venter på godkjenning" in page
    assert "Ny tittel</textarea>" in page
    # She goes on from it; the pending change is updated, readers still see the approved text.
    propose(client, article, body="Enda nyere brødtekst.")
    assert PendingChange.objects.get().body == "Enda nyere brødtekst."
    assert PendingChange.objects.get().title == "Ny tittel"
    assert Article.objects.get(pk=article.pk).body == "Godkjent brødtekst."


def test_editor_sees_the_difference_and_approves(client, live):
    journalist, article = live
    client.force_login(journalist)
    propose(client, article, body="Godkjent og forbedret brødtekst.", tags=["Valg", "Streik"])

    editor = EditorFactory()
    client.force_login(editor)
    assert "Se endringen og godkjenn" in client.get(change_url(article)).content.decode()
    page = client.get(pending_url(article)).content.decode()
    assert "<ins>og forbedret </ins>" in page
    assert "<ins>Streik</ins>, Valg" in page
    preview = client.get(reverse("articles:preview", args=[article.pk]))
    assert preview.status_code == 200
    assert "Godkjent og forbedret brødtekst." in preview.content.decode()
    assert "endring som venter på godkjenning" in preview.content.decode()

    response = client.post(pending_url(article), {"_approve": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body == "Godkjent og forbedret brødtekst."
    assert sorted(tag.name for tag in article.tags.all()) == ["Streik", "Valg"]
    assert article.is_published
    assert not PendingChange.objects.exists()
    assert events(article) == [("change_approved", editor.username)]
    reader_page = client.__class__().get(article.get_absolute_url()).content.decode()
    assert "Godkjent og forbedret brødtekst." in reader_page


def test_editor_rejects_and_readers_keep_what_they_had(client, live):
    journalist, article = live
    client.force_login(journalist)
    propose(client, article, title="Feil tittel")
    editor = EditorFactory()
    client.force_login(editor)
    assert client.post(pending_url(article), {"_reject": "1"}).status_code == 302
    assert Article.objects.get(pk=article.pk).title == "Godkjent tittel"
    assert not PendingChange.objects.exists()
    assert events(article) == [("change_rejected", editor.username)]


def test_a_journalist_cannot_approve_her_own_change_by_forging_the_post(client, live):
    journalist, article = live
    client.force_login(journalist)
    propose(client, article, title="Selvgodkjent")
    assert client.post(pending_url(article), {"_approve": "1"}).status_code == 403
    assert client.post(pending_url(article), {"_reject": "1"}).status_code == 403
    assert Article.objects.get(pk=article.pk).title == "Godkjent tittel"
    assert PendingChange.objects.exists()
    change = PendingChange.objects.get()
    with pytest.raises(services.PublishingNotAllowed):
        services.approve_change(change=change, by=journalist)
    with pytest.raises(services.PublishingNotAllowed):
        services.reject_change(change=change, by=journalist)
    assert not PublicationEvent.objects.exists()


def test_bylines_links_and_notes_of_a_live_article_are_read_only_for_a_journalist(client, live):
    journalist, article = live
    client.force_login(journalist)
    page = client.get(change_url(article)).content.decode()
    assert 'name="byline_set-0-person"' not in page
    assert 'name="relatedlink_sources-0-to_article"' not in page
    form = open_change_form(client, article)
    forged = {
        **form,
        "byline_set-TOTAL_FORMS": "1",
        "byline_set-0-person": str(PersonFactory().pk),
        "updates-TOTAL_FORMS": "1",
        "updates-0-kind": "correction",
        "updates-0-text": "Smuglet rettelse.",
    }
    client.post(change_url(article), forged)
    assert not article.byline_set.exists()
    assert not article.updates.exists()


def test_an_editors_own_edit_of_a_live_article_goes_straight_to_readers(client, editor):
    article = ArticleFactory(published=True, title="Før")
    propose(client, article, title="Etter")
    assert Article.objects.published().get().title == "Etter"
    assert not PendingChange.objects.exists()


def test_services_save_article_makes_a_pending_change_for_a_journalist(live):
    journalist, article = live
    article.title = "Via tjenesten"
    change = services.save_article(
        article=article, by=journalist, loaded_edit_token=article.edit_token, tag_names=["Valg"]
    )
    assert change.title == "Via tjenesten"
    assert Article.objects.get(pk=article.pk).title == "Godkjent tittel"


def test_a_step_that_no_longer_fits_is_refused_with_the_typed_text_kept(client, editor):
    article = ArticleFactory(published=True, title="Live")
    form = open_change_form(client, article)
    response = client.post(change_url(article), {**form, "title": "Endret", "_submit": "1"})
    assert response.status_code == 200
    assert "endret status" in error_text(response)
    assert "Ikke lagret" in response.content.decode()
    assert "Endret</textarea>" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Live"
