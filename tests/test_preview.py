"""The newsroom sees a draft as readers will; nobody else learns it exists."""

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory, EditorFactory, JournalistFactory, UserFactory
from tests.html import elements, texts

pytestmark = pytest.mark.django_db

BANNER = "Forhåndsvisning – ikke publisert."


def preview_url(article):
    return reverse("articles:preview", kwargs={"pk": article.pk})


@pytest.mark.parametrize("user_factory", [EditorFactory, JournalistFactory])
@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_newsroom_staff_preview_a_draft_or_scheduled_article(client, user_factory, state):
    article = ArticleFactory(title="Hemmelig kladd", scheduled=state == "scheduled")
    client.force_login(user_factory())
    response = client.get(preview_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert texts(page, "h1") == ["Hemmelig kladd"]
    assert BANNER in texts(page, "p", **{"class": "preview-banner"})[0]
    assert elements(page, "meta", name="robots")[0]["attrs"]["content"] == "noindex"
    assert response["X-Robots-Tag"] == "noindex"
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store", "no-cache"} <= cache_control


def test_scheduled_preview_says_when_it_goes_live(client):
    article = ArticleFactory(scheduled=True)
    client.force_login(EditorFactory())
    banner = texts(
        client.get(preview_url(article)).content.decode(), "p", **{"class": "preview-banner"}
    )
    assert "Planlagt publisert" in banner[0]


@pytest.mark.parametrize(
    "who",
    ["anonymous", "reader_without_staff", "staff_without_article_rights", "inactive_editor"],
)
def test_everyone_else_gets_404(client, who):
    article = ArticleFactory(title="Hemmelig kladd")
    if who == "reader_without_staff":
        client.force_login(UserFactory(is_staff=False))
    elif who == "staff_without_article_rights":
        client.force_login(UserFactory())
    elif who == "inactive_editor":
        user = EditorFactory()
        client.force_login(user)
        user.is_active = False
        user.save()
    response = client.get(preview_url(article))
    assert response.status_code == 404
    assert "Hemmelig kladd" not in response.content.decode()


def test_the_live_article_page_still_hides_a_draft_from_staff(client):
    article = ArticleFactory()
    client.force_login(EditorFactory())
    assert client.get(article.get_absolute_url()).status_code == 404


def test_preview_of_a_published_article_goes_to_the_live_page(client):
    article = ArticleFactory(published=True)
    client.force_login(EditorFactory())
    response = client.get(preview_url(article))
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()


def test_preview_of_a_missing_article_is_404(client):
    client.force_login(EditorFactory())
    assert client.get(reverse("articles:preview", kwargs={"pk": 999999})).status_code == 404


def test_admin_links_to_the_preview(client):
    article = ArticleFactory()
    client.force_login(EditorFactory())
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert preview_url(article) in listing
    change = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    assert preview_url(article) in change.content.decode()


def test_preview_query_budget(client, django_assert_max_num_queries):
    article = ArticleFactory(tags=["A", "B"])
    client.force_login(EditorFactory())
    with django_assert_max_num_queries(15):  # 14 + the editor-in-chief in the page footer
        assert client.get(preview_url(article)).status_code == 200


@pytest.mark.parametrize(
    ("traits", "dates_line"),
    [({}, "Ikke publisert"), ({"scheduled": True}, "Planlagt publisert")],
    ids=["draft", "scheduled"],
)
def test_preview_dates_line_never_claims_a_draft_is_published(client, traits, dates_line):
    article = ArticleFactory(**traits)
    client.force_login(EditorFactory())
    page = client.get(preview_url(article)).content.decode()
    [dates] = texts(page, "p", **{"class": "article__dates"})
    assert dates.startswith(dates_line)
    assert not dates.startswith("Publisert")
