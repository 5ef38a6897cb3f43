"""Whatever text editors save, every public page, feed and sitemap answers and parses, and no
input arrives as markup (issue 12)."""

import html
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import services
from articles.forms import TagNamesField
from articles.models import Article, ArticleUpdate, Byline, Person, Section
from articles.text import mend_text
from ops.generations import forget_local_state
from tests.factories import EditorFactory, ImageFactory
from tests.html import elements, texts

pytestmark = pytest.mark.django_db

PIECES = [
    "<img src=x onerror=alert(1)>", "</title><script>alert(2)</script>", "]]>", "<![CDATA[",
    "&amp;", "&", "&#0;", "&#xD800;", "\\ud800", "\ud800", "\udfff", '"', "'", "Sa \"nei\" til EU",
    ",", "«»", "– ", "## ", "\u200f", "\u202e", "\u2066", "🙂", "👨‍👩‍👧", "\x0b", "\x0c", "\x08",
    "\x00", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\r\n", "\r", "\t", "\n", " ", "\ufffe",
    "\ufdd0", "\U0010ffff", "!!!", "?", ">", "bånd", "Ærlig", "x" * 300,
]  # fmt: skip
TEXT = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=12)), max_size=6).map("".join)
FEEDS_AND_SITEMAPS = [
    "/rss/", "/sitemap.xml", "/sitemap-artikler.xml", "/sitemap-seksjoner.xml",
    "/sitemap-tema.xml", "/sitemap-personer.xml", "/news-sitemap.xml",
]  # fmt: skip
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def mended(instance, name):
    field = instance._meta.get_field(name)
    value = mend_text(getattr(instance, name), multiline=isinstance(field, models.TextField))
    return value[: field.max_length].strip() or "x"


def save_as_the_admin_would(instance, *, exclude=()):
    """The admin form's model validation, then the save. What it refuses gets a message; the
    editor then removes what was named and saves again."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        assert error.message_dict and all(error.message_dict.values())
        for name in error.message_dict:
            setattr(instance, name, mended(instance, name))
        instance.full_clean(exclude=exclude)
    instance.save()
    return instance


def accepted_tags(names):
    field = TagNamesField(label="stikkord")
    try:
        return field.clean(names)
    except ValidationError as error:
        assert error.messages
        return field.clean([mend_text(name, multiline=False)[:100] for name in names])


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def parse_xml(response):
    return ET.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input


def assert_no_markup_from_input(page):
    for element in elements(page):
        assert not [name for name in element["attrs"] if name.startswith("on")], element
        if element["tag"] == "script":
            assert (
                element["attrs"].get("type") == "application/ld+json" or "src" in element["attrs"]
            ), element


def assert_rss_is_text(response, articles):
    channel = parse_xml(response).find("channel")
    for item in channel.findall("item"):
        description = item.findtext("description") or ""
        assert elements(description) == []
        assert html.unescape(description) in {article.lead for article in articles}
        assert item.findtext("title") in {article.title for article in articles}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    section_name=TEXT,
    section_description=TEXT,
    person_name=TEXT,
    person_title=TEXT,
    person_bio=TEXT,
    title=TEXT,
    lead=TEXT,
    body=TEXT,
    caption=TEXT,
    alt_text=TEXT,
    credit=TEXT,
    caption_override=TEXT,
    tags=st.lists(TEXT, max_size=4),
    note=TEXT,
)
def test_any_saved_text_leaves_every_public_surface_working(client, **text):
    for alias in django_settings.CACHES:
        caches[alias].clear()
    forget_local_state()
    with transaction.atomic():
        check_every_surface(client, **text)
        transaction.set_rollback(True)


def check_every_surface(client, **text):
    editor = EditorFactory()
    section = save_as_the_admin_would(
        Section(name=text["section_name"], description=text["section_description"]),
        exclude=["slug"],
    )
    person = save_as_the_admin_would(
        Person(name=text["person_name"], title=text["person_title"], bio=text["person_bio"]),
        exclude=["slug"],
    )
    image = ImageFactory.build(
        caption=text["caption"], alt_text=text["alt_text"], credit=text["credit"]
    )
    save_as_the_admin_would(image)
    article = save_as_the_admin_would(
        Article(
            section=section,
            title=text["title"],
            lead=text["lead"],
            body=text["body"],
            lead_image=image,
            lead_image_caption=text["caption_override"],
        )
    )
    Byline.objects.create(article=article, person=person)
    article.tags.set(accepted_tags(text["tags"]))
    client.force_login(editor)
    preview = get(client, reverse("articles:preview", kwargs={"pk": article.pk}))
    assert_no_markup_from_input(preview.content.decode())
    client.logout()

    services.publish_article(article=article, by=editor)
    note = ArticleUpdate(article=article, kind=ArticleUpdate.Kind.CORRECTION, text=text["note"])
    note = save_as_the_admin_would(note, exclude=["created_by"])
    article = Article.objects.for_page().get(pk=article.pk)

    page = get(client, article.get_absolute_url()).content.decode()
    assert_no_markup_from_input(page)
    assert texts(page, "h1") == [" ".join(article.title.split())]
    [structured] = [json.loads(found) for found in JSON_LD.findall(page)]
    assert structured["headline"] == article.title
    assert structured["description"] == article.lead
    assert structured["correction"][0]["text"] == note.text
    assert sorted(structured.get("keywords", [])) == sorted(article.tags.names())

    pages = ["/", section.get_absolute_url(), person.get_absolute_url()]
    pages += [reverse("articles:tag", kwargs={"slug": tag.slug}) for tag in article.tags.all()]
    pages.append(f"{reverse('articles:search')}?{urlencode({'q': article.title[:40]})}")
    for url in pages:
        assert_no_markup_from_input(get(client, url).content.decode())

    for url in [*FEEDS_AND_SITEMAPS, reverse("articles:section_feed", args=[section.slug])]:
        response = get(client, url)
        parse_xml(response)
        if "rss" in url:
            assert_rss_is_text(response, [article])
