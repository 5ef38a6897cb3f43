"""Every change readers could see shows at once on every cached surface (articles/freshness.py).

The page cache and the fragments are on, as in production with Redis. Each case warms every
surface, changes one model through one write path (a model save as the admin does, a service,
the importer, or a bulk write that sends no signals), and then checks that each surface as
served is exactly what a fresh render from the database gives, and that the change is seen.
"""

import datetime
import re

import pytest
from django.conf import settings as django_settings
from django.core import serializers
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import freshness, importing, services
from articles.models import (
    AboutPage,
    Article,
    ArticleUpdate,
    Byline,
    Image,
    Person,
    PfuRuling,
    RelatedLink,
    Section,
)
from articles.text import norwegian_slugify
from ops import pagecache
from ops.generations import forget_local_state
from tests.factories import ArticleFactory, EditorFactory, ImageFactory, PersonFactory

pytestmark = pytest.mark.django_db

SEARCH_TERM = "sjøfly"
STORY = """Innenriks

{title}

Sjøfly lander igjen ved brygga i sentrum.

Første avsnitt om flyene.

![Sjøfly ved brygga](bilde:{image})

Siste avsnitt.
"""


@pytest.fixture
def caches_on(settings):
    settings.PAGE_CACHE_TIMEOUT = 600
    settings.ARTICLE_FRAGMENT_TIMEOUT = 86_400
    settings.FOOTER_LINKS_TIMEOUT = 300


def clear_caches():
    for alias in django_settings.CACHES:
        caches[alias].clear()
    forget_local_state()


