from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.forms import form_data


def logged_in(user):
    """A browser of her own, logged in as ``user``."""
    client = Client()
    client.force_login(user)
    return client


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def changelist_url():
    return reverse("admin:articles_article_changelist")


def open_change_form(client, article):
    """What an editor's browser holds after opening the article in the admin."""
    response = client.get(change_url(article))
    assert response.status_code == 200
    return form_data(response.content.decode(), "article_form")


def split_datetime(moment):
    local = timezone.localtime(moment)
    return {"schedule_at_0": local.strftime("%d.%m.%Y"), "schedule_at_1": local.strftime("%H:%M")}


def error_text(response):
    form = response.context["adminform"].form
    return " ".join(
        str(error)
        for errors in [form.non_field_errors(), *form.errors.values()]
        for error in errors
    )


def message_texts(response):
    return [str(message) for message in response.context["messages"]]
