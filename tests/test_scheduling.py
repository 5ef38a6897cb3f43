"""A scheduled article appears by itself at its time, on every reader surface, with no cron job."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article
from tests.factories import ArticleFactory, EditorFactory, PersonFactory, SectionFactory

pytestmark = pytest.mark.django_db

PUBLISH_AT = datetime.datetime(2031, 5, 17, 7, 30, tzinfo=datetime.UTC)


@pytest.fixture
def scheduled():
    author = PersonFactory(name="Sara Skribent")
    article = ArticleFactory(
        title="Planlagt nyhet om grunnlovsdagen",
        section=SectionFactory(name="Innenriks", slug="innenriks"),
        bylines=[author],
        tags=["Grunnlovsdagen"],
    )
    editor = EditorFactory()
    with_clock_at(PUBLISH_AT - datetime.timedelta(days=1))
    return services.schedule_article(article=article, by=editor, at=PUBLISH_AT)


_clock = {}


def with_clock_at(moment):
    _clock["now"] = moment


@pytest.fixture(autouse=True)
def fake_clock(monkeypatch):
    _clock.clear()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: _clock.get("now") or real_now())


def reader_surfaces(article):
    return {
        "forside": reverse("articles:front"),
        "seksjon": article.section.get_absolute_url(),
        "stikkord": reverse("articles:tag", kwargs={"slug": "grunnlovsdagen"}),
        "person": article.bylines.get().get_absolute_url(),
    }


@pytest.mark.parametrize(
    ("offset", "visible"),
    [
        (-datetime.timedelta(seconds=1), False),
        (-datetime.timedelta(microseconds=1), False),
        (datetime.timedelta(0), True),
        (datetime.timedelta(seconds=1), True),
    ],
)
def test_scheduled_article_shows_on_every_surface_exactly_from_its_time(
    client, scheduled, offset, visible
):
    with_clock_at(PUBLISH_AT + offset)
    for surface, url in reader_surfaces(scheduled).items():
        response = client.get(url)
        shown = scheduled.title in response.content.decode()
        assert shown is visible, f"{surface} at {offset}"
    page = client.get(scheduled.get_absolute_url())
    assert page.status_code == (200 if visible else 404)


def test_scheduled_article_is_listed_as_planlagt_in_the_admin(client, admin_user, scheduled):
    with_clock_at(PUBLISH_AT - datetime.timedelta(minutes=5))
    admin_client = client
    admin_client.force_login(admin_user)
    listing = admin_client.get(
        reverse("admin:articles_article_changelist") + "?publisering=planlagt"
    )
    assert list(listing.context["cl"].result_list) == [scheduled]
    assert "Planlagt" in listing.content.decode()

    with_clock_at(PUBLISH_AT + datetime.timedelta(minutes=5))
    admin_client.force_login(admin_user)
    listing = admin_client.get(
        reverse("admin:articles_article_changelist") + "?publisering=planlagt"
    )
    assert list(listing.context["cl"].result_list) == []
    published = admin_client.get(
        reverse("admin:articles_article_changelist") + "?publisering=publisert"
    )
    assert list(published.context["cl"].result_list) == [scheduled]


def test_scheduling_records_who_and_when(scheduled):
    scheduled.refresh_from_db()
    event = scheduled.publication_events.get()
    assert event.get_action_display() == "Planlagt"
    assert event.published_at == PUBLISH_AT
    assert event.at == PUBLISH_AT - datetime.timedelta(days=1)
    assert scheduled.published_by == event.by


def test_unpublishing_cancels_a_schedule(scheduled):
    services.unpublish_article(article=scheduled, by=EditorFactory())
    with_clock_at(PUBLISH_AT + datetime.timedelta(hours=1))
    assert not Article.objects.published().exists()
