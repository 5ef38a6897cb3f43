"""Queries compiled once (ops/compiled.py) give each article its own row, as the ORM would."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import (
    PAGE_ARTICLE,
    Article,
    Byline,
    page_article,
    published_article_with_slug,
)
from articles.teasers import TEASER_ARTICLES
from ops.compiled import CompiledQuery
from tests.factories import ArticleFactory, ArticleUpdateFactory, ImageFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_each_article_page_reads_its_own_article_bylines_tags_and_flags(
    django_assert_num_queries,
):
    image = ImageFactory(photographer=PersonFactory(name="Fotograf Foss"))
    first = ArticleFactory(
        published=True,
        lead_image=image,
        bylines=[PersonFactory(name="Kari Nordmann"), PersonFactory(name="Ola Nordmann")],
        tags=["fotball"],
    )
    second = ArticleFactory(published=True, tags=["valg", "storting"])
    ArticleUpdateFactory(article=second)
    page_article(first.pk)  # compiled with the first article's id

    with django_assert_num_queries(1):
        shown = page_article(second.pk)
    assert (shown.pk, shown.title, shown.section.name) == (
        second.pk,
        second.title,
        second.section.name,
    )
    assert shown.lead_image is None
    assert shown.ordered_bylines() == []
    assert sorted(tag.name for tag in shown.tags.all()) == ["storting", "valg"]
    assert shown.has_updates and not shown.has_related_links

    shown = page_article(first.pk)
    assert shown.lead_image.photographer.name == "Fotograf Foss"
    assert [person.name for person in shown.ordered_bylines()] == ["Kari Nordmann", "Ola Nordmann"]
    assert [tag.name for tag in shown.tags.all()] == ["fotball"]
    assert not shown.has_updates
    assert shown.published_at == first.published_at  # converted as the ORM converts it


def test_teasers_read_every_article_asked_for_however_many():
    articles = ArticleFactory.create_batch(3, published=True)
    one, two, three = (article.pk for article in articles)

    assert [a.pk for a in TEASER_ARTICLES.instances(one)] == [one]
    assert {a.pk for a in TEASER_ARTICLES.instances(two, three)} == {two, three}
    assert {a.title for a in TEASER_ARTICLES.instances(three, one)} == {
        articles[2].title,
        articles[0].title,
    }


def test_an_article_page_reads_bylines_in_their_order_and_tags_as_they_were_added():
    people = [PersonFactory(name=name) for name in ("Åse «Å» Ødegård", "Per & Pål", "Kari")]
    article = ArticleFactory(published=True, tags=["ærlig", "Zebra", "alfa"])
    for position, person in zip((2, 0, 1), people, strict=True):
        Byline.objects.create(article=article, person=person, position=position)

    shown = page_article(article.pk)
    assert [person.name for person in shown.ordered_bylines()] == [
        "Per & Pål",
        "Kari",
        "Åse «Å» Ødegård",
    ]
    assert [tag.name for tag in shown.tags.all()] == [tag.name for tag in article.tags.all()]
    assert [person.slug for person in shown.ordered_bylines()] == [
        p.slug for p in people[1:] + people[:1]
    ]


def test_a_compiled_query_is_compiled_again_when_its_key_changes():
    articles = ArticleFactory.create_batch(2, published=True)
    key = [articles[0].section_id]
    query = CompiledQuery(
        Article, lambda pk: PAGE_ARTICLE.build(pk, 0).filter(section_id=key[0]), key=lambda: key[0]
    )

    assert [a.pk for a in query.instances(articles[0].pk)] == [articles[0].pk]
    key[0] = articles[1].section_id
    assert [a.pk for a in query.instances(articles[1].pk)] == [articles[1].pk]


def test_an_article_is_found_at_its_own_address_only_while_readers_may_see_it(monkeypatch):
    shown, other = ArticleFactory.create_batch(2, published=True)
    scheduled = ArticleFactory(scheduled=True)

    assert published_article_with_slug(shown.slug).pk == shown.pk
    assert published_article_with_slug(other.slug).pk == other.pk
    assert published_article_with_slug(scheduled.slug) is None
    assert published_article_with_slug("finnes-ikke") is None
    later = scheduled.published_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert published_article_with_slug(scheduled.slug).pk == scheduled.pk


def test_each_article_lists_its_own_curated_links_in_the_desks_order():
    first, second, third = ArticleFactory.create_batch(3, published=True)
    hidden = ArticleFactory(scheduled=True)
    one = ArticleFactory(published=True, related=[second, hidden, first])
    other = ArticleFactory(published=True, related=[third])

    assert [row.pk for row in one.footer_rows([], limit=2)] == [second.pk, first.pk]
    assert [row.pk for row in other.footer_rows([], limit=1)] == [third.pk]


def test_a_compiled_query_keeps_a_bounded_number_of_shapes_and_still_answers_each(monkeypatch):
    articles = ArticleFactory.create_batch(4, published=True)
    newest_first = [a.pk for a in sorted(articles, key=lambda a: (a.published_at, a.pk))][::-1]
    query = CompiledQuery(
        Article,
        lambda now, *, stop: Article.objects.published(at=now).listed()[:stop],
    )
    monkeypatch.setattr(query, "MOST_KEPT", 2)
    now = timezone.now()

    for stop in [1, 2, 3, 4, 1, 3]:
        assert [row[0] for row in query.rows(now, stop=stop)] == newest_first[:stop]
    assert len(query.compiled) <= 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL prepares them")
def test_the_article_pages_queries_are_prepared_once_and_still_answer_each_article(
    django_assert_num_queries,
):
    articles = ArticleFactory.create_batch(3, published=True, tags=["valg"])
    hidden = ArticleFactory(scheduled=True)

    # PostgreSQL plans a prepared statement for its values five times, then for any value.
    for _ in range(4):
        for article in articles:
            with django_assert_num_queries(2):  # still counted and logged as queries
                assert published_article_with_slug(article.slug).pk == article.pk
                assert page_article(article.pk).title == article.title
        assert published_article_with_slug(hidden.slug) is None
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert len([s for s in prepared if '"page_tags"' in s]) == 1
    assert len([s for s in prepared if '"articles_article"."slug" = $' in s]) == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL prepares them")
@pytest.mark.django_db(transaction=True)
def test_a_prepared_query_is_prepared_again_on_a_new_connection():
    article = ArticleFactory(published=True)
    assert page_article(article.pk).pk == article.pk

    connection.close()

    assert page_article(article.pk).pk == article.pk


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL prepares them")
def test_a_prepared_query_is_logged_with_its_values_as_any_other():
    article = ArticleFactory(published=True)
    page_article(article.pk)  # prepared

    with CaptureQueriesContext(connection) as queries:
        page_article(article.pk)

    content_type = ContentType.objects.get_for_model(Article)
    sql = PAGE_ARTICLE.sql(article.pk, content_type.pk)
    assert [q["sql"] for q in queries] == [connection.ops.compose_sql(*sql)]
    assert f'"articles_article"."id" = {article.pk}' in queries[0]["sql"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL prepares them")
@pytest.mark.django_db(transaction=True)
def test_behind_a_pooler_without_prepared_statements_nothing_is_prepared(settings):
    settings.DATABASE_PREPARED_STATEMENTS = False
    article = ArticleFactory(published=True)
    connection.close()  # a connection of its own: prepared statements live as long as it

    for _ in range(8):
        assert published_article_with_slug(article.slug).pk == article.pk
        assert page_article(article.pk).title == article.title

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone() == (0,)
