"""A save refused because a colleague saved in between offers a merge instead of retyping."""

import pytest

from articles.models import Article
from tests.admin_helpers import change_url, error_text, logged_in, open_change_form
from tests.factories import ArticleFactory, EditorFactory, SectionFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db

BODY = "Første avsnitt.\n\nAndre avsnitt.\n\nTredje avsnitt."


@pytest.fixture
def article():
    return ArticleFactory(title="Budsjettet", lead="Ingress.", body=BODY)


@pytest.fixture
def kari():
    return EditorFactory(first_name="Kari", last_name="Nordmann")


@pytest.fixture
def ola():
    return EditorFactory(first_name="Ola", last_name="Hansen")


def refused_after_colleague(article, kari, ola, *, karis_body, olas_body, olas_title=None):
    """Both open the article, Kari saves first; Ola's save is refused. Ola's browser and page."""
    karis_browser, olas_browser = logged_in(kari), logged_in(ola)
    karis_form = open_change_form(karis_browser, article)
    olas_form = open_change_form(olas_browser, article)
    assert (
        karis_browser.post(change_url(article), {**karis_form, "body": karis_body}).status_code
        == 302
    )
    olas = {**olas_form, "body": olas_body}
    if olas_title:
        olas["title"] = olas_title
    refused = olas_browser.post(change_url(article), olas)
    assert refused.status_code == 200
    assert "Kari Nordmann lagret artikkelen" in error_text(refused)
    return olas_browser, refused


def test_changes_to_different_paragraphs_are_shown_and_saved_with_one_click(article, kari, ola):
    browser, refused = refused_after_colleague(
        article, kari, ola,
        karis_body=BODY.replace("Første avsnitt.", "Første avsnitt, rettet av Kari."),
        olas_body=BODY.replace("Tredje avsnitt.", "Tredje avsnitt, skrevet om av Ola."),
        olas_title="Budsjettet er vedtatt",
    )  # fmt: skip
    page = refused.content.decode()
    assert "Slå sammen i stedet for å skrive på nytt" in page
    assert "Endret av Kari Nordmann" in page and "Din endring" in page
    assert "Lagre den sammenslåtte teksten" in page
    assert Article.objects.get(pk=article.pk).body.startswith("Første avsnitt, rettet av Kari.")

    saved = browser.post(change_url(article), {**form_data(page, "article_form"), "_merge": "1"})

    assert saved.status_code == 302
    article.refresh_from_db()
    assert article.body == (
        "Første avsnitt, rettet av Kari.\n\nAndre avsnitt.\n\nTredje avsnitt, skrevet om av Ola."
    )
    assert article.title == "Budsjettet er vedtatt"
    assert article.last_edited_by == ola


def test_a_paragraph_both_changed_shows_both_and_she_must_choose(article, kari, ola):
    browser, refused = refused_after_colleague(
        article, kari, ola,
        karis_body=BODY.replace("Andre avsnitt.", "Andre avsnitt ifølge Kari."),
        olas_body=BODY.replace("Andre avsnitt.", "Andre avsnitt ifølge Ola."),
    )  # fmt: skip
    page = refused.content.decode()
    assert "Dere har begge endret dette" in page
    assert "Andre avsnitt ifølge Kari." in page and "Andre avsnitt ifølge Ola." in page
    form = {**form_data(page, "article_form"), "_merge": "1"}

    unchosen = browser.post(change_url(article), form)
    assert unchosen.status_code == 200
    assert "Velg hvilken versjon" in error_text(unchosen)
    assert "Andre avsnitt ifølge Kari." in Article.objects.get(pk=article.pk).body

    chosen = browser.post(change_url(article), {**form, "merge_choice_body-1": "mine"})
    assert chosen.status_code == 302
    assert Article.objects.get(pk=article.pk).body == BODY.replace(
        "Andre avsnitt.", "Andre avsnitt ifølge Ola."
    )


