"""The article page's cached fragments: kept across unrelated changes, never stale for readers.

The page cache is off here (the test settings), so every request renders the page and only
the fragments can be reused.
"""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from articles import services
from articles.models import Article, ArticleUpdate, Byline, RelatedLink
from tests.factories import ArticleFactory, EditorFactory, PersonFactory, SectionFactory
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(
        title="Første versjon",
        published=True,
        bylines=[PersonFactory(name="Kari Skribent")],
        tags=["Helse"],
    )


def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def footer_titles(client, article):
    return texts(page(client, article), "h3")


def test_another_article_published_costs_the_page_two_queries(
    client, article, django_assert_max_num_queries
):
    first = page(client, article)
    ArticleFactory(published=True, section=article.section)
    # The article's URL check and the page cache's look for the next scheduled article; its
    # text, meta tags, footer and the section menu are reused.
    with django_assert_max_num_queries(2):
        again = page(client, article)
    assert texts(again, "h1") == texts(first, "h1") == ["Første versjon"]
    assert texts(again, "a", **{"class": "byline__name"}) == ["Kari Skribent"]


def test_a_worker_keeps_the_pieces_of_200_articles_read_in_turn(
    client, settings, django_assert_max_num_queries
):
    # Longer than the test takes: what is tested is the room in the worker's memory.
    settings.ARTICLE_FRAGMENT_TIMEOUT = settings.FOOTER_LINKS_TIMEOUT = 3600
    SectionFactory.create_batch(3)
    # Footers that differ from article to article, and point at articles not read here.
    call_command("generate_articles", 1000, stdout=io.StringIO())
    read = list(Article.objects.published().order_by("-published_at")[:200])
    for article in read:
        page(client, article)
    for article in read:
        with django_assert_max_num_queries(2):  # as above: nothing rendered again
            page(client, article)


def test_an_edit_shows_at_once(client, article):
    page(client, article)
    article.title = "Rettet tittel"
    article.save()
    assert texts(page(client, article), "h1") == ["Rettet tittel"]


def test_changes_saved_beside_the_article_show_at_once(client, article):
    other_person = PersonFactory(name="Ola Fotograf")
    Tag.objects.create(name="Sykehus", slug="sykehus")
    linked = ArticleFactory(
        title="Kuratert lenke",
        published=True,
        published_at=timezone.now() - datetime.timedelta(days=700),
    )
    ArticleFactory.create_batch(6, published=True, section=article.section)
    assert "Kuratert lenke" not in footer_titles(client, article)

    article.tags.add("Sykehus")
    assert "Sykehus" in texts(page(client, article), "a")

    Byline.objects.create(article=article, person=other_person, position=1)
    html = page(client, article)
    assert texts(html, "a", **{"class": "byline__name"}) == ["Kari Skribent", "Ola Fotograf"]

    RelatedLink.objects.create(from_article=article, to_article=linked, position=0)
    assert footer_titles(client, article)[0] == "Kuratert lenke"

    ArticleUpdate.objects.create(article=article, kind="correction", text="Rettet navn.")
    assert "Rettet navn." in page(client, article)


def test_renamed_section_and_person_show_at_once(client, article):
    page(client, article)
    section = article.section
    section.name = "Nytt seksjonsnavn"
    section.save()
    person = article.bylines.get()
    person.name = "Kari Nyttnavn"
    person.save()
    html = page(client, article)
    assert texts(html, "p", **{"class": f"section-label section-label--{section.slug}"}) == [
        "Nytt seksjonsnavn"
    ]
    assert "Nytt seksjonsnavn" in texts(html, "nav")[0]
    assert texts(html, "a", **{"class": "byline__name"}) == ["Kari Nyttnavn"]


def test_unpublished_article_leaves_other_footers_at_once(client, article):
    other = ArticleFactory(title="Snart trukket", published=True, section=article.section)
    assert "Snart trukket" in footer_titles(client, article)

    services.unpublish_article(article=other, by=EditorFactory())
    assert "Snart trukket" not in footer_titles(client, article)


