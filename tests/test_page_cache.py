import datetime
import time

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.utils import timezone

from articles import freshness
from articles.models import Byline, RelatedLink
from ops import generations, pagecache
from ops.cache_backends import ResilientRedisCache
from ops.generations import forget_local_state
from tests.factories import ArticleFactory, PersonFactory
from tests.html import texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(published=True, title="Første versjon", tags=["Valg"])


def cache_control(response):
    directives = {}
    for part in response.headers.get("Cache-Control", "").split(","):
        name, _, value = part.strip().partition("=")
        directives[name] = int(value) if value else True
    return directives


def test_public_pages_tell_a_cdn_to_cache_them(client, article):
    for url in ("/", article.section.get_absolute_url(), article.get_absolute_url()):
        response = client.get(url)
        directives = cache_control(response)
        assert directives["public"] is True
        assert 0 < directives["max-age"] <= directives["s-maxage"]
        assert directives["stale-while-revalidate"] > 0
        assert "cookie" not in response.headers.get("Vary", "").lower()
        assert "accept-language" not in response.headers.get("Vary", "").lower()
        assert not response.cookies


def test_a_short_server_cache_does_not_shorten_what_a_cdn_may_keep(
    client, article, page_cache, settings
):
    settings.PAGE_CACHE_TIMEOUT = 5
    for _ in range(2):  # rendered, then from the cache
        directives = cache_control(client.get(article.get_absolute_url()))
        assert directives["s-maxage"] == settings.PAGE_CACHE_CONTROL["s_maxage"]
        assert directives["max-age"] == settings.PAGE_CACHE_CONTROL["max_age"]


def test_conditional_request_gets_304_without_the_page(client, article, page_cache):
    first = client.get(article.get_absolute_url())
    assert first.headers["ETag"]
    assert first.headers["Last-Modified"]

    again = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=first.headers["ETag"])

    assert again.status_code == 304
    assert again.content == b""


def test_second_reader_is_served_without_touching_the_database(
    client, article, page_cache, django_assert_num_queries
):
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200
    assert second.content == first.content
    assert cache_control(second)["public"] is True


def title_seen(client, article):
    return texts(client.get(article.get_absolute_url()).content.decode(), "h1")


def test_editing_an_article_shows_at_once(client, article, page_cache):
    assert title_seen(client, article) == ["Første versjon"]
    article.title = "Rettet versjon"
    article.save()
    assert title_seen(client, article) == ["Rettet versjon"]


def page_text(client, url):
    return " ".join(client.get(url).content.decode().split())


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda a: setattr_and_save(a.section, name="Omdøpt seksjon"), "Omdøpt seksjon"),
        (
            lambda a: Byline.objects.create(article=a, person=PersonFactory(name="Nora Ny")),
            "Nora Ny",
        ),
        (
            lambda a: setattr_and_save(a.bylines.get(), name="Endret Navn"),
            "Endret Navn",
        ),
        (lambda a: a.tags.add("Statsbudsjett"), "Statsbudsjett"),
        (lambda a: setattr_and_save(a.tags.get(), name="Kommunevalg"), "Kommunevalg"),
        (
            lambda a: RelatedLink.objects.create(
                from_article=a,
                to_article=ArticleFactory(published=True, title="Kuratert lenke her"),
            ),
            "Kuratert lenke her",
        ),
    ],
    ids=["section", "byline-added", "person-renamed", "tag-added", "tag-renamed", "related"],
)
def test_changes_to_anything_on_the_page_show_at_once(client, page_cache, change, expected):
    article = ArticleFactory(
        published=True, tags=["Valg"], bylines=[PersonFactory(name="Opprinnelig Navn")]
    )
    assert expected not in page_text(client, article.get_absolute_url())
    change(article)
    assert expected in page_text(client, article.get_absolute_url())


def setattr_and_save(instance, **values):
    for name, value in values.items():
        setattr(instance, name, value)
    instance.save()


