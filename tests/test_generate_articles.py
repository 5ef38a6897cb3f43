import io

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from tests.factories import SectionFactory

pytestmark = pytest.mark.django_db


def test_generated_articles_are_readable_pages(client):
    SectionFactory(name="Verden", slug="verden")
    call_command("generate_articles", 30, stdout=io.StringIO())

    published = Article.objects.published()
    assert published.count() >= 25
    article = published.first()
    assert article.bylines.exists()
    assert article.tags.count() == 3
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert article.title in response.content.decode()


def test_generated_articles_show_at_once_although_they_are_bulk_inserted(client, settings):
    settings.PAGE_CACHE_TIMEOUT = 600
    SectionFactory(name="Verden", slug="verden")
    call_command("generate_articles", 5, stdout=io.StringIO())  # its tags exist from now on
    assert client.get("/").context is not None  # rendered, and now kept
    assert client.get("/").context is None  # served from the page cache

    call_command("generate_articles", 10, "--seed", "9", stdout=io.StringIO())

    newest = Article.objects.published().order_by("-published_at").first()
    assert newest.title in client.get("/").content.decode()


def test_generating_without_sections_says_what_to_do():
    with pytest.raises(CommandError, match="load_demo"):
        call_command("generate_articles", 5)
