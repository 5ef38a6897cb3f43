"""A person's page lists what readers may see of theirs, newest first, after every kind of
write: the order is kept on the bylines (``Byline.article_published_at``, kept by
articles/freshness.py)."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import importing, services
from articles.models import Article, Person
from tests.admin_helpers import change_url, open_change_form
from tests.factories import ArticleFactory, EditorFactory, PersonFactory
from tests.forms import form_data
from tests.html import texts

pytestmark = pytest.mark.django_db


def listed(client, person):
    return texts(client.get(person.get_absolute_url()).content.decode(), "h2")


def readers_see(person):
    """The person's articles as every other surface decides what readers see."""
    articles = Article.objects.published().filter(bylines=person).order_by("-published_at", "-pk")
    return [article.title for article in articles[:20]]


def ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def test_publishing_unpublishing_scheduling_and_the_bin_move_an_article_on_and_off(client):
    person, editor = PersonFactory(), EditorFactory()
    ArticleFactory(title="Eldre", published=True, published_at=ago(5), bylines=[person])
    story = ArticleFactory(title="Ny sak", bylines=[person])
    assert listed(client, person) == ["Eldre"]

    services.publish_article(article=story, by=editor)
    assert listed(client, person) == ["Ny sak", "Eldre"]
    services.unpublish_article(article=story, by=editor)
    assert listed(client, person) == ["Eldre"]
    services.publish_article(article=story, by=editor, at=ago(10))
    assert listed(client, person) == ["Eldre", "Ny sak"]
    services.move_to_bin(article=story, by=editor)
    assert listed(client, person) == ["Eldre"]
    services.restore_from_bin(article=story, by=editor)
    assert listed(client, person) == ["Eldre", "Ny sak"]
    services.schedule_article(
        article=story, by=editor, at=timezone.now() + datetime.timedelta(hours=1)
    )
    assert listed(client, person) == ["Eldre"]


def test_a_scheduled_article_is_listed_when_its_time_comes_without_another_save(
    client, monkeypatch
):
    person = PersonFactory()
    ArticleFactory(title="Planlagt", scheduled=True, bylines=[person])
    assert listed(client, person) == []
    later = timezone.now() + datetime.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert listed(client, person) == ["Planlagt"]


def test_a_byline_changed_in_the_admin_moves_the_article_to_the_new_persons_page(client, editor):
    first, second = PersonFactory(), PersonFactory()
    article = ArticleFactory(title="Sak", published=True, bylines=[first])
    form = open_change_form(client, article)
    form["byline_set-0-person"] = second.pk
    assert client.post(change_url(article), form).status_code == 302
    assert listed(client, first) == []
    assert listed(client, second) == ["Sak"]

    form = open_change_form(client, article)
    form.update({"byline_set-1-person": first.pk, "byline_set-1-position": 1})
    assert client.post(change_url(article), form).status_code == 302
    assert listed(client, first) == ["Sak"]


def test_restoring_a_revision_brings_the_article_back_to_its_earlier_persons_page(client, editor):
    first, second = PersonFactory(), PersonFactory()
    article = ArticleFactory(title="Sak", published=True, bylines=[first])
    assert client.post(change_url(article), open_change_form(client, article)).status_code == 302
    original = Version.objects.get_for_object(article).get()
    form = open_change_form(client, article)
    form["byline_set-0-person"] = second.pk
    assert client.post(change_url(article), form).status_code == 302
    assert listed(client, first) == []

    url = reverse("admin:articles_article_revision", args=[article.pk, original.pk])
    page = client.get(url).content.decode()
    assert client.post(url, form_data(page, "article_form")).status_code == 302
    assert listed(client, first) == ["Sak"]
    assert listed(client, second) == []


def test_an_imported_article_is_listed_on_its_persons_page(client, tmp_path):
    path = tmp_path / "sak.txt"
    path.write_text("Innenriks\n\nNy bro åpnet\n\nBroen er klar.\n\nBrødtekst.\n", "utf-8")
    importing.import_article_file(
        path=path,
        publish=True,
        by=EditorFactory(),
        published_at=ago(2),
        byline_names=["Kari Skribent"],
        create_sections=True,
    )
    assert listed(client, Person.objects.get(name="Kari Skribent")) == ["Ny bro åpnet"]


def test_the_demo_content_and_generated_articles_are_listed_as_readers_see_them(client, demo):
    call_command("generate_articles", 60, stdout=io.StringIO())
    people = Person.objects.filter(byline__isnull=False).distinct()
    assert len(people) > 10
    for person in people:
        assert listed(client, person) == readers_see(person), person
