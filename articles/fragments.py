"""Pieces of pages that are kept when the whole-page cache is emptied.

Any change to content empties the page cache (a new article changes the front page, so every
page is rendered again). Most of an article page does not depend on other articles, though:
the article itself and its meta tags are kept under a key made of the article's own version
and the ``shared_objects`` generation, which only moves when a section, person, photo or tag
changes. Teasers (templates/includes/article_teaser.html) and the site header are kept the
same way. "Mer fra Dagsavisen" lists other articles, so it is kept for
``FOOTER_LINKS_TIMEOUT`` seconds at most (a new article shows up in other footers within
that time) and dropped at once, through the ``teasers`` generation, when an article readers
could see disappears or changes its title, picture, section or time.
"""

from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone
from taggit.models import Tag

from ops.generations import Generation

from .models import Article, ArticleUpdate, Byline, Image, Person, RelatedLink, Section

shared_objects = Generation("fragments:shared-objects")
teasers = Generation("fragments:teasers")

# What a teaser in another article's footer shows, and whether readers may see it.
TEASER_FIELDS = (
    "title", "slug", "section_id", "lead_image_id", "status", "published_at", "deleted_at",
)  # fmt: skip


def bump(generation):
    """Now, for this process, and again at commit, so no render in between keeps old data."""
    generation.bump()
    transaction.on_commit(generation.bump)


def article_fragment_keys(article):
    """Template context for the article page's ``{% cache %}`` blocks."""
    shared_version, teasers_version = shared_objects.current(), teasers.current()
    if shared_version is None or teasers_version is None:
        return uncached_fragment_keys()  # the shared cache is down: changes cannot be seen
    version = ":".join(
        str(part)
        for part in (
            article.pk,
            article.modified_at.timestamp(),
            shared_version,
            article.is_over_a_year_old,
            settings.SITE_URL,
        )
    )
    return {
        "fragment_timeout": settings.ARTICLE_FRAGMENT_TIMEOUT,
        "fragment_version": version,
        "footer_timeout": settings.FOOTER_LINKS_TIMEOUT,
        "footer_version": f"{version}:{teasers_version}",
    }


def uncached_fragment_keys():
    """For previews, and while the shared cache is down: rendered fresh, never stored."""
    return {
        "fragment_timeout": 0,
        "fragment_version": "uncached",
        "footer_timeout": 0,
        "footer_version": "uncached",
    }


@receiver([post_save, post_delete], sender=Section, dispatch_uid="fragments_section")
@receiver([post_save, post_delete], sender=Person, dispatch_uid="fragments_person")
@receiver([post_save, post_delete], sender=Image, dispatch_uid="fragments_image")
@receiver([post_save, post_delete], sender=Tag, dispatch_uid="fragments_tag")
def shared_object_changed(sender, **kwargs):
    bump(shared_objects)


@receiver([post_save, post_delete], sender=Byline, dispatch_uid="fragments_byline")
@receiver([post_save, post_delete], sender=ArticleUpdate, dispatch_uid="fragments_update")
def article_part_changed(sender, instance, **kwargs):
    touch_article(instance.article_id)


@receiver([post_save, post_delete], sender=RelatedLink, dispatch_uid="fragments_related")
def related_link_changed(sender, instance, **kwargs):
    touch_article(instance.from_article_id)


@receiver(m2m_changed, sender=Article.tags.through, dispatch_uid="fragments_tags")
def article_tags_changed(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Article):
        touch_article(instance.pk)


def touch_article(article_id):
    """A new version for the article's cached fragments when a part saved on its own changes."""
    Article.objects.filter(pk=article_id).update(modified_at=timezone.now())


@receiver(pre_save, sender=Article, dispatch_uid="fragments_article_teaser")
def article_teaser_changing(sender, instance, raw=False, **kwargs):
    if raw:
        bump(teasers)  # loaddata: no telling what changed
        return
    # Only an article readers could see is in other articles' footers; a new one appears
    # there when they are next refreshed.
    before = (
        Article.objects.published().filter(pk=instance.pk).values(*TEASER_FIELDS).first()
        if instance.pk
        else None
    )
    if before and any(before[field] != getattr(instance, field) for field in TEASER_FIELDS):
        bump(teasers)


@receiver(post_delete, sender=Article, dispatch_uid="fragments_article_deleted")
def article_deleted(sender, **kwargs):
    bump(teasers)


class NavigationItem(NamedTuple):
    name: str
    slug: str
    url: str


_navigation = {"generation": None, "items": []}


def navigation_sections():
    """The sections in the site header, read again only after a shared object changed."""
    generation = shared_objects.current()
    if generation is None or _navigation["generation"] != generation:
        items = [
            NavigationItem(section.name, section.slug, section.get_absolute_url())
            for section in Section.objects.all()
        ]
        _navigation.update(generation=generation, items=items)
    return _navigation["items"]
