"""Deleting puts an article in the bin: gone for readers (410), kept whole for the newsroom."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import Article, ArticleUpdate, PublicationEvent
from tests.admin_helpers import change_url, changelist_url
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ImageFactory,
    JournalistFactory,
    PersonFactory,
)
from tests.forms import form_data

pytestmark = pytest.mark.django_db

BIN_URL = reverse("admin:articles_article_bin")
TITLE = "Kommunen kjøper nytt rådhus"


@pytest.fixture
def article():
    author = PersonFactory(name="Sara Skribent")
    article = ArticleFactory(
        title=TITLE,
        lead="Rådhuset koster mye.",
        published=True,
        bylines=[author],
        tags=["Rådhus"],
        lead_image=ImageFactory(),
    )
    services.add_article_update(
        article=article, by=EditorFactory(), kind="correction", text="Prisen var feil."
    )
    return article


def shows(response, article):
    content = response.content.decode()
    return article.title in content or article.slug in content


def surfaces(article):
    return [
        "/",
        article.section.get_absolute_url(),
        reverse("articles:tag", args=["radhus"]),
        article.bylines.get().get_absolute_url(),
        reverse("articles:feed"),
        reverse("articles:section_feed", args=[article.section.slug]),
        reverse("sitemap-section", args=["artikler"]),
        reverse("news-sitemap"),
        reverse("articles:search") + "?q=r%C3%A5dhus",
    ]


def test_a_binned_article_is_gone_from_every_public_surface(article):
    reader = Client()
    url = article.get_absolute_url()
    for surface in surfaces(article):
        assert shows(reader.get(surface), article), surface
    services.move_to_bin(article=article, by=EditorFactory())

    response = reader.get(url)
    assert response.status_code == 410
    assert "Artikkelen er fjernet" in response.content.decode()
    for surface in surfaces(article):
        assert not shows(reader.get(surface), article), surface
    assert not Article.objects.published().exists()


def test_a_binned_draft_is_a_plain_404_so_readers_never_learn_it_existed():
    draft = ArticleFactory()
    url = draft.get_absolute_url()
    services.move_to_bin(article=draft, by=EditorFactory())
    assert Client().get(url).status_code == 404


def test_editor_bins_then_restores_the_article_whole(client, editor, article):
    delete_url = reverse("admin:articles_article_delete", args=[article.pk])
    confirm = client.get(delete_url).content.decode()
    assert "papirkurven" in confirm
    response = client.post(delete_url, {"post": "yes"}, follow=True)
    assert f"«{TITLE}» er lagt i papirkurven." in " ".join(
        str(m) for m in response.context["messages"]
    )
    assert article not in response.context["cl"].result_list
    assert client.get(change_url(article)).status_code == 302  # no longer in the article list

    page = client.get(BIN_URL).content.decode()
    assert TITLE in page
    response = client.post(BIN_URL, {"article": [article.pk], "_restore": "1"}, follow=True)
    assert "1 artikkel er hentet fra papirkurven." in [
        str(m) for m in response.context["messages"]
    ]

    restored = Article.objects.published().get(pk=article.pk)
    assert restored.title == TITLE
    assert restored.lead_image == article.lead_image
    assert [tag.name for tag in restored.tags.all()] == ["Rådhus"]
    assert [person.name for person in restored.ordered_bylines()] == ["Sara Skribent"]
    assert restored.updates.get().text == "Prisen var feil."
    assert list(
        PublicationEvent.objects.filter(article=restored)
        .order_by("at", "pk")
        .values_list("action", flat=True)
    ) == ["binned", "restored"]
    assert Client().get(restored.get_absolute_url()).status_code == 200


def test_only_editors_empty_the_bin_for_good(client, article):
    editor = EditorFactory()
    services.move_to_bin(article=article, by=editor)
    kept = ArticleFactory(published=True)

    client.force_login(JournalistFactory())
    assert client.get(BIN_URL).status_code == 403
    assert client.post(BIN_URL, {"article": [article.pk], "_empty": "1"}).status_code == 403
    assert client.post(BIN_URL, {"article": [article.pk], "_restore": "1"}).status_code == 403
    assert Article.objects.in_bin().get() == article

    client.force_login(editor)
    response = client.post(BIN_URL, {"article": [article.pk, kept.pk], "_empty": "1"}, follow=True)
    assert "1 artikkel er slettet for godt." in [str(m) for m in response.context["messages"]]
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not ArticleUpdate.objects.exists()
    assert Article.objects.published().get() == kept  # not in the bin: never deleted from it


@pytest.mark.parametrize(
    "call",
    [
        lambda article, user: services.move_to_bin(article=article, by=user),
        lambda article, user: services.restore_from_bin(article=article, by=user),
        lambda article, user: services.empty_bin(articles=[article], by=user),
    ],
)
def test_bin_services_refuse_a_journalist(call):
    article = ArticleFactory(published=True, deleted_at=timezone.now())
    with pytest.raises(services.NotAllowed):
        call(article, JournalistFactory())
    assert Article.objects.in_bin().get() == article


def test_journalist_cannot_bin_an_article_by_forging_the_bulk_action(client, journalist):
    article = ArticleFactory(created_by=journalist)
    client.post(changelist_url(), {"action": "delete_selected", "_selected_action": [article.pk]})
    client.post(
        changelist_url(),
        {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
    )
    assert Article.objects.outside_bin().get() == article


def test_editor_bulk_delete_puts_articles_in_the_bin(client, editor):
    articles = ArticleFactory.create_batch(2, published=True)
    client.post(
        changelist_url(),
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles], "post": "yes"},
    )
    assert Article.objects.in_bin().count() == 2
    assert ArticleUpdate.objects.count() == 0
    assert not Article.objects.published().exists()


def test_a_binned_article_leaves_other_articles_footers_at_once(article):
    neighbour = ArticleFactory(published=True, section=article.section, related=[article])
    reader = Client()
    assert TITLE in reader.get(neighbour.get_absolute_url()).content.decode()
    services.move_to_bin(article=article, by=EditorFactory())
    assert TITLE not in reader.get(neighbour.get_absolute_url()).content.decode()


def test_restoring_the_version_saved_when_binned_does_not_bin_it_again(client, editor, article):
    services.move_to_bin(article=article, by=editor)
    services.restore_from_bin(article=article, by=editor)
    binned = (
        Version.objects.get_for_object(article)
        .filter(revision__comment="Lagt i papirkurven.")
        .get()
    )
    url = reverse("admin:articles_article_revision", args=[article.pk, binned.pk])
    page = client.get(url)
    assert client.post(url, form_data(page.content.decode(), "article_form")).status_code == 302
    assert Article.objects.published().get() == article


def test_the_bulk_delete_confirmation_says_the_articles_go_to_the_bin(client, editor):
    articles = ArticleFactory.create_batch(2)
    page = client.post(
        changelist_url(),
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles]},
    ).content.decode()
    assert "Vil du legge disse artiklene i papirkurven?" in page
    assert Article.objects.outside_bin().count() == 2
