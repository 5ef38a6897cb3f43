"""«Eva Nilsen har denne artikkelen åpen (siden 14.32)»: presence kept in the cache only."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from articles import presence
from articles.models import Article
from tests.admin_helpers import change_url
from tests.factories import ArticleFactory, EditorFactory, JournalistFactory, PersonFactory

pytestmark = pytest.mark.django_db


def heartbeat_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def leave_url(article):
    return reverse("admin:articles_article_presence_leave", args=[article.pk])


@pytest.fixture
def article():
    return ArticleFactory(title="Budsjettet")


def oslo(hour, minute):
    return timezone.make_aware(
        datetime.datetime(2026, 3, 2, hour, minute), timezone.get_default_timezone()
    )


def test_a_colleague_who_has_the_article_open_is_named_with_her_byline_and_oslo_time(
    client, article
):
    eva = EditorFactory(first_name="Eva", last_name="Fornavn")
    PersonFactory(name="Eva Nilsen", user=eva)
    presence.beat(article_pk=article.pk, user=eva, now=oslo(14, 32))
    ola = EditorFactory()
    later = oslo(14, 32) + datetime.timedelta(seconds=20)
    [entry] = presence.others(article_pk=article.pk, user=ola, now=later)
    assert presence.notice(entry) == "Eva Nilsen har denne artikkelen åpen (siden 14.32)"


def test_the_change_form_shows_who_else_has_it_open_but_not_herself(client, article):
    eva = EditorFactory(first_name="Eva", last_name="Nilsen")
    client.force_login(eva)
    assert client.post(heartbeat_url(article)).json() == {"others": []}

    ola = EditorFactory(first_name="Ola", last_name="Hansen")
    client.force_login(ola)
    answer = client.post(heartbeat_url(article)).json()
    assert len(answer["others"]) == 1
    assert answer["others"][0].startswith("Eva Nilsen har denne artikkelen åpen (siden ")
    page = client.get(change_url(article)).content.decode()
    assert "Eva Nilsen har denne artikkelen åpen" in page
    assert "Ola Hansen har denne" not in page


def test_presence_expires_by_itself_when_the_heartbeats_stop(article):
    eva, ola = EditorFactory(), EditorFactory()
    presence.beat(article_pk=article.pk, user=eva, now=oslo(14, 32))
    assert presence.others(
        article_pk=article.pk, user=ola, now=oslo(14, 32) + presence.EXPIRES_AFTER / 2
    )
    assert not presence.others(
        article_pk=article.pk, user=ola, now=oslo(14, 32) + presence.EXPIRES_AFTER
    )


def test_heartbeats_keep_her_present_from_when_she_opened_it(article):
    eva, ola = EditorFactory(), EditorFactory()
    moment = oslo(14, 32)
    for beat in range(10):
        presence.beat(
            article_pk=article.pk,
            user=eva,
            now=moment + beat * datetime.timedelta(seconds=presence.HEARTBEAT_SECONDS),
        )
    [entry] = presence.others(
        article_pk=article.pk, user=ola, now=moment + datetime.timedelta(minutes=3)
    )
    assert entry["since"] == moment


def test_closing_the_tab_ends_her_presence_at_once(client, article):
    eva = EditorFactory()
    client.force_login(eva)
    client.post(heartbeat_url(article))
    assert client.post(leave_url(article)).status_code == 204
    assert presence.others(article_pk=article.pk, user=EditorFactory()) == []


def test_presence_writes_nothing_to_the_database(client, article, django_assert_num_queries):
    client.force_login(EditorFactory())
    client.get(change_url(article))  # the session and permissions are loaded
    modified = Article.objects.get(pk=article.pk).modified_at
    client.post(heartbeat_url(article))
    client.post(leave_url(article))
    assert Article.objects.get(pk=article.pk).modified_at == modified


def test_presence_needs_a_login_that_may_open_the_article(client, article):
    assert client.post(heartbeat_url(article)).status_code == 302  # to the login page
    client.force_login(JournalistFactory())  # not hers: a journalist edits her own articles
    assert client.post(heartbeat_url(article)).status_code in (403, 302)
    assert client.get(heartbeat_url(article)).status_code == 405
