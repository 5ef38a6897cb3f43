"""The article page's URL check: one cheap query, never an article readers may not see, and
the address of its section as it is now."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import services
from tests.factories import ArticleFactory, EditorFactory, SectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(published=True, section=SectionFactory(name="Kultur", slug="kultur"))


def test_with_its_pieces_kept_the_page_reads_the_article_row_alone(client, article):
    client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.get_absolute_url()).status_code == 200
    article_queries = [q["sql"] for q in queries if '"articles_article"' in q["sql"]]
    assert len(article_queries) == 1
    assert "JOIN" not in article_queries[0].upper()


def test_a_section_given_a_new_address_moves_its_articles_at_once(client, article):
    old = article.get_absolute_url()
    assert client.get(old).status_code == 200
    section = article.section
    section.slug = "kunst"
    section.save()

    moved = client.get(old)

    assert moved.status_code == 301
    assert moved["Location"] == old.replace("/kultur/", "/kunst/", 1)
    assert client.get(moved["Location"]).status_code == 200


def test_an_article_moved_to_another_section_answers_at_its_new_address(client, article):
    old = article.get_absolute_url()
    client.get(old)
    article.section = SectionFactory(name="Sport", slug="sport")
    article.save()

    moved = client.get(old)

    assert moved.status_code == 301
    assert moved["Location"] == old.replace("/kultur/", "/sport/", 1)


def test_an_unpublished_article_is_gone_at_once(client, article):
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    services.unpublish_article(article=article, by=EditorFactory())
    assert client.get(url).status_code == 404