def test_deleted_article_leaves_other_footers_at_once(client, article):
    other = ArticleFactory(title="Snart slettet", published=True, section=article.section)
    assert "Snart slettet" in footer_titles(client, article)

    other.delete()
    assert "Snart slettet" not in footer_titles(client, article)


def test_retitled_article_is_retitled_in_other_footers_at_once(client, article):
    other = ArticleFactory(title="Gammel tittel", published=True, section=article.section)
    assert "Gammel tittel" in footer_titles(client, article)

    other.title = "Ny tittel"
    other.save()
    assert "Ny tittel" in footer_titles(client, article)


def test_new_article_reaches_other_footers_within_the_refresh_time(
    client, article, settings, monkeypatch
):
    footer_titles(client, article)
    ArticleFactory(title="Helt ny sak", published=True, section=article.section)
    assert "Helt ny sak" not in footer_titles(client, article)

    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + settings.FOOTER_LINKS_TIMEOUT + 1)
    assert "Helt ny sak" in footer_titles(client, article)


def test_old_article_notice_appears_when_the_year_has_passed(client, monkeypatch):
    article = ArticleFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(days=364)
    )
    assert "over ett år gammel" not in page(client, article)

    later = timezone.now() + datetime.timedelta(days=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "over ett år gammel" in page(client, article)


def test_preview_leaves_nothing_for_readers(client, monkeypatch):
    publish_at = timezone.now() + datetime.timedelta(minutes=5)
    article = ArticleFactory(
        title="Planlagt", status="published", published_at=publish_at, section=SectionFactory()
    )
    client.force_login(EditorFactory())
    assert "Planlagt publisert" in client.get(f"/forhandsvisning/{article.pk}/").content.decode()
    client.logout()

    monkeypatch.setattr(timezone, "now", lambda: publish_at + datetime.timedelta(seconds=1))
    dates = texts(page(client, article), "p", **{"class": "article__dates"})[0]
    assert dates.startswith("Publisert")


def test_teasers_on_fronts_follow_edits_at_once(client, article):
    section_front = article.section.get_absolute_url()
    for url in ("/", section_front):
        assert "Første versjon" in texts(
            client.get(url).content.decode(), "h3" if url == "/" else "h2"
        )

    article.title = "Ny forsidetittel"
    article.save()
    assert "Ny forsidetittel" in texts(client.get("/").content.decode(), "h3")
    assert "Ny forsidetittel" in texts(client.get(section_front).content.decode(), "h2")

    person = article.bylines.get()
    person.name = "Kari Omdøpt"
    person.save()
    front = client.get("/").content.decode()
    assert "Kari Omdøpt" in texts(front, "span", **{"class": "teaser__byline"})


DEAD_REDIS = {
    "BACKEND": "ops.cache_backends.ResilientRedisCache",
    "LOCATION": "redis://127.0.0.1:8189/0",  # nothing listens here
    "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
}


def test_pages_are_fresh_during_a_redis_outage(client, article, settings):
    page(client, article)  # pieces kept under the current generations
    settings.CACHES = {**settings.CACHES, "default": DEAD_REDIS}
    article.section.name = "Omdøpt under brudd"
    article.section.save()
    assert "Omdøpt under brudd" in texts(page(client, article), "nav")[0]


def test_a_change_saved_during_a_redis_outage_shows_when_it_is_back(client, article, settings):
    working = settings.CACHES
    page(client, article)  # pieces kept under the current generations
    settings.CACHES = {**working, "default": DEAD_REDIS}
    section = article.section
    section.name = "Omdøpt under brudd"
    section.save()  # its announcement cannot reach the shared cache

    settings.CACHES = working  # back, with the generations it held before the outage
    html = page(client, article)
    assert "Omdøpt under brudd" in texts(html, "nav")[0]
    assert texts(html, "p", **{"class": f"section-label section-label--{section.slug}"}) == [
        "Omdøpt under brudd"
    ]
