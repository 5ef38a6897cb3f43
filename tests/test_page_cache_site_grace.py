"""Grace on the site: a publication leaves readers the previous copy for a few seconds while
one request renders the new one; an article taken away is gone from every page at once."""

import datetime

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from django.utils import timezone

from articles.models import FrontPlacement
from articles.services import move_to_bin, unpublish_article
from ops import pagecache
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(page_cache, settings):
    settings.PAGE_CACHE_GRACE = 5


@pytest.fixture
def article():
    return ArticleFactory(published=True, title="Saken alle leser")


def another_request_is_rendering(url):
    cache.add(f"{pagecache.page_key(RequestFactory().get(url))}:rendering", True, timeout=5)


def test_after_a_publication_readers_get_the_previous_front_page_while_it_renders(
    client, article, django_assert_num_queries
):
    before = client.get("/").content
    ArticleFactory(published=True, title="Helt ny sak")
    another_request_is_rendering("/")

    with django_assert_num_queries(0):
        during = client.get("/")
    assert during.content == before
    assert "Helt ny sak" not in during.content.decode()


def test_the_request_that_renders_shows_the_publication(client, article):
    client.get("/")
    ArticleFactory(published=True, title="Helt ny sak")

    assert "Helt ny sak" in client.get("/").content.decode()


@pytest.mark.parametrize(
    "withdraw",
    [
        lambda article: unpublish_article(article=article, by=EditorFactory()),
        lambda article: move_to_bin(article=article, by=EditorFactory()),
        lambda article: article.delete(),
    ],
    ids=["unpublished", "binned", "deleted"],
)
def test_an_article_taken_away_is_never_served_from_an_old_copy(client, article, withdraw):
    url = article.get_absolute_url()
    assert client.get(url).status_code == 200
    assert "Saken alle leser" in client.get("/").content.decode()

    withdraw(article)
    another_request_is_rendering(url)
    another_request_is_rendering("/")

    assert client.get(url).status_code in (404, 410)
    assert "Saken alle leser" not in client.get("/").content.decode()


def test_an_edit_of_another_article_still_allows_the_old_copy(client, article):
    other = ArticleFactory(published=True, title="Annen sak")
    before = client.get(article.get_absolute_url()).content
    other.title = "Annen sak, oppdatert"
    other.save()
    another_request_is_rendering(article.get_absolute_url())

    assert client.get(article.get_absolute_url()).content == before


def browser_max_age(response):
    part = response.headers["Cache-Control"].split("max-age=")[1]
    return int(part.split(",")[0])


@pytest.mark.parametrize("change", ["placement-ends", "placement-starts", "scheduled"])
def test_a_browser_keeps_a_page_no_longer_than_the_next_scheduled_change(client, article, change):
    soon = timezone.now() + datetime.timedelta(seconds=12)
    if change == "scheduled":
        ArticleFactory(title="Planlagt", status="published", published_at=soon)
    else:
        moment = {"ends_at": soon} if change == "placement-ends" else {"starts_at": soon}
        FrontPlacement.objects.create(article=article, slot=1, **moment)

    for url in ("/", article.get_absolute_url()):
        rendered, from_cache = client.get(url), client.get(url)
        assert 0 < browser_max_age(rendered) <= 12
        assert 0 < browser_max_age(from_cache) <= 12
