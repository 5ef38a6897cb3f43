"""Update notes and corrections: visible to readers with their time, and they move "Oppdatert"."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles import services
from articles.models import Article, ArticleUpdate
from tests.admin_helpers import change_url, error_text, open_change_form
from tests.factories import ArticleFactory, EditorFactory
from tests.html import texts

pytestmark = pytest.mark.django_db

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


@pytest.fixture
def article():
    return ArticleFactory(
        published=True, published_at=datetime.datetime(2024, 3, 1, 9, 0, tzinfo=OSLO)
    )


def test_update_and_correction_show_on_the_article_page_with_oslo_time(client, article):
    editor = EditorFactory()
    services.add_article_update(
        article=article,
        by=editor,
        kind=ArticleUpdate.Kind.UPDATE,
        text="Politiet har bekreftet tallene.",
        at=datetime.datetime(2024, 3, 1, 13, 32, tzinfo=datetime.UTC),
    )
    services.add_article_update(
        article=article,
        by=editor,
        kind=ArticleUpdate.Kind.CORRECTION,
        text="I en tidligere versjon sto det feil alder.",
        at=datetime.datetime(2024, 3, 2, 15, 5, tzinfo=datetime.UTC),
    )
    page = client.get(article.get_absolute_url()).content.decode()
    notes = texts(page, "p", **{"class": "article-update"}) + texts(
        page, "p", **{"class": "article-update article-update--correction"}
    )
    assert notes == [
        "Oppdatert kl. 14.32: Politiet har bekreftet tallene.",
        "Rettelse 2. mars 2024 kl. 16.05: I en tidligere versjon sto det feil alder.",
    ]
    assert "Oppdatert 2. mars 2024 kl. 16.05" in texts(page, "p", **{"class": "article__dates"})[0]


def test_update_text_is_escaped(client, article):
    services.add_article_update(
        article=article, by=EditorFactory(), kind="update", text="<script>alert(1)</script>"
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_an_empty_update_is_refused_and_nothing_changes(article):
    with pytest.raises(ValidationError):
        services.add_article_update(article=article, by=EditorFactory(), kind="update", text=" ")
    assert not ArticleUpdate.objects.exists()
    assert Article.objects.get(pk=article.pk).updated_at is None


def test_adding_a_correction_in_the_admin_sets_oppdatert(client, article):
    editor = EditorFactory()
    client.force_login(editor)
    form = open_change_form(client, article)
    response = client.post(
        change_url(article),
        {
            **form,
            "updates-TOTAL_FORMS": "1",
            "updates-0-kind": "correction",
            "updates-0-text": "Navnet er rettet.",
        },
    )
    assert response.status_code == 302
    note = ArticleUpdate.objects.get()
    assert (note.kind, note.created_by) == ("correction", editor)
    article.refresh_from_db()
    assert article.updated_at == note.created_at
    assert article.shows_update


def test_a_typo_fix_in_the_admin_does_not_bump_oppdatert(client, article):
    client.force_login(EditorFactory())
    form = open_change_form(client, article)
    response = client.post(
        change_url(article), {**form, "body": article.body + " Rettet skrivefeil."}
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body.endswith("Rettet skrivefeil.")
    assert article.updated_at is None
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Oppdatert" not in texts(page, "p", **{"class": "article__dates"})[0]


def test_article_page_with_notes_keeps_its_query_budget(
    client, article, django_assert_max_num_queries
):
    for kind in ["update", "correction", "update"]:
        services.add_article_update(article=article, by=None, kind=kind, text="Ny info.")
    # nothing cached: article (URL check, then the whole of it), bylines, tags, update notes,
    # four footer picks at most, sections nav, the editor-in-chief in the page footer
    with django_assert_max_num_queries(11):
        response = client.get(article.get_absolute_url())
    assert len(texts(response.content.decode(), "section", **{"class": "article-updates"})) == 1


def test_notes_are_listed_in_the_admin(client, article):
    services.add_article_update(article=article, by=None, kind="correction", text="Rettet navn.")
    client.force_login(EditorFactory())
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "Rettet navn." in page


def updated_at_fields(moment):
    local = timezone.localtime(moment)
    return {"updated_at_0": local.strftime("%d.%m.%Y"), "updated_at_1": local.strftime("%H:%M")}


@pytest.mark.parametrize(
    ("moment", "message"),
    [
        (lambda: timezone.now() + datetime.timedelta(days=1), "kan ikke være fram i tid"),
        (
            lambda: datetime.datetime(2024, 3, 1, 8, 0, tzinfo=OSLO),
            "kan ikke være før artikkelen ble publisert (1. mars 2024 kl. 09.00)",
        ),
    ],
    ids=["future", "before-publication"],
)
def test_oppdatert_outside_publication_and_now_is_refused_in_the_admin(
    client, article, moment, message
):
    client.force_login(EditorFactory())
    data = open_change_form(client, article)
    response = client.post(change_url(article), {**data, **updated_at_fields(moment())})
    assert response.status_code == 200
    assert message in error_text(response)
    assert Article.objects.get(pk=article.pk).updated_at is None


def test_oppdatert_between_publication_and_now_is_saved(client, article):
    client.force_login(EditorFactory())
    data = open_change_form(client, article)
    moment = datetime.datetime(2024, 3, 1, 10, 15, tzinfo=OSLO)
    response = client.post(change_url(article), {**data, **updated_at_fields(moment)})
    assert response.status_code == 302
    assert Article.objects.get(pk=article.pk).updated_at == moment
