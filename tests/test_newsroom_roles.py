"""Who may do what in the newsroom admin, including requests a browser would never send."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, PublicationEvent
from tests.admin_helpers import (
    change_url,
    changelist_url,
    error_text,
    open_change_form,
    split_datetime,
)
from tests.factories import ArticleFactory, EditorFactory, JournalistFactory, SectionFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

NOT_ALLOWED = "Du har ikke tilgang til å publisere"


def test_the_data_migration_made_both_groups_with_publishing_only_for_editors():
    journalist = Group.objects.get(name="Journalist")
    editor = Group.objects.get(name="Redaktør")
    journalist_perms = set(journalist.permissions.values_list("codename", flat=True))
    editor_perms = set(editor.permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article"} <= journalist_perms
    assert not {"publish_article", "delete_article", "edit_any_article"} & journalist_perms
    assert journalist_perms < editor_perms
    assert {"publish_article", "delete_article", "edit_any_article"} <= editor_perms


def test_journalist_writes_a_new_article_which_is_saved_as_a_draft(client, journalist):
    section = SectionFactory(name="Innenriks")
    add_url = reverse("admin:articles_article_add")
    page = client.get(add_url)
    assert page.status_code == 200
    assert "_publish" not in page.content.decode()

    data = form_data(
        page.content.decode(),
        "article_form",
        title="Bystyret vedtok budsjettet",
        slug="",
        section=str(section.pk),
        lead="Etter lange forhandlinger.",
        body="Budsjettet ble vedtatt.",
    )
    response = client.post(add_url, data)
    assert response.status_code == 302
    article = Article.objects.get(title="Bystyret vedtok budsjettet")
    assert article.status == Article.Status.DRAFT
    assert article.created_by == journalist
    assert article.last_edited_by == journalist


def test_journalist_pressing_a_forged_publish_button_gets_an_error_and_a_draft(client, journalist):
    article = ArticleFactory(created_by=journalist, title="Kladd")
    data = open_change_form(client, article)
    response = client.post(change_url(article), {**data, "title": "Ny tittel", "_publish": "1"})
    assert response.status_code == 200
    assert NOT_ALLOWED in error_text(response)
    article.refresh_from_db()
    assert (article.status, article.title) == (Article.Status.DRAFT, "Kladd")
    assert not PublicationEvent.objects.exists()


@pytest.mark.parametrize(
    "forged",
    [
        {"status": "published"},
        {"status": "published", "published_at_0": "01.01.2024", "published_at_1": "12:00"},
        {"published_at": "2024-01-01 12:00"},
        {"_schedule": "1", "schedule_at_0": "01.01.2099", "schedule_at_1": "12:00"},
        {"_unpublish": "1"},
    ],
)
def test_journalist_forging_a_publishing_post_gets_an_error(client, journalist, forged):
    article = ArticleFactory(created_by=journalist)
    data = open_change_form(client, article)
    response = client.post(change_url(article), {**data, **forged})
    assert response.status_code == 200
    assert NOT_ALLOWED in error_text(response)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT
    assert not Article.objects.published().exists()


def test_journalist_cannot_unpublish_a_live_article_by_forging_the_button(client, journalist):
    article = ArticleFactory(created_by=journalist, published=True)
    data = open_change_form(client, article)
    response = client.post(change_url(article), {**data, "_unpublish": "1"})
    assert NOT_ALLOWED in error_text(response)
    assert Article.objects.published().get() == article


def test_journalist_cannot_delete_or_use_bulk_publishing(client, journalist):
    article = ArticleFactory(created_by=journalist)
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    assert client.get(delete_url).status_code == 403
    assert client.post(delete_url, {"post": "yes"}).status_code == 403

    listing = client.get(changelist_url()).content.decode()
    assert "publish_selected" not in listing
    assert "delete_selected" not in listing
    for action in ["publish_selected", "unpublish_selected", "delete_selected"]:
        client.post(changelist_url(), {"action": action, "_selected_action": [article.pk]})
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT


def test_journalist_may_read_but_not_change_a_colleagues_article(client, journalist):
    article = ArticleFactory(created_by=JournalistFactory(), title="Kollegaens sak")
    page = client.get(change_url(article))
    assert page.status_code == 200
    assert 'name="title"' not in page.content.decode()
    response = client.post(change_url(article), {"title": "Overskrevet"})
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "Kollegaens sak"


def test_services_refuse_a_journalist_whatever_the_caller(journalist):
    article = ArticleFactory()
    future = timezone.now() + datetime.timedelta(hours=2)
    with pytest.raises(services.PublishingNotAllowed):
        services.publish_article(article=article, by=journalist)
    with pytest.raises(services.PublishingNotAllowed):
        services.schedule_article(article=article, by=journalist, at=future)
    live = ArticleFactory(published=True)
    with pytest.raises(services.PublishingNotAllowed):
        services.unpublish_article(article=live, by=journalist)
    assert list(Article.objects.published()) == [live]
    assert not Article.objects.scheduled().exists()
    assert not PublicationEvent.objects.exists()


def test_editor_edits_a_journalists_article_and_publishes_it_with_the_button(client, editor):
    article = ArticleFactory(created_by=JournalistFactory())
    data = open_change_form(client, article)
    response = client.post(change_url(article), {**data, "title": "Klar", "_publish": "1"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Klar"
    assert article.is_published
    assert article.published_by == editor
    event = PublicationEvent.objects.get(article=article)
    assert (event.action, event.by) == (PublicationEvent.Action.PUBLISHED, editor)
    messages = [str(m) for m in client.get(changelist_url()).context["messages"]]
    assert any("publisert og synlig for leserne" in m for m in messages)


def test_editor_schedules_with_a_future_time_and_is_told_when(client, editor):
    article = ArticleFactory()
    when = (timezone.now() + datetime.timedelta(days=1)).replace(second=0, microsecond=0)
    data = open_change_form(client, article)
    response = client.post(
        change_url(article), {**data, **split_datetime(when), "_schedule": "1"}, follow=True
    )
    article.refresh_from_db()
    assert article.is_scheduled
    assert article.published_at == when
    assert not Article.objects.published().exists()
    assert PublicationEvent.objects.get().action == PublicationEvent.Action.SCHEDULED
    local = timezone.localtime(when)
    assert any(
        f"planlagt publisert {local.day}." in str(m) and local.strftime("%H.%M") in str(m)
        for m in response.context["messages"]
    )


def test_editor_cannot_schedule_in_the_past(client, editor):
    article = ArticleFactory()
    data = open_change_form(client, article)
    past = timezone.now() - datetime.timedelta(hours=1)
    response = client.post(change_url(article), {**data, **split_datetime(past), "_schedule": "1"})
    assert response.status_code == 200
    assert "må være fram i tid" in error_text(response)
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_editor_unpublishes_with_the_button(client, editor):
    article = ArticleFactory(published=True)
    data = open_change_form(client, article)
    response = client.post(change_url(article), {**data, "_unpublish": "1"})
    assert response.status_code == 302
    assert not Article.objects.published().exists()
    assert PublicationEvent.objects.get().action == PublicationEvent.Action.UNPUBLISHED


def test_editor_bulk_publishes_and_unpublishes_with_clear_messages(client, editor):
    drafts = ArticleFactory.create_batch(2)
    live = ArticleFactory(published=True)
    response = client.post(
        changelist_url(),
        {"action": "publish_selected", "_selected_action": [a.pk for a in [*drafts, live]]},
        follow=True,
    )
    messages = [str(m) for m in response.context["messages"]]
    assert "2 artikler er publisert." in messages
    assert "1 artikkel var allerede publisert og ble ikke endret." in messages
    assert Article.objects.published().count() == 3
    assert PublicationEvent.objects.filter(by=editor).count() == 2

    response = client.post(
        changelist_url(),
        {"action": "unpublish_selected", "_selected_action": [drafts[0].pk]},
        follow=True,
    )
    assert "1 artikkel er avpublisert og er nå kladder." in [
        str(m) for m in response.context["messages"]
    ]
    assert Article.objects.published().count() == 2


def test_editor_deleting_an_article_puts_it_in_the_bin(client, editor):
    article = ArticleFactory(published=True)
    response = client.post(
        reverse("admin:articles_article_delete", args=[article.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert Article.objects.in_bin().get() == article
    assert not Article.objects.published().exists()


def test_admin_speaks_norwegian(client, editor):
    page = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "Legg til artikkel" in page
    assert "Redaksjonen" in page
    data = form_data(page, "article_form", title="")
    response = client.post(reverse("admin:articles_article_add"), data)
    content = response.content.decode()
    assert "Rett feilene nedenfor." in content
    assert "Feltet er påkrevet." in content
    assert "Please correct" not in content
    listing = client.get(changelist_url()).content.decode()
    assert "Vis antall" in listing
    assert "Skriv for å filtrere" in listing


@pytest.mark.parametrize(
    ("user_factory", "published"), [(EditorFactory, True), (JournalistFactory, False)]
)
def test_publishing_straight_from_the_add_form(client, user_factory, published):
    client.force_login(user_factory())
    section = SectionFactory()
    add_url = reverse("admin:articles_article_add")
    data = form_data(
        client.get(add_url).content.decode(),
        "article_form",
        title="Rett på nett",
        section=str(section.pk),
        lead="Ingress.",
        body="Tekst.",
        _publish="1",
    )
    response = client.post(add_url, data)
    assert Article.objects.published().filter(title="Rett på nett").exists() is published
    if published:
        assert response.status_code == 302
    else:
        assert NOT_ALLOWED in error_text(response)
        assert not Article.objects.exists()
