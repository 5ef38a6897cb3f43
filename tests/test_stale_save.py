"""Two people edit the same article: the second save never silently overwrites the first."""

import threading

import pytest
from django.db import connection
from django.urls import reverse

from articles import services
from articles.models import Article, Section
from tests.admin_helpers import change_url, changelist_url, error_text, logged_in, open_change_form
from tests.factories import ArticleFactory, EditorFactory, JournalistFactory, SectionFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return ArticleFactory(title="Utgangspunkt", body="Første versjon.")


def test_second_save_is_refused_naming_who_saved_and_keeping_both_texts(article):
    kari = EditorFactory(first_name="Kari", last_name="Nordmann")
    ola = EditorFactory(first_name="Ola", last_name="Hansen")
    karis_browser, olas_browser = logged_in(kari), logged_in(ola)
    karis_form = open_change_form(karis_browser, article)
    olas_form = open_change_form(olas_browser, article)

    first = karis_browser.post(change_url(article), {**karis_form, "body": "Karis tekst."})
    assert first.status_code == 302

    second = olas_browser.post(change_url(article), {**olas_form, "body": "Olas tekst."})
    assert second.status_code == 200
    message = error_text(second)
    assert "Kari Nordmann lagret artikkelen" in message
    assert "ikke lagret" in message
    assert "Olas tekst." in second.content.decode()
    article.refresh_from_db()
    assert article.body == "Karis tekst."
    assert article.last_edited_by == kari


def test_a_refused_form_stays_refused_until_reopened(article):
    kari, ola = EditorFactory(), EditorFactory()
    olas_browser = logged_in(ola)
    olas_form = open_change_form(olas_browser, article)
    karis_browser = logged_in(kari)
    karis_browser.post(
        change_url(article), {**open_change_form(karis_browser, article), "body": "Karis tekst."}
    )
    refused = olas_browser.post(change_url(article), {**olas_form, "body": "Olas tekst."})
    resubmitted = olas_browser.post(
        change_url(article),
        {**olas_form, "body": "Olas tekst.", "loaded_edit_token": refused.context["adminform"]
         .form["loaded_edit_token"].value()},
    )  # fmt: skip
    assert resubmitted.status_code == 200
    assert Article.objects.get(pk=article.pk).body == "Karis tekst."

    fresh = open_change_form(olas_browser, article)
    assert (
        olas_browser.post(change_url(article), {**fresh, "body": "Olas tekst."}).status_code == 302
    )
    assert Article.objects.get(pk=article.pk).body == "Olas tekst."


def test_saving_twice_from_the_same_person_in_sequence_just_works(client, article):
    client.force_login(JournalistFactory())
    Article.objects.filter(pk=article.pk).update(created_by=client.session["_auth_user_id"])
    form = open_change_form(client, article)
    assert client.post(change_url(article), {**form, "_continue": "1"}).status_code == 302
    form = open_change_form(client, article)
    assert client.post(change_url(article), {**form, "body": "Andre runde."}).status_code == 302
    assert Article.objects.get(pk=article.pk).body == "Andre runde."


def test_a_form_without_its_edit_token_is_refused(client, article):
    client.force_login(EditorFactory())
    form = open_change_form(client, article)
    del form["loaded_edit_token"]
    response = client.post(change_url(article), {**form, "body": "Uten token."})
    assert response.status_code == 200
    assert Article.objects.get(pk=article.pk).body == "Første versjon."


def test_a_bulk_publish_in_between_makes_the_open_form_stale(article):
    journalist = JournalistFactory(first_name="Jon", last_name="Skribent")
    Article.objects.filter(pk=article.pk).update(created_by=journalist)
    editor = EditorFactory(first_name="Eva", last_name="Redaktør")
    journalists_browser = logged_in(journalist)
    form = open_change_form(journalists_browser, article)

    logged_in(editor).post(
        changelist_url(), {"action": "publish_selected", "_selected_action": [article.pk]}
    )
    response = journalists_browser.post(change_url(article), {**form, "body": "Sen endring."})
    assert response.status_code == 200
    assert "Eva Redaktør lagret artikkelen" in error_text(response)
    article.refresh_from_db()
    assert article.is_published
    assert article.body == "Første versjon."