def test_a_third_save_after_the_merge_was_shown_is_refused_again(article, kari, ola):
    browser, refused = refused_after_colleague(
        article, kari, ola,
        karis_body=BODY.replace("Første avsnitt.", "Første, Kari."),
        olas_body=BODY.replace("Tredje avsnitt.", "Tredje, Ola."),
    )  # fmt: skip
    per = EditorFactory(first_name="Per", last_name="Pub")
    pers_browser = logged_in(per)
    pers_form = open_change_form(pers_browser, article)
    pers_body = BODY.replace("Første avsnitt.", "Første, Kari.").replace(
        "Andre avsnitt.", "Andre, Per."
    )
    assert (
        pers_browser.post(change_url(article), {**pers_form, "body": pers_body}).status_code == 302
    )

    again = browser.post(
        change_url(article), {**form_data(refused.content.decode(), "article_form"), "_merge": "1"}
    )

    assert again.status_code == 200
    assert "Per Pub lagret artikkelen" in error_text(again)
    assert Article.objects.get(pk=article.pk).body == pers_body
    page = again.content.decode()
    assert "Endret av Per Pub" in page  # the merge shown now is with the newest text
    final = browser.post(change_url(article), {**form_data(page, "article_form"), "_merge": "1"})
    assert final.status_code == 302
    assert (
        Article.objects.get(pk=article.pk).body == "Første, Kari.\n\nAndre, Per.\n\nTredje, Ola."
    )


def test_nothing_is_saved_that_she_has_not_seen(article, kari, ola):
    browser, refused = refused_after_colleague(
        article, kari, ola,
        karis_body=BODY.replace("Første avsnitt.", "Første, Kari."),
        olas_body=BODY.replace("Tredje avsnitt.", "Tredje, Ola."),
    )  # fmt: skip
    form = {**form_data(refused.content.decode(), "article_form"), "_merge": "1"}
    changed_since = browser.post(change_url(article), {**form, "body": "Noe helt annet."})
    assert changed_since.status_code == 200
    assert "endret etter at sammenslåingen ble vist" in error_text(changed_since)
    assert Article.objects.get(pk=article.pk).body.startswith("Første, Kari.")


def test_the_version_she_opened_comes_from_the_server_not_the_form(article, kari, ola):
    browser, refused = refused_after_colleague(
        article, kari, ola,
        karis_body=BODY.replace("Første avsnitt.", "Første, Kari."),
        olas_body=BODY.replace("Tredje avsnitt.", "Tredje, Ola."),
    )  # fmt: skip
    form = form_data(refused.content.decode(), "article_form")
    # A made-up token names no version: everything that differs becomes her choice.
    forged = browser.post(
        change_url(article),
        {**form, "merge_base_token": "00000000-0000-0000-0000-000000000000", "_merge": "1"},
    )
    assert forged.status_code == 200
    assert "Velg hvilken versjon" in error_text(forged)
    assert Article.objects.get(pk=article.pk).body.startswith("Første, Kari.")


def test_a_refusal_for_another_reason_offers_no_merge(client, journalist):
    her_article = ArticleFactory(created_by=journalist)
    form = open_change_form(client, her_article)
    response = client.post(change_url(her_article), {**form, "_publish": "1"})
    assert "ikke tilgang til å publisere" in error_text(response)
    assert "Slå sammen" not in response.content.decode()


def test_a_colleagues_tags_and_section_are_shown_and_kept_if_she_chooses_them(article, kari, ola):
    """Outside the text, nothing of the colleague's is overwritten without her choosing it."""
    sport = SectionFactory(name="Sport")
    karis_browser, olas_browser = logged_in(kari), logged_in(ola)
    karis_form = open_change_form(karis_browser, article)
    olas_form = open_change_form(olas_browser, article)
    karis = {**karis_form, "section": str(sport.pk), "tags": ["Budsjett", "Bystyret"]}
    assert karis_browser.post(change_url(article), karis).status_code == 302
    olas_body = BODY.replace("Tredje avsnitt.", "Tredje avsnitt, Ola.")
    refused = olas_browser.post(change_url(article), {**olas_form, "body": olas_body})
    page = refused.content.decode()
    assert "Andre felt" in page
    assert "Versjonen til Kari Nordmann: Sport" in page
    assert "Bystyret" in page
    form = {**form_data(page, "article_form"), "_merge": "1"}

    unchosen = olas_browser.post(change_url(article), form)
    assert "Velg hvilken versjon av feltet" in error_text(unchosen)
    assert Article.objects.get(pk=article.pk).body == BODY

    chosen = olas_browser.post(
        change_url(article),
        {**form, "merge_field_section": "theirs", "merge_field_tags": "theirs"},
    )
    assert chosen.status_code == 302
    article.refresh_from_db()
    assert article.body == olas_body
    assert article.section == sport
    assert sorted(article.tags.names()) == ["Budsjett", "Bystyret"]
