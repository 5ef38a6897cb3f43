"""Reads from the replica for readers, from the primary after writes (newsroom/db_router.py).

The ``replica`` alias of the test settings names the test database itself, and in these tests
it is the primary's own connection (so it sees the test's uncommitted rows): the tests look at
which alias the router chose for each read.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import OperationalError, connections
from django.http import HttpResponse
from django.urls import path

from articles.models import Article
from newsroom import db_router
from newsroom.settings.replica import ROUTER, with_replica_reads
from tests.admin_helpers import change_url, open_change_form
from tests.factories import ArticleFactory

read_from = []


def which_database(request):
    read_from.append(db_router.PrimaryReplicaRouter().db_for_read(Article))
    if request.POST.get("lagre"):
        Group.objects.create(name=request.POST["lagre"])
    return HttpResponse("ok")


urlpatterns = [path("side/", which_database), path("admin/side/", which_database)]


class StoppedReplica:
    """A replica connection whose server is down."""

    attempts = 0

    def close_if_health_check_failed(self):
        pass

    def ensure_connection(self):
        self.attempts += 1
        raise OperationalError("connection refused")

    def close(self):
        pass


@pytest.fixture(autouse=True)
def _replica_rested():
    db_router.replica_health.resting_until = 0.0
    read_from.clear()


@pytest.fixture
def replica_is_the_test_connection():
    replica = connections["replica"]
    connections["replica"] = connections["default"]
    yield
    connections["replica"] = replica


@pytest.fixture
def only_the_router(settings, replica_is_the_test_connection):
    settings.MIDDLEWARE = [db_router.__name__ + ".ReplicaReadsMiddleware"]
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def replica_site(settings, monkeypatch, replica_is_the_test_connection):
    """The whole site with the router; every read it routes is listed in ``read_from``."""
    settings.MIDDLEWARE = with_replica_reads(settings.MIDDLEWARE)
    settings.DATABASE_ROUTERS = [ROUTER]
    route = db_router.PrimaryReplicaRouter.db_for_read

    def recorded(self, model, **hints):
        read_from.append(route(self, model, **hints))
        return read_from[-1]

    monkeypatch.setattr(db_router.PrimaryReplicaRouter, "db_for_read", recorded)


@pytest.mark.django_db
def test_a_readers_page_reads_from_the_replica(client, only_the_router):
    client.get("/side/")
    assert read_from == ["replica"]


@pytest.mark.django_db
def test_the_admin_reads_from_the_primary(client, only_the_router):
    client.get("/admin/side/")
    assert read_from == ["default"]


@pytest.mark.django_db
def test_a_write_sends_that_browser_and_the_next_renders_to_the_primary(client, only_the_router):
    response = client.post("/side/", {"lagre": "Vaktsjefer"})
    assert read_from == ["default"]
    assert response.cookies[db_router.RECENT_WRITE_COOKIE]["max-age"] == 10

    client.get("/side/")  # the browser sends the cookie back
    client.cookies.clear()
    client.get("/side/")  # another reader, still within the window after a write
    assert read_from == ["default", "default", "default"]


@pytest.mark.django_db
def test_a_form_that_saved_nothing_leaves_readers_on_the_replica(client, only_the_router):
    response = client.post("/side/")
    assert db_router.RECENT_WRITE_COOKIE not in response.cookies
    client.get("/side/")
    assert read_from == ["default", "replica"]


@pytest.mark.django_db
def test_after_the_write_window_readers_go_back_to_the_replica(client, only_the_router):
    client.post("/side/", {"lagre": "Vaktsjefer"})
    client.cookies.clear()
    db_router.caches["default"].delete(db_router.RECENT_WRITE_KEY)  # the window has passed
    client.get("/side/")
    assert read_from == ["default", "replica"]


def test_reads_outside_a_request_go_to_the_primary():
    assert db_router.PrimaryReplicaRouter().db_for_read(Article) == "default"
    assert db_router.PrimaryReplicaRouter().db_for_write(Article) == "default"


def test_migrations_run_on_the_primary_only():
    router = db_router.PrimaryReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


@pytest.mark.django_db
def test_a_replica_that_does_not_answer_is_rested_and_the_primary_reads(
    client, only_the_router, monkeypatch
):
    replica = StoppedReplica()
    monkeypatch.setattr(
        db_router, "connections", {"default": connections["default"], "replica": replica}
    )
    assert client.get("/side/").status_code == 200
    assert client.get("/side/").status_code == 200
    assert read_from == ["default", "default"]
    assert replica.attempts == 1  # the second reader did not wait for it again


@pytest.mark.django_db
def test_the_article_page_is_rendered_from_the_replica(client, replica_site):
    article = ArticleFactory(published=True, title="Fra kopien")
    read_from.clear()
    page = client.get(article.get_absolute_url())
    assert "Fra kopien" in page.content.decode()
    assert read_from
    assert set(read_from) == {"replica"}


@pytest.mark.django_db
def test_the_article_page_is_served_when_the_replica_is_down(client, replica_site, monkeypatch):
    article = ArticleFactory(published=True, title="Uten kopien")
    read_from.clear()

    stopped = {"default": connections["default"], "replica": StoppedReplica()}
    monkeypatch.setattr(db_router, "connections", stopped)
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Uten kopien" in page.content.decode()
    assert set(read_from) == {"default"}


@pytest.mark.django_db
def test_an_editor_reads_her_own_save_from_the_primary(client, editor, replica_site):
    article = ArticleFactory(published=True, title="Før lagring")
    form = open_change_form(client, article)
    saved = client.post(change_url(article), {**form, "title": "Etter lagring"})
    assert saved.status_code == 302
    db_router.caches["default"].clear()  # only her cookie says she just wrote
    read_from.clear()

    page = client.get(article.get_absolute_url())
    assert "Etter lagring" in page.content.decode()
    assert read_from
    assert set(read_from) == {"default"}