def test_a_publishing_service_call_in_between_makes_the_open_form_stale(client, article):
    editor = EditorFactory()
    client.force_login(editor)
    form = open_change_form(client, article)
    services.publish_article(article=article, by=EditorFactory(first_name="Per", last_name="Pub"))
    response = client.post(change_url(article), {**form, "title": "Endret"})
    assert "Per Pub lagret artikkelen" in error_text(response)
    assert Article.objects.get(pk=article.pk).title == "Utgangspunkt"


def test_the_article_changelist_has_no_list_editable_that_could_bypass_the_check(admin_client):
    # Article rows in the list carry no edit token; a list_editable there would need one.
    response = admin_client.get(changelist_url())
    assert response.context["cl"].list_editable == ()


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_never_both_win(article):
    if connection.vendor != "postgresql":
        pytest.skip("needs real row locks; SQLite serialises whole-database writes")
    editors = [EditorFactory(), EditorFactory()]
    browsers = [logged_in(editor) for editor in editors]
    forms = [open_change_form(browser, article) for browser in browsers]
    start = threading.Barrier(2)
    statuses = {}

    def save(index):
        try:
            start.wait()
            response = browsers[index].post(
                change_url(article), {**forms[index], "body": f"Tekst {index}."}
            )
            statuses[index] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses.values()) == [200, 302]
    winner = next(index for index, status in statuses.items() if status == 302)
    assert Article.objects.get(pk=article.pk).body == f"Tekst {winner}."


def test_list_editable_refuses_a_stale_row_and_keeps_the_first_value():
    section = SectionFactory(name="Kultur", position=3)
    url = reverse("admin:articles_section_changelist")
    first, second = logged_in(EditorFactory()), logged_in(EditorFactory())
    first_list = form_data(first.get(url).content.decode(), "changelist-form")
    second_list = form_data(second.get(url).content.decode(), "changelist-form")
    assert first_list["form-0-position_1"] == "3"

    saved = first.post(url, {**first_list, "form-0-position_0": "1", "_save": "Lagre"})
    assert saved.status_code == 302
    refused = second.post(url, {**second_list, "form-0-position_0": "7", "_save": "Lagre"})
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Noen andre endret denne til «1»" in page
    assert 'value="7"' in page
    assert Section.objects.get(pk=section.pk).position == 1

    reopened = form_data(second.get(url).content.decode(), "changelist-form")
    assert (
        second.post(url, {**reopened, "form-0-position_0": "7", "_save": "Lagre"}).status_code
        == 302
    )
    assert Section.objects.get(pk=section.pk).position == 7


def test_the_refusal_says_what_happened_instead_of_asking_to_correct_errors(article):
    kari, ola = EditorFactory(first_name="Kari", last_name="Nordmann"), EditorFactory()
    olas_browser = logged_in(ola)
    olas_form = open_change_form(olas_browser, article)
    services.publish_article(article=article, by=kari)
    page = olas_browser.post(change_url(article), {**olas_form, "body": "Olas tekst."})
    html = page.content.decode()
    assert "Noen andre lagret artikkelen mens du hadde den åpen" in html
    assert "Rett feilen nedenfor" not in html and "Rett feilene nedenfor" not in html


def test_save_article_refuses_a_stale_token_whoever_calls_it(article):
    editor = EditorFactory(first_name="Kari", last_name="Nordmann")
    loaded = article.edit_token
    services.publish_article(article=article, by=editor)
    article.body = "Sen endring."
    with pytest.raises(services.StaleEdit, match="Kari Nordmann lagret artikkelen"):
        services.save_article(article=article, by=EditorFactory(), loaded_edit_token=loaded)
    assert Article.objects.get(pk=article.pk).body == "Første versjon."