class Scene:
    """One published article as the importer made it, with everything readers see around it."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.image = ImageFactory(caption="Brygga i morgensol")
        self.editor = EditorFactory()
        self.import_file("Sjøfly tilbake i byen")
        result = importing.import_article_file(
            path=self.path,
            publish=True,
            by=self.editor,
            published_at=timezone.now() - datetime.timedelta(hours=2),
            byline_names=["Kari Skribent"],
            tag_names=["Valg"],
            create_sections=True,
        )
        self.article = result.article
        self.article.lead_image = self.image
        self.article.save()
        self.section = self.article.section
        self.person = Person.objects.get(name="Kari Skribent")
        self.tag = Tag.objects.get(name="Valg")
        # Newer than the linkable one below, so that only a curated link shows that one.
        self.neighbour = ArticleFactory.create_batch(6, published=True, section=self.section)[0]
        # Already saved, so that adding them to the article saves nothing but the link.
        self.colleague = PersonFactory(name="Ola Ny")
        self.other_tag = Tag.objects.create(name="Luftfart")
        self.linkable = ArticleFactory(
            title="Kuratert sjøflysak",
            published=True,
            published_at=timezone.now() - datetime.timedelta(days=900),  # in no automatic list
        )
        # Feeds that are never empty: an empty feed's lastBuildDate is the moment it is built.
        services.add_article_update(
            article=self.linkable, by=self.editor, kind="correction", text="Årstallet var feil."
        )
        PfuRuling.objects.create(
            article=self.linkable,
            decided_on=datetime.date(2024, 5, 2),
            outcome=PfuRuling.Outcome.NO_BREACH,
            case_number="2024-055",
            summary="Ikke brudd.",
            decision_url="https://presse.no/pfu-sak/2024055/",
        )

    def import_file(self, title):
        self.path = self.tmp_path / "sjofly.txt"
        self.path.write_text(STORY.format(title=title, image=self.image.pk), encoding="utf-8")
        return self.path

    def reimport(self, *, title=None, bylines=("Kari Skribent",), tags=("Valg",)):
        self.import_file(title or self.article.title)
        importing.import_article_file(
            path=self.path, publish=True, by=self.editor, byline_names=bylines, tag_names=tags
        )

    def surfaces(self):
        return {
            "artikkel": self.article.get_absolute_url(),
            # Its "Mer fra Dagsavisen" shows the scene's article.
            "naboartikkel": self.neighbour.get_absolute_url(),
            "forside": "/",
            "seksjon": self.section.get_absolute_url(),
            "tema": reverse("articles:tag", kwargs={"slug": self.tag.slug}),
            "person": self.person.get_absolute_url(),
            "søk": f"/sok/?q={SEARCH_TERM}",
            "rss": reverse("articles:feed"),
            "seksjon-rss": reverse("articles:section_feed", kwargs={"slug": self.section.slug}),
            "sitemap-artikler": "/sitemap-artikler.xml",
            "sitemap-personer": "/sitemap-personer.xml",
            "sitemap-tema": "/sitemap-tema.xml",
            "nyhetssitemap": "/news-sitemap.xml",
            "sitemap-sider": "/sitemap-sider.xml",
            "rettelser": reverse("articles:corrections"),
            "rettelser-rss": reverse("articles:corrections_feed"),
            "pfu": reverse("articles:pfu_rulings"),
            "pfu-rss": reverse("articles:pfu_feed"),
            "om-oss": reverse("articles:about"),
        }


@pytest.fixture
def scene(tmp_path, caches_on):
    return Scene(tmp_path)


def rename(instance, field, value):
    setattr(instance, field, value)
    instance.save()


def draft_published(scene):
    draft = ArticleFactory(
        title="Sjøfly i ny rute", lead="Sjøfly igjen.", section=scene.section, tags=["Valg"]
    )
    Byline.objects.create(article=draft, person=scene.person)
    services.publish_article(article=draft, by=EditorFactory())


def bulk(model, queryset, article_ids=(), **values):
    queryset.update(**values)
    freshness.changed(model, article_ids=article_ids)


def loaded(scene, instance, **values):
    """As an operator's loaddata: raw saves, with the row's own modified_at."""
    for name, value in values.items():
        setattr(instance, name, value)
    fixture = scene.tmp_path / "endring.json"
    fixture.write_text(serializers.serialize("json", [instance]), encoding="utf-8")
    call_command("loaddata", fixture, verbosity=0)


def bulk_created(model, scene, **values):
    model.objects.bulk_create([model(**values)])
    freshness.changed(model, article_ids=[scene.article.pk])


# Where an article's teaser is listed, and where its byline shows.
LISTS = ["forside", "seksjon", "tema", "person", "søk", "rss"]
BYLINE_LISTS = ["forside", "seksjon", "tema", "søk", "rss"]


def gone(*surfaces):
    return [f"-{name}" for name in surfaces]


# id: (change, marker, surfaces showing the marker afterwards; gone(): no longer there)
CASES = {
    "article-save": (
        lambda s: rename(s.article, "title", "Sjøfly på avveie"),
        "Sjøfly på avveie",
        ["artikkel", "naboartikkel", *LISTS, "seksjon-rss", "nyhetssitemap"],
    ),
    "article-publish-service": (
        draft_published,
        "Sjøfly i ny rute",
        [*LISTS, "seksjon-rss", "sitemap-artikler", "nyhetssitemap"],
    ),
    "article-unpublish-service": (
        lambda s: services.unpublish_article(article=s.article, by=EditorFactory()),
        "Sjøfly tilbake i byen",
        gone(
            "artikkel", "naboartikkel", *LISTS, "seksjon-rss", "sitemap-artikler", "nyhetssitemap"
        ),
    ),
    "article-importer": (
        lambda s: s.reimport(title="Sjøfly fra fil"),
        "Sjøfly fra fil",
        ["artikkel", "naboartikkel", *LISTS, "nyhetssitemap"],
    ),
    "article-loaddata": (
        lambda s: loaded(s, s.article, title="Sjøfly fra fixture"),
        "Sjøfly fra fixture",
        ["artikkel", "naboartikkel", *LISTS],
    ),
    "article-bulk": (
        lambda s: bulk(
            Article, Article.objects.filter(pk=s.article.pk), [s.article.pk], title="Sjøfly i bulk"
        ),
        "Sjøfly i bulk",
        ["artikkel", "naboartikkel", *LISTS],
    ),
    "section-save": (
        lambda s: rename(s.section, "name", "Byliv"),
        "Byliv",
        ["artikkel", *LISTS, "seksjon-rss"],
    ),
    "section-bulk": (
        lambda s: bulk(Section, Section.objects.filter(pk=s.section.pk), name="Byliv"),
        "Byliv",
        ["artikkel", *LISTS, "seksjon-rss"],
    ),
    "person-save": (
        lambda s: rename(s.person, "name", "Kari Omdøpt"),
        "Kari Omdøpt",
        ["artikkel", *LISTS],
    ),
    "person-bulk": (
        lambda s: bulk(Person, Person.objects.filter(pk=s.person.pk), name="Kari Omdøpt"),
        "Kari Omdøpt",
        ["artikkel", *LISTS],
    ),
    "image-save": (
        lambda s: rename(s.image, "caption", "Brygga i kveldssol"),
        "Brygga i kveldssol",
        ["artikkel"],
    ),
    "image-bulk": (
        lambda s: bulk(Image, Image.objects.filter(pk=s.image.pk), caption="Brygga i kveldssol"),
        "Brygga i kveldssol",
        ["artikkel"],
    ),
    "tag-save": (
        lambda s: rename(s.tag, "name", "Kommunevalg"),
        "Kommunevalg",
        ["artikkel", "tema", "rss"],
    ),
    "tag-bulk": (
        lambda s: bulk(Tag, Tag.objects.filter(pk=s.tag.pk), name="Kommunevalg"),
        "Kommunevalg",
        ["artikkel", "tema", "rss"],
    ),
    "tagging-save": (
        lambda s: s.article.tags.add("Luftfart"),
        "Luftfart",
        ["artikkel", "rss", "sitemap-tema"],
    ),
    "tagging-importer": (
        lambda s: s.reimport(tags=("Valg", "Luftfart")),
        "Luftfart",
        ["artikkel", "rss", "sitemap-tema"],
    ),
    "tagging-bulk": (
        lambda s: bulk_created(TaggedItem, s, content_object=s.article, tag=s.other_tag),
        "Luftfart",
        ["artikkel", "rss", "sitemap-tema"],
    ),
    "byline-save": (
        lambda s: Byline.objects.create(article=s.article, person=s.colleague, position=1),
        "Ola Ny",
        ["artikkel", *BYLINE_LISTS, "sitemap-personer"],
    ),
    "byline-importer": (
        lambda s: s.reimport(bylines=("Kari Skribent", "Ola Ny")),
        "Ola Ny",
        ["artikkel", *BYLINE_LISTS, "sitemap-personer"],
    ),
    "byline-bulk": (
        lambda s: bulk_created(Byline, s, article=s.article, person=s.colleague),
        "Ola Ny",
        ["artikkel", *BYLINE_LISTS, "sitemap-personer"],
    ),
    "byline-delete": (
        lambda s: Byline.objects.filter(article=s.article).delete(),
        "Kari Skribent",
        gone("artikkel", "forside", "seksjon", "rss"),
    ),
    "related-save": (
        lambda s: RelatedLink.objects.create(from_article=s.article, to_article=s.linkable),
        "Kuratert sjøflysak",
        ["artikkel"],
    ),
    "related-bulk": (
        lambda s: bulk_created(RelatedLink, s, from_article=s.article, to_article=s.linkable),
        "Kuratert sjøflysak",
        ["artikkel"],
    ),
    "update-service": (
        lambda s: services.add_article_update(
            article=s.article, by=EditorFactory(), kind="correction", text="Rettet flytype."
        ),
        "Rettet flytype.",
        ["artikkel", "rettelser", "rettelser-rss"],
    ),
    "update-save": (
        lambda s: ArticleUpdate.objects.create(article=s.article, text="Flyet er landet."),
        "Flyet er landet.",
        ["artikkel"],
    ),
    "update-bulk": (
        lambda s: bulk_created(ArticleUpdate, s, article=s.article, text="Flyet er landet."),
        "Flyet er landet.",
        ["artikkel"],
    ),
}

PFU_SUMMARY = "Avisen ga ikke pilotene samtidig imøtegåelse."


def pfu_ruling(scene):
    return PfuRuling(
        article=scene.article,
        decided_on=timezone.localdate(),
        outcome=PfuRuling.Outcome.BREACH,
        case_number="2026-101",
        summary=PFU_SUMMARY,
        decision_url="https://presse.no/pfu-sak/2026101/",
    )


CASES |= {
    "pfu-service": (
        lambda s: services.save_pfu_ruling(ruling=pfu_ruling(s), by=s.editor),
        PFU_SUMMARY,
        ["artikkel", "pfu", "pfu-rss"],
    ),
    "pfu-bulk": (
        lambda s: (
            PfuRuling.objects.bulk_create([pfu_ruling(s)]),
            freshness.changed(PfuRuling, article_ids=[s.article.pk]),
        ),
        PFU_SUMMARY,
        ["artikkel", "pfu", "pfu-rss"],
    ),
    "about-save": (
        lambda s: AboutPage.objects.create(
            editor_in_chief="Åse Ansvarlig", contact_email="desk@example.no"
        ),
        "Åse Ansvarlig",
        # Every page's footer names the editor-in-chief.
        [
            *("om-oss", "artikkel", "naboartikkel", "forside", "seksjon", "tema", "person"),
            *("søk", "rettelser", "pfu"),
        ],
    ),
}

# A newly published article reaches other articles' "Mer fra Dagsavisen" within
# FOOTER_LINKS_TIMEOUT by design (articles/fragments.py); everything else shows at once.
FOOTER = re.compile(r'<aside class="more-from".*?</aside>', re.DOTALL)


def served(client, urls, *, without_footer=False):
    pages = {}
    for name, url in urls.items():
        response = client.get(url)
        text = " ".join(response.content.decode().split())
        pages[name] = (response.status_code, FOOTER.sub("", text) if without_footer else text)
    return pages


def shows(page, marker):
    """The marker as text, or in an address (sitemaps list tags and people by slug)."""
    text = page[1]
    return marker in text or f"/{norwegian_slugify(marker)}/" in text


@pytest.mark.parametrize(("change", "marker", "seen"), CASES.values(), ids=CASES.keys())
def test_every_change_shows_at_once_on_every_cached_surface(client, scene, change, marker, seen):
    urls = scene.surfaces()
    gone = {name.removeprefix("-") for name in seen if name.startswith("-")}
    shown = {name for name in seen if not name.startswith("-")}
    before = served(client, urls)
    for name in shown:
        assert not shows(before[name], marker), name
    for name in gone:
        assert shows(before[name], marker), name
    assert served(client, urls) == before  # the second reader is served from the caches

    change(scene)

    after = served(client, urls, without_footer=change is draft_published)
    clear_caches()
    fresh = served(client, urls, without_footer=change is draft_published)
    for name in urls:
        assert after[name] == fresh[name], f"{name} is stale"
    for name in shown:
        assert shows(after[name], marker), name
    for name in gone:
        assert not shows(after[name], marker), name


def test_a_reimport_that_gives_the_article_its_first_byline_shows_at_once(client, scene):
    Byline.objects.filter(article=scene.article).delete()
    url = scene.article.get_absolute_url()
    assert "Kari Skribent" not in client.get(url).content.decode()

    scene.reimport(bylines=("Kari Skribent",))  # bulk_create alone: no signal

    assert "Kari Skribent" in client.get(url).content.decode()


def test_publishing_shows_the_article_on_the_front_page_and_its_own_page_at_once(client, scene):
    draft = ArticleFactory(title="Sjøfly i ny rute", section=scene.section)
    assert "Sjøfly i ny rute" not in client.get("/").content.decode()

    services.publish_article(article=draft, by=EditorFactory())

    assert "Sjøfly i ny rute" in client.get("/").content.decode()
    draft.refresh_from_db()
    assert client.get(draft.get_absolute_url()).status_code == 200


def store_as_a_concurrent_reader(url, page):
    """A reader on another connection sees only committed rows: it renders the old page and
    stores it under the generation current at that moment."""
    middleware = pagecache.PageCacheMiddleware(lambda request: HttpResponse(page))
    middleware(RequestFactory().get(url))


def test_a_page_rendered_between_save_and_commit_is_not_served_after_commit(
    client, scene, django_capture_on_commit_callbacks
):
    url = scene.article.get_absolute_url()
    old_page = client.get(url).content
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            rename(scene.article, "title", "Sjøfly etter commit")
            store_as_a_concurrent_reader(url, old_page)
        assert client.get(url).content == old_page  # what the defect served, until commit
    assert "Sjøfly etter commit" in client.get(url).content.decode()
