"""Teasers: an article's small rendered piece in a listing, kept per look.

A listing reads only its articles' keys (``ArticleQuerySet.listed()``) and gets their teasers
from the ``fragments`` cache in one lookup; only the missing ones are read in full and
rendered. A key holds the article's version (its ``modified_at``, moved by every save and by
a change to its bylines) and the ``shared_objects`` generation (its section, photo and
people), both moved by articles/freshness.py alone: an edit shows on every listing at once.
"""

from enum import Enum

from django.conf import settings
from django.core.cache import caches
from django.utils.safestring import mark_safe

from ops.compiled import CompiledQuery

from .freshness import shared_objects
from .jinja import jinja
from .models import Article, Byline

# The articles of teasers not kept yet: the query compiled once for each number of them.
TEASER_ARTICLES = CompiledQuery(
    Article, lambda *pks: Article.objects.for_teasers().filter(pk__in=pks), prepared=True
)
# Their bylines' names, in byline order: rows, not models (Django's prefetch and the models it
# builds cost a teaser as much as rendering it).
TEASER_BYLINES = CompiledQuery(
    Byline,
    lambda *pks: Byline.objects.filter(article__in=pks).values_list("article_id", "person__name"),
    prepared=True,
)

# Where a search result's snippet goes: markup that escaped article text can never contain.
SNIPPET_SLOT = mark_safe("<!--search-snippet-->")


class Look(Enum):
    """How a listing shows an article: the options of templates/jinja2/teaser.html."""

    FRONT_LEAD = {"large": True, "show_lead": True, "with_byline": True, "level": 3}
    FRONT = {"with_byline": True, "level": 3}
    FRONT_SECTION = {"with_byline": True, "hide_section": True, "level": 3}
    SECTION_TOP = {"large": True, "show_lead": True, "with_byline": True, "hide_section": True}
    SECTION = {"show_lead": True, "with_byline": True, "hide_section": True, "layout": "listing"}
    # The first photo a reader sees on a later page: loaded at once, not lazily.
    SECTION_FIRST = {**SECTION, "priority": True}
    LISTING = {"show_lead": True, "with_byline": True, "layout": "listing"}
    LISTING_FIRST = {**LISTING, "priority": True}
    # A search result: the same teaser for every query, with a slot for the query's snippet.
    SEARCH = {"with_byline": True, "layout": "search", "snippet": SNIPPET_SLOT}
    SEARCH_FIRST = {**SEARCH, "priority": True}
    # "Mer fra Dagsavisen" under an article.
    FOOTER = {"level": 3}


def teasers(rows, look, *, first_look=None):
    """The teaser HTML of each listed row (``listed()``), in order."""
    return teasers_in_looks(in_look(rows, look, first_look=first_look))


def in_look(rows, look, *, first_look=None):
    """``(row, look)`` for each row; the first in ``first_look`` if given."""
    return [(row, first_look if first_look and n == 0 else look) for n, row in enumerate(rows)]


def teasers_in_looks(listed):
    """The teaser HTML of each ``(row, look)``, in order. One cache lookup; the missing
    teasers cost two queries (articles, bylines' names), and no bylines query in looks
    without them."""
    version = shared_objects.current()
    keys = [teaser_key(row, look, version) for row, look in listed]
    found = caches["fragments"].get_many(keys) if version is not None else {}
    missing = [
        (key, row, look) for key, (row, look) in zip(keys, listed, strict=True) if key not in found
    ]
    if missing:
        rendered = render(missing)
        found.update(rendered)
        if version is not None:
            caches["fragments"].set_many(rendered, timeout=settings.ARTICLE_FRAGMENT_TIMEOUT)
    return [found.get(key, "") for key in keys]


def teaser_key(row, look, version):
    return f"teaser:{look.name}:{row.pk}:{row.modified_at.timestamp()}:{version}"


def render(missing):
    """``{key: html}`` for ``(key, row, look)``; the articles read in one go."""
    pks = {row.pk for _, row, _ in missing}
    articles = {article.pk: article for article in TEASER_ARTICLES.instances(*pks)}
    with_byline = any(look.value.get("with_byline") for _, _, look in missing)
    bylines = byline_names(pks) if with_byline else {}
    template = jinja().get_template("teaser.html")
    return {
        key: mark_safe(  # noqa: S308 - the template escapes every value it prints
            template.render(teaser=articles[row.pk], bylines=bylines.get(row.pk), **look.value)
        )
        for key, row, look in missing
        if row.pk in articles  # not deleted since it was listed
    }


def byline_names(pks):
    """``{article pk: [name, ...]}`` in byline order, for the articles that have bylines."""
    names = {}
    for pk, name in TEASER_BYLINES.rows(*pks):
        names.setdefault(pk, []).append(name)
    return names
