"""Tag and person pages cost the same number of queries however large the archive grows,
and list only what readers may see."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from articles.pagination import LOOKAHEAD_PAGES
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html import texts

pytestmark = pytest.mark.django_db

PER_PAGE = 20


def archive(count, *, person, section):
    start = timezone.now() - datetime.timedelta(hours=1)
    return [
        ArticleFactory(
            published=True,
            published_at=start - datetime.timedelta(minutes=n),
            title=f"Sak {n}",
            section=section,
            tags=["Valg"],
            bylines=[person],
        )
        for n in range(count)
    ]


@pytest.mark.parametrize("count", [3, 45])
@pytest.mark.parametrize("url", ["/tema/valg/", "/person/kari-skribent/"])
def test_tag_and_person_pages_have_a_fixed_query_budget(
    client, django_assert_max_num_queries, count, url
):
    person = PersonFactory(name="Kari Skribent", slug="kari-skribent")
    archive(count, person=person, section=SectionFactory())
    # the tag or person, the page count, the page's articles, their bylines, the sections menu,
    # the footer's editor-in-chief and the page cache's next scheduled change (the last three
    # kept in each worker's memory)
    with django_assert_max_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert len(texts(response.content.decode(), "h2")) == min(count, PER_PAGE)


@pytest.mark.parametrize("url", ["/tema/valg/", "/person/kari-skribent/"])
def test_drafts_binned_and_scheduled_articles_stay_off_tag_and_person_pages(client, url):
    person = PersonFactory(name="Kari Skribent", slug="kari-skribent")
    section = SectionFactory()
    archive(2, person=person, section=section)
    for hidden in (
        ArticleFactory(title="Utkast", tags=["Valg"], bylines=[person]),
        ArticleFactory(title="Planlagt", scheduled=True, tags=["Valg"], bylines=[person]),
        ArticleFactory(
            title="Kastet",
            published=True,
            deleted_at=timezone.now(),
            tags=["Valg"],
            bylines=[person],
        ),
    ):
        assert hidden.title not in client.get(url).content.decode()
    assert texts(client.get(url).content.decode(), "h2") == ["Sak 0", "Sak 1"]


def pagination_text(client, url):
    return texts(client.get(url).content.decode(), "li", **{"aria-current": "page"})


def test_a_short_list_says_how_many_pages_it_has(client):
    archive(45, person=PersonFactory(), section=SectionFactory())
    assert pagination_text(client, "/tema/valg/") == ["Side 1 av 3"]
    assert pagination_text(client, "/tema/valg/?side=3") == ["Side 3 av 3"]


def test_a_long_list_is_counted_only_a_few_pages_ahead_and_readers_can_page_on(
    client, monkeypatch
):
    monkeypatch.setattr("articles.pagination.LOOKAHEAD_PAGES", 1)
    archive(3 * PER_PAGE + 5, person=PersonFactory(), section=SectionFactory())

    assert pagination_text(client, "/tema/valg/") == ["Side 1"]
    page_two = client.get("/tema/valg/?side=2").content.decode()
    assert texts(page_two, "h2")[0] == f"Sak {PER_PAGE}"
    assert 'rel="next"' in page_two
    assert pagination_text(client, "/tema/valg/?side=3") == ["Side 3 av 4"]
    assert client.get("/tema/valg/?side=5").status_code == 404
    assert LOOKAHEAD_PAGES >= 1


def test_an_article_nobody_has_read_yet_renders_in_few_queries(
    client, django_assert_max_num_queries
):
    section = SectionFactory()
    ArticleFactory.create_batch(7, published=True, section=section, tags=["Valg"])
    article = ArticleFactory(
        published=True, section=section, tags=["Valg"], bylines=[PersonFactory()]
    )
    # the article for its URL, the whole of it, its bylines, its tags, "Mer fra Dagsavisen"
    # (filled by shared tags), the sections menu, the footer's editor-in-chief, the next
    # scheduled change; no queries for updates, PFU rulings or curated links it does not have
    with django_assert_max_num_queries(8):
        response = client.get(article.get_absolute_url())
    assert len(texts(response.content.decode(), "h3")) == 6


def plan(listing):
    """PostgreSQL's plan for ``listing`` as if the archive were large: no whole-table scans."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        sql, params = listing.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index-only scans are PostgreSQL's")
def test_a_tag_page_walks_the_newest_articles_without_reading_their_rows():
    """At 100,000 articles a tag's page walks thousands of index entries: reading each
    article's wide row on the way cost 0.6 s, the index alone a tenth of that."""
    archive(3, person=PersonFactory(), section=SectionFactory())
    listing = Article.objects.published().tagged(Tag.objects.get(name="Valg")).listed()
    assert "Index Only Scan using article_published_newest_idx" in plan(listing[:PER_PAGE])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="index-only scans are PostgreSQL's")
def test_a_person_page_reads_only_its_own_rows_from_two_indexes():
    """The page's bylines in order from the person's own index, then the articles they name
    (at scale from the listings' index alone): 0.3 ms for page 1 and 0.5 ms for page 20
    whether the archive holds 10,000 or 100,000 articles; walking the archive for them cost
    8-53 ms at 100,000."""
    person, section = PersonFactory(slug="kari-skribent"), SectionFactory()
    archive(3, person=person, section=section)
    archive(60, person=PersonFactory(), section=section)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE articles_article, articles_byline")
    listing = Article.objects.published().by_person(person).listed()
    for page in (listing[:PER_PAGE], listing[19 * PER_PAGE : 20 * PER_PAGE]):
        shown = plan(page)
        assert "Index Only Scan using byline_person_newest_idx" in shown, shown
        assert "Sort" not in shown, shown


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_counts_each_of_a_thousand_people_and_tags():
    """Past the default 100, a contributor with a few articles was planned as a walk of the
    whole archive (migration 0020)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attstattarget FROM pg_attribute WHERE "
            "(attrelid, attname) IN (('articles_byline'::regclass, 'person_id'), "
            "('taggit_taggeditem'::regclass, 'tag_id'))"
        )
        targets = dict(cursor.fetchall())
    assert targets == {"articles_byline": 1000, "taggit_taggeditem": 1000}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_postgresql_plans_the_sites_queries_without_parallel_workers():
    """On a 2-core server two workers made a person's page slower, not faster (37-53 ms
    against 8-12 ms at 100,000 articles); DATABASE_PARALLEL_WORKERS may allow some."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        assert cursor.fetchone() == ("0",)


def test_each_tag_and_person_lists_its_own_articles_on_each_page(client):
    """The listings' queries are compiled once per worker and slice (ops/compiled.py): another
    tag, person or page is read with its own values."""
    kari, ola = PersonFactory(slug="kari"), PersonFactory(slug="ola")
    archive(PER_PAGE + 2, person=kari, section=SectionFactory())
    ArticleFactory(published=True, title="Olas sak", tags=["Sport"], bylines=[ola])

    for first, other in [("/tema/valg/", "/tema/sport/"), ("/person/kari/", "/person/ola/")]:
        assert texts(client.get(first).content.decode(), "h2")[0] == "Sak 0"
        assert texts(client.get(other).content.decode(), "h2") == ["Olas sak"]
        page_two = client.get(f"{first}?side=2").content.decode()
        assert texts(page_two, "h2") == [f"Sak {PER_PAGE}", f"Sak {PER_PAGE + 1}"]
