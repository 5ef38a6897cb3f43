"""PFU rulings, the corrections page and «Om oss»: what a member of Norsk Presseforbund shows."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import services
from articles.models import AboutPage, Article, ArticleUpdate, PfuRuling, PublicationEvent
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    JournalistFactory,
    SectionFactory,
)
from tests.html import elements, texts
from tests.test_article_meta import json_ld
from tests.test_revisions import restore, save_in_admin
from tests.test_syndication import feed_items

pytestmark = pytest.mark.django_db

SUMMARY = "Avisen lot ikke den omtalte svare på sterke beskyldninger."
RULING_FIELDS = {
    "decided_on": "2026-11-25",
    "outcome": "breach",
    "case_number": "2026-087",
    "summary": SUMMARY,
    "decision_url": "https://presse.no/pfu-sak/2026087/",
}


def add_url():
    return reverse("admin:articles_pfuruling_add")


def record_in_admin(client, article, **changes):
    response = client.post(add_url(), {**RULING_FIELDS, "article": article.pk, **changes})
    assert response.status_code == 302, response.context["adminform"].form.errors
    return PfuRuling.objects.get(case_number=RULING_FIELDS["case_number"])


def ruling_on(article, **fields):
    values = {
        "decided_on": datetime.date(2026, 11, 25),
        "outcome": PfuRuling.Outcome.BREACH,
        "case_number": "2026-087",
        "summary": SUMMARY,
        "decision_url": "https://presse.no/pfu-sak/2026087/",
        **fields,
    }
    return services.save_pfu_ruling(
        ruling=PfuRuling(article=article, **values), by=EditorFactory()
    )


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# PFU rulings


def test_a_ruling_an_editor_records_shows_on_the_article_the_pfu_page_its_feed_and_json_ld(
    client, editor
):
    article = ArticleFactory(published=True, title="Sterke beskyldninger mot rådmannen")

    ruling = record_in_admin(client, article)

    html = page(client, article.get_absolute_url())
    [notice] = elements(html, "aside", **{"class": "pfu-ruling pfu-ruling--breach"})
    assert "Dagsavisen er felt i Pressens Faglige Utvalg" in notice["text"]
    assert "Brudd på god presseskikk" in notice["text"]
    assert "25. november 2026" in notice["text"]
    assert SUMMARY in notice["text"]
    # At the top: before the headline, not after the story.
    assert html.index("pfu-ruling--breach") < html.index("<h1")
    assert "https://presse.no/pfu-sak/2026087/" in html

    [comment] = json_ld(html)["comment"]
    assert comment["name"] == "PFU-sak 2026-087: Brudd på god presseskikk"
    assert comment["text"] == SUMMARY
    assert comment["dateCreated"] == "2026-11-25"
    assert comment["url"] == "https://presse.no/pfu-sak/2026087/"

    listing = page(client, "/pfu/")
    assert "Sterke beskyldninger mot rådmannen" in texts(listing, "a")
    assert SUMMARY in listing

    [item] = feed_items(client.get("/pfu/rss/"))
    assert item.findtext("title") == (
        "Brudd på god presseskikk: Sterke beskyldninger mot rådmannen (PFU-sak 2026-087)"
    )
    assert item.findtext("link") == f"http://testserver{article.get_absolute_url()}"
    assert item.findtext("description") == SUMMARY

    [event] = PublicationEvent.objects.filter(action=PublicationEvent.Action.PFU_RULING_RECORDED)
    assert (event.article, event.by) == (article, editor)
    assert ruling.created_by == editor


def test_criticism_and_acquittal_show_at_the_end_of_the_article_not_at_the_top(client):
    article = ArticleFactory(published=True)
    ruling_on(article, outcome=PfuRuling.Outcome.CRITICISM)
    html = page(client, article.get_absolute_url())
    [notice] = elements(html, "aside", **{"class": "pfu-ruling"})
    assert "Kritikk" in notice["text"]
    assert "er felt" not in html
    assert html.index('class="pfu-ruling"') > html.index('class="article__body"')


def test_the_pfu_page_lists_rulings_newest_first_and_only_on_articles_readers_see(client):
    old = ArticleFactory(published=True, title="Gammel sak")
    new = ArticleFactory(published=True, title="Ny sak")
    binned = ArticleFactory(published=True, title="Sak i papirkurven")
    ruling_on(old, decided_on=datetime.date(2024, 3, 1), case_number="2024-010")
    ruling_on(new, decided_on=datetime.date(2026, 6, 1), case_number="2026-020")
    ruling_on(binned, decided_on=datetime.date(2025, 1, 1), case_number="2025-030")
    services.move_to_bin(article=binned, by=EditorFactory())

    html = page(client, "/pfu/")
    assert texts(html, "h2", **{"class": "pfu-ruling__title"}) == ["Ny sak", "Gammel sak"]
    titles = [item.findtext("title") for item in feed_items(client.get("/pfu/rss/"))]
    assert [title.split(": ")[1].split(" (")[0] for title in titles] == ["Ny sak", "Gammel sak"]


def test_a_journalist_cannot_record_a_ruling_even_with_a_forged_post(client, journalist):
    article = ArticleFactory(published=True, created_by=journalist)
    response = client.post(add_url(), {**RULING_FIELDS, "article": article.pk})
    assert response.status_code == 403
    assert not PfuRuling.objects.exists()
    with pytest.raises(services.RulingNotAllowed):
        services.save_pfu_ruling(ruling=PfuRuling(article=article, **RULING_FIELDS), by=journalist)
    assert not PfuRuling.objects.exists()
    assert not PublicationEvent.objects.exists()


def test_a_journalist_cannot_change_a_ruling_but_an_editor_can_and_it_is_logged(client):
    article = ArticleFactory(published=True)
    ruling = ruling_on(article)
    change_url = reverse("admin:articles_pfuruling_change", args=[ruling.pk])
    forged = {**RULING_FIELDS, "article": article.pk, "outcome": "no_breach"}

    client.force_login(JournalistFactory())
    assert client.post(change_url, forged).status_code == 403
    ruling.refresh_from_db()
    assert ruling.outcome == PfuRuling.Outcome.BREACH

    editor = EditorFactory()
    client.force_login(editor)
    assert client.post(change_url, forged).status_code == 302
    ruling.refresh_from_db()
    assert ruling.outcome == PfuRuling.Outcome.NO_BREACH
    assert PublicationEvent.objects.filter(
        article=article, action=PublicationEvent.Action.PFU_RULING_CHANGED, by=editor
    ).exists()


def test_a_ruling_with_a_bad_link_is_refused_with_a_message_and_nothing_saved(client, editor):
    article = ArticleFactory(published=True)
    response = client.post(
        add_url(), {**RULING_FIELDS, "article": article.pk, "decision_url": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "Oppgi en gyldig nettadresse" in str(response.context["adminform"].form.errors)
    with pytest.raises(ValidationError):
        services.save_pfu_ruling(
            ruling=PfuRuling(article=article, **{**RULING_FIELDS, "decision_url": "ftp:/x"}),
            by=editor,
        )
    assert not PfuRuling.objects.exists()
    assert not PublicationEvent.objects.exists()


def test_restoring_an_older_version_keeps_the_ruling(client, editor):
    article = ArticleFactory(published=True, title="Før uttalelsen")
    save_in_admin(client, article)
    version = Version.objects.get_for_object(article).get()
    record_in_admin(client, article)

    assert restore(client, article, version).status_code == 302
    assert PfuRuling.objects.filter(article=article).count() == 1
    assert SUMMARY in page(client, article.get_absolute_url())


def test_the_bin_hides_the_ruling_and_a_restore_brings_it_back(client, editor):
    article = ArticleFactory(published=True)
    ruling_on(article)
    services.move_to_bin(article=article, by=editor)
    assert SUMMARY not in page(client, "/pfu/")
    assert client.get(article.get_absolute_url()).status_code == 410

    services.restore_from_bin(article=Article.objects.get(pk=article.pk), by=editor)
    assert SUMMARY in page(client, "/pfu/")
    assert SUMMARY in page(client, article.get_absolute_url())


# Corrections


def test_the_corrections_page_lists_corrections_from_several_articles_newest_first(client):
    editor = EditorFactory()
    first = ArticleFactory(published=True, title="Bussen er forsinket")
    second = ArticleFactory(published=True, title="Nytt bibliotek åpner")
    draft = ArticleFactory(title="Kladd med rettelse")
    now = timezone.now()

    def note(article, text, minutes_ago, kind="correction"):
        services.add_article_update(
            article=article,
            by=editor,
            kind=kind,
            text=text,
            at=now - datetime.timedelta(minutes=minutes_ago),
        )

    note(first, "Bussen går fra Jernbanetorget, ikke Stortorvet.", 30)
    note(second, "Biblioteket åpner klokka 10, ikke 9.", 20)
    note(first, "Forsinkelsen er 15 minutter.", 10)
    note(first, "Bussen er i rute igjen.", 5, kind="update")
    note(draft, "Skjult rettelse.", 1)

    html = page(client, "/rettelser/")
    assert texts(html, "h2", **{"class": "correction__title"}) == [
        "Bussen er forsinket",
        "Nytt bibliotek åpner",
        "Bussen er forsinket",
    ]
    assert "Forsinkelsen er 15 minutter." in html
    assert "Bussen er i rute igjen." not in html
    assert "Skjult rettelse." not in html
    assert timezone.localtime(now - datetime.timedelta(minutes=10)).strftime("kl. %H.%M") in html

    items = feed_items(client.get("/rettelser/rss/"))
    assert [item.findtext("description") for item in items] == [
        "Forsinkelsen er 15 minutter.",
        "Biblioteket åpner klokka 10, ikke 9.",
        "Bussen går fra Jernbanetorget, ikke Stortorvet.",
    ]


def test_the_corrections_page_is_paginated(client):
    article = ArticleFactory(published=True)
    ArticleUpdate.objects.bulk_create(
        ArticleUpdate(article=article, kind="correction", text=f"Rettelse nummer {number}.")
        for number in range(21)
    )
    assert len(elements(page(client, "/rettelser/"), "article")) == 20
    second = page(client, "/rettelser/?side=2")
    assert len(elements(second, "article")) == 1
    assert "Side 2 av 2" in second


# Om oss


def test_about_page_names_the_editor_the_codes_and_how_to_complain(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "EDITOR_IN_CHIEF": "Eirik Hoff"}
    html = page(client, "/om-oss/")
    assert "Ansvarlig redaktør: Eirik Hoff" in html
    assert "Vær Varsom-plakaten" in texts(html, "a")
    assert "Redaktørplakaten" in texts(html, "a")
    assert "Pressens Faglige Utvalg (PFU)" in texts(html, "a")
    assert "ta først kontakt med redaksjonen" in html


def test_every_page_footer_names_the_editor_from_the_about_page(client, settings):
    settings.NEWSROOM = {**settings.NEWSROOM, "EDITOR_IN_CHIEF": "Eirik Hoff"}
    settings.PAGE_CACHE_TIMEOUT = 60
    ArticleFactory(published=True)
    footer = "Ansvarlig redaktør: Eirik Hoff"
    assert footer in page(client, "/")  # the settings' name until an editor saves the page

    client.force_login(EditorFactory())
    fields = {
        "editor_in_chief": "Mari Moe",
        "contact_email": "desk@example.no",
        "complaints": "Skriv til oss først.",
    }
    response = client.post(reverse("admin:articles_aboutpage_add"), fields)
    assert response.status_code == 302
    client.logout()
    # The cached front page is not served again with the old name.
    for url in ("/", "/rettelser/", "/pfu/"):
        html = page(client, url)
        assert "Eirik Hoff" not in html, url
        assert "Ansvarlig redaktør: Mari Moe" in texts(html, "p"), url


def test_an_editor_edits_the_about_page_in_the_admin_and_a_journalist_cannot(client):
    fields = {
        "editor_in_chief": "Mari Moe",
        "contact_email": "desk@example.no",
        "contact_phone": "22 99 88 77",
        "address": "Postboks 1, 0101 Oslo",
        "introduction": "En uavhengig avis.",
        "complaints": "Skriv til oss først.",
    }
    client.force_login(JournalistFactory())
    assert client.post(reverse("admin:articles_aboutpage_add"), fields).status_code == 403
    assert not AboutPage.objects.exists()

    client.force_login(EditorFactory())
    assert client.post(reverse("admin:articles_aboutpage_add"), fields).status_code == 302
    html = page(client, "/om-oss/")
    assert "Ansvarlig redaktør: Mari Moe" in html
    assert "22 99 88 77" in html
    assert "Skriv til oss først." in html
    # There is one page: the admin leads back to it rather than adding a second one.
    response = client.get(reverse("admin:articles_aboutpage_add"))
    assert response.url == reverse(
        "admin:articles_aboutpage_change", args=[AboutPage.objects.get().pk]
    )


# Around every page


def test_json_ld_publisher_points_to_the_corrections_ethics_and_masthead_pages(client):
    article = ArticleFactory(published=True)
    publisher = json_ld(page(client, article.get_absolute_url()))["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["correctionsPolicy"] == "http://testserver/rettelser/"
    assert publisher["ethicsPolicy"] == "http://testserver/om-oss/"
    assert publisher["masthead"] == "http://testserver/om-oss/"


def test_the_footer_links_to_about_corrections_and_pfu_on_every_page(client):
    html = page(client, "/")
    [footer] = elements(html, "footer")
    for text in ("Om oss", "Rettelser", "PFU-uttalelser"):
        assert text in footer["text"]
    for path in ("/om-oss/", "/rettelser/", "/pfu/"):
        assert f'href="{path}"' in html


def test_sections_cannot_take_the_addresses_of_these_pages():
    for slug in ("pfu", "rettelser", "om-oss"):
        with pytest.raises(ValidationError):
            SectionFactory.build(name=slug.title(), slug=slug).full_clean()


@pytest.mark.parametrize("url", ["/pfu/", "/rettelser/", "/om-oss/"])
def test_the_new_pages_have_one_h1_a_search_form_and_no_scripts(client, url):
    article = ArticleFactory(published=True)
    ruling_on(article)
    services.add_article_update(article=article, by=EditorFactory(), kind="correction", text="R.")
    html = page(client, url)
    assert len(elements(html, "h1")) == 1
    assert elements(html, "form", role="search")
    assert not elements(html, "script")


@pytest.mark.parametrize("size", [2, 30])
def test_the_new_pages_query_budgets_are_fixed(client, django_assert_max_num_queries, size):
    editor = EditorFactory()
    for number in range(size):
        article = ArticleFactory(published=True, section=SectionFactory())
        ruling_on(article, case_number=f"2026-{number:03d}")
        services.add_article_update(article=article, by=editor, kind="correction", text="R.")
    # sections nav, the footer's editor, the page cache's check, then the count and the rows
    for url in ("/pfu/", "/pfu/rss/", "/rettelser/", "/rettelser/rss/", "/om-oss/"):
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200
