"""Pieces of pages that are kept when the whole-page cache is emptied.

Any change to content empties the page cache (a new article changes the front page, so every
page is rendered again). Most of an article page does not depend on other articles, though:
the article itself and its meta tags are kept under a key made of the article's own version
and the ``shared_objects`` generation, which only moves when a section, person, photo or tag
(or the «Om oss» page) changes. Teasers (articles/teasers.py), the site header and the site
footer are kept the same way. "Mer fra Dagsavisen" lists other articles, so it is kept for half
of ``FOOTER_LINKS_TIMEOUT`` at most, and each worker ranks it from its copy of the newest
articles and their tags, kept for the other half (a new article shows up in other footers
within the whole); both are dropped at once, through the ``teasers`` generation, when an
article readers could see disappears or changes its title, picture, section or time. What moves
these versions and generations is decided in ``freshness.py`` alone.
"""

from typing import NamedTuple

from django.conf import settings

from ops.cache_backends import thread_cache
from ops.generations import LOCAL_OBJECTS, local_cache

from .freshness import shared_objects, teasers
from .models import AboutPage, Section, recent_articles_with_tags


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
        "footer_timeout": footer_lifetime(),
        "footer_version": f"{version}:{teasers_version}",
    }


def footer_lifetime():
    """Seconds a footer, and the newest articles it is ranked from, are kept: half each."""
    return settings.FOOTER_LINKS_TIMEOUT // 2


def recent_articles():
    """The newest articles "Mer fra Dagsavisen" ranks (``Article.footer_rows``), read again
    after ``footer_lifetime()`` or when the ``teasers`` generation moves."""
    return kept(
        "recent-articles",
        teasers,
        recent_articles_with_tags,
        timeout=footer_lifetime(),
        cache=thread_cache(LOCAL_OBJECTS),
    )


def kept(name, generation, read, *, timeout, cache=None):
    """``read()``, kept in this worker (``local_cache()`` unless another ``cache`` is given)
    until ``generation`` moves or ``timeout`` seconds pass; read afresh and not kept while the
    shared cache is down. A ``None`` is never kept."""
    version = generation.current()
    if version is None:
        return read()
    cache = cache or local_cache()
    key = f"{name}:{version}"
    value = cache.get(key)
    if value is None:
        value = read()
        if value is not None:
            cache.set(key, value, timeout=timeout)
    return value


def uncached_fragment_keys():
    """For previews, and while the shared cache is down: rendered fresh, never stored."""
    return {
        "fragment_timeout": 0,
        "fragment_version": "uncached",
        "footer_timeout": 0,
        "footer_version": "uncached",
    }


class NavigationItem(NamedTuple):
    name: str
    slug: str
    url: str
    pk: int
    on_front: bool
    opinion: bool


def navigation_sections():
    """The sections in the site header and the front page's blocks, read again only after a
    shared object changed."""

    def read():
        return [
            NavigationItem(
                section.name,
                section.slug,
                section.get_absolute_url(),
                section.pk,
                section.on_front,
                section.opinion,
            )
            for section in Section.objects.all()
        ]

    return kept("navigation", shared_objects, read, timeout=settings.ARTICLE_FRAGMENT_TIMEOUT)


def listing_owner(model, slug):
    """The section, tag or person a listing page is named by in its URL, or ``None``; a found
    one is read again only after a shared object changed (they all move that generation).
    Kept with the teasers, not beside the sections menu: a crawler's thousands of tags must
    not push the menu out."""
    return kept(
        f"listing-owner:{model._meta.label_lower}:{slug}",
        shared_objects,
        lambda: model.objects.filter(slug=slug).first(),  # built only when not kept
        timeout=settings.ARTICLE_FRAGMENT_TIMEOUT,
        cache=thread_cache("fragments"),
    )


def editor_in_chief():
    """The footer's «Ansvarlig redaktør» from the «Om oss» page (the settings' name until an
    editor has saved it), read again only after a shared object changed."""
    return kept(
        "editor-in-chief",
        shared_objects,
        lambda: AboutPage.current().editor_in_chief,
        timeout=settings.ARTICLE_FRAGMENT_TIMEOUT,
    )
