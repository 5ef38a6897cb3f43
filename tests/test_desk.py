"""The editor's start page: what waits for a decision, each entry a link to the article."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PendingChange
from tests.admin_helpers import change_url
from tests.factories import ArticleFactory, JournalistFactory

pytestmark = pytest.mark.django_db

DESK_URL = reverse("admin:articles_article_desk")


def test_the_desk_lists_what_waits_with_links_and_oslo_times(client, editor):
    journalist = JournalistFactory(first_name="Jorunn", last_name="Skriver")
    submitted = ArticleFactory(
        title="Klar til vask-saken", created_by=journalist, status=Article.Status.SUBMITTED
    )
    at = datetime.datetime(2099, 9, 12, 12, 5, tzinfo=datetime.UTC)
    scheduled = ArticleFactory(
        title="Planlagt sak", status=Article.Status.PUBLISHED, published_at=at
    )
    live = ArticleFactory(title="Publisert sak", published=True, created_by=journalist)
    PendingChange.objects.create(
        article=live, title="Ny", lead="Ny", body="Ny", proposed_by=journalist
    )
    own = ArticleFactory(title="Min kladd", created_by=editor)
    ArticleFactory(title="Andres kladd", created_by=journalist)

    page = client.get(DESK_URL).content.decode()
    for article in (submitted, scheduled, live, own):
        assert f'href="{change_url(article)}"' in page
    assert "Jorunn Skriver" in page
    assert "12. september 2099 kl. 14.05" in page  # Oslo summer time
    assert reverse("admin:articles_article_pending", args=[live.pk]) in page
    assert "Andres kladd" not in page


@pytest.mark.parametrize("size", [1, 6])
def test_the_desk_query_budget_is_fixed(client, editor, django_assert_max_num_queries, size):
    journalist = JournalistFactory()
    for _ in range(size):
        ArticleFactory(status=Article.Status.SUBMITTED, created_by=journalist)
        ArticleFactory(scheduled=True)
        ArticleFactory(created_by=editor)
        live = ArticleFactory(published=True)
        PendingChange.objects.create(article=live, title="T", lead="L", body="B")
    with django_assert_max_num_queries(9):
        assert client.get(DESK_URL).status_code == 200


def test_only_editors_have_a_desk_and_it_is_linked_first_on_their_start_page(client, journalist):
    assert client.get(DESK_URL).status_code == 403
    assert DESK_URL not in client.get(reverse("admin:index")).content.decode()


def test_the_editors_admin_start_page_links_the_desk_first(client, editor):
    page = client.get(reverse("admin:index")).content.decode()
    assert page.index(DESK_URL) < page.index('class="app-articles')


def test_a_binned_article_is_not_on_the_desk(client, editor):
    ArticleFactory(title="Kastet sak", status=Article.Status.SUBMITTED, deleted_at=timezone.now())
    assert "Kastet sak" not in client.get(DESK_URL).content.decode()