def test_a_scheduled_article_appears_on_the_front_page_on_time(
    client, article, page_cache, monkeypatch
):
    publish_at = timezone.now() + datetime.timedelta(minutes=5)
    ArticleFactory(title="Planlagt sak", status="published", published_at=publish_at)
    front = client.get("/")
    assert "Planlagt sak" not in front.content.decode()
    assert cache_control(front)["s-maxage"] <= 300

    later = publish_at + datetime.timedelta(seconds=1)
    clock_shift = (later - timezone.now()).total_seconds()
    real_time = time.time
    monkeypatch.setattr(timezone, "now", lambda: later)
    monkeypatch.setattr(time, "time", lambda: real_time() + clock_shift)

    assert "Planlagt sak" in client.get("/").content.decode()


def test_logged_in_editors_are_never_cached(admin_client, client, article, page_cache):
    editor_view = admin_client.get(article.get_absolute_url())
    assert cache_control(editor_view) == {"private": True}

    # No signal, so no new page-cache generation; modified_at moves as in any real save.
    type(article).objects.filter(pk=article.pk).update(
        title="Ny tittel", modified_at=timezone.now()
    )
    assert title_seen(client, article) == ["Ny tittel"]


def test_responses_that_forbid_caching_are_not_stored(client, page_cache):
    response = client.get("/healthz")
    assert "no-store" in response.headers["Cache-Control"]
    assert "public" not in response.headers["Cache-Control"]


def test_pages_render_when_redis_is_down(client, article, page_cache, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "ops.cache_backends.ResilientRedisCache",
            "LOCATION": "redis://127.0.0.1:8189/0",  # nothing listens here
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        },
    }
    for _ in range(2):
        response = client.get(article.get_absolute_url())
        assert response.status_code == 200
        assert texts(response.content.decode(), "h1") == ["Første versjon"]


def test_unreachable_redis_behaves_like_an_empty_cache():
    dead = ResilientRedisCache("redis://127.0.0.1:8189/0", {})
    assert dead.get("nøkkel", "standard") == "standard"
    dead.set("nøkkel", "verdi")
    assert dead.get_or_set("nøkkel", "beregnet") == "beregnet"
    assert dead.get_many(["a", "b"]) == {}
    with pytest.raises(ValueError):
        dead.incr("teller")


def test_an_edit_saved_by_another_worker_reaches_this_one(client, article, page_cache, settings):
    settings.PAGE_CACHE_GENERATION_MEMO = 0  # the moment this worker trusts its copy has passed
    assert title_seen(client, article) == ["Første versjon"]
    type(article).objects.filter(pk=article.pk).update(
        title="Fra en annen arbeider", modified_at=timezone.now()
    )
    cache.incr(pagecache.GENERATION_KEY)  # what saving did in the other worker

    assert title_seen(client, article) == ["Fra en annen arbeider"]


def test_a_worker_trusts_its_copy_of_the_counter_until_it_forgets_it(
    client, article, page_cache, settings
):
    settings.PAGE_CACHE_GENERATION_MEMO = 60
    assert title_seen(client, article) == ["Første versjon"]
    type(article).objects.filter(pk=article.pk).update(
        title="Fra en annen arbeider", modified_at=timezone.now()
    )
    cache.incr(pagecache.GENERATION_KEY)  # what saving did in the other worker
    assert title_seen(client, article) == ["Første versjon"]  # its copy is still trusted

    forget_local_state()

    assert title_seen(client, article) == ["Fra en annen arbeider"]


def test_a_worker_reads_the_counters_whose_copies_expired_in_one_trip(
    client, article, page_cache, monkeypatch
):
    assert title_seen(client, article) == ["Første versjon"]
    trips = []

    class CountedCache:
        def __getattr__(self, name):
            method = getattr(cache, name)
            return lambda *args, **kwargs: trips.append(name) or method(*args, **kwargs)

    monkeypatch.setattr(generations, "cache", CountedCache())
    for counter in (pagecache.pages, freshness.shared_objects, freshness.teasers):
        counter.forget()  # as when the copies' second has passed

    another_page = f"{article.get_absolute_url()}?utgave=2"  # not stored yet: rendered
    assert client.get(another_page).status_code == 200

    assert trips == ["get_many"]


def test_without_the_database_no_page_is_kept(page_cache, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refuse)
    # The next publication cannot be known, so a page rendered now gets no lifetime at all.
    assert pagecache.seconds_until_next_publication(pagecache.content_generation()) == 0
