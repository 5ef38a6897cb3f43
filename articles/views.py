import functools
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404, HttpResponseGone
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from ops.compiled import CompiledQuery

from .fragments import article_fragment_keys, listing_owner, navigation_sections
from .models import (
    AboutPage,
    Article,
    ArticleUpdate,
    FrontPlacement,
    ListedArticle,
    Person,
    PfuRuling,
    Section,
    front_sections_newest,
    page_article,
    published_article_with_slug,
)
from .pagination import CompiledListing, LookaheadPaginator, asked_for_page, rows_read
from .search import MAX_QUERY_LENGTH, normalise_query, search_page
from .teasers import Look, in_look, teasers, teasers_in_looks


class FrontPageView(TemplateView):
    template_name = "articles/front_page.html"
    latest_count = 7
    per_section = 4

    def get_context_data(self, **kwargs):
        now = timezone.now()
        latest = arranged(now, FrontPlacement.objects.showing(), self.latest_count)
        on_front = [section for section in navigation_sections() if section.on_front]
        section_rows = front_sections_newest(
            self.per_section,
            [section.pk for section in on_front],
            at=now,
            excluding=[row.pk for row in latest],
        )
        top = in_look(latest, Look.FRONT, first_look=Look.FRONT_LEAD)
        shown = teasers_in_looks(top + in_look(section_rows, Look.FRONT_SECTION))
        return super().get_context_data(
            lead_article=shown[0] if top else None,
            latest=shown[1 : len(top)],
            section_blocks=section_blocks(on_front, section_rows, shown[len(top) :]),
            **kwargs,
        )


def arranged(now, placed, count):
    """The desk's placed articles in their slots (``{slot: article_id}``), the other slots
    filled with the newest news (opinion only when placed), as published at ``now``: listed
    rows, one query."""
    rows = [ListedArticle(*row) for row in ARRANGED.rows(now, *placed.values(), count=count)]
    by_pk = {row.pk: row for row in rows}
    newest = (row for row in rows if row.pk not in placed.values())
    slots = [by_pk.get(placed.get(slot)) or next(newest, None) for slot in range(1, count + 1)]
    return [row for row in slots if row]


# Compiled once per number of placed articles.
ARRANGED = CompiledQuery(
    Article,
    lambda now, *placed, count: (
        Article.objects.published(at=now)
        .filter(Q(pk__in=placed) | Q(section__opinion=False))
        .placed_first(placed, others=count)
        .listed()[: count + len(placed)]
    ),
)


def section_blocks(sections, rows, shown):
    """``(section, teasers)`` in the sections' order, for those with rows (``listed()``,
    grouped by section), the teasers ``shown`` in the rows' order."""
    by_section = {}
    for row, teaser in zip(rows, shown, strict=True):
        by_section.setdefault(row.section_id, []).append(teaser)
    return [(section, by_section[section.pk]) for section in sections if section.pk in by_section]


def named_by(model, slug):
    """The listing's section, tag or person, or a 404."""
    found = listing_owner(model, slug)
    if found is None:
        raise Http404
    return found


class ReaderList(ListView):
    """A list readers page through with ``?side=``, twenty at a time."""

    paginate_by = 20
    page_kwarg = "side"


class PublishedArticleList(ReaderList):
    """A page of published articles chosen by one object named in the URL, as teasers."""

    context_object_name = "articles"

    def asked_for(self):
        return asked_for_page(self.request.GET.get(self.page_kwarg))

    def get_paginator(self, queryset, per_page, **kwargs):
        return LookaheadPaginator(queryset, per_page, asked_for=self.asked_for(), **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        look, first_look = self.looks(context["page_obj"])
        context["articles"] = teasers(context["articles"], look, first_look=first_look)
        return context

    def looks(self, page):
        """The teasers' look, and the first one's: its photo is loaded at once."""
        return Look.LISTING, Look.LISTING_FIRST


class SectionView(PublishedArticleList):
    template_name = "articles/section_detail.html"

    def get_queryset(self):
        self.section = named_by(Section, self.kwargs["slug"])
        pinned = FrontPlacement.objects.showing(section=self.section).values()
        read = rows_read(self.asked_for(), self.paginate_by)
        return CompiledListing(SECTION_ROWS, timezone.now(), self.section.pk, *pinned, others=read)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            section=self.section, current_section_slug=self.section.slug, **kwargs
        )

    def looks(self, page):
        """The first page opens with a large teaser."""
        return Look.SECTION, Look.SECTION_FIRST if page.has_previous() else Look.SECTION_TOP


class TagView(PublishedArticleList):
    template_name = "articles/tag_detail.html"

    def get_queryset(self):
        self.tag = named_by(Tag, self.kwargs["slug"])
        return CompiledListing(TAG_ROWS, timezone.now(), self.tag.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class PersonView(PublishedArticleList):
    template_name = "articles/person_detail.html"

    def get_queryset(self):
        self.person = named_by(Person, self.kwargs["slug"])
        return CompiledListing(PERSON_ROWS, timezone.now(), self.person.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)


# The listings' rows (listed()), the section's pinned articles first; each compiled once per
# slice the paginator reads (and, for a section, per number of pinned articles).
SECTION_ROWS = CompiledQuery(
    Article,
    lambda now, section, *pinned, others, start, stop: (
        Article.objects.published(at=now)
        .filter(section=section)
        .placed_first(pinned, others=others)
        .listed()[start:stop]
    ),
)
TAG_ROWS = CompiledQuery(
    Article,
    lambda now, tag, *, start, stop: (
        Article.objects.published(at=now).tagged(tag).listed()[start:stop]
    ),
    key=lambda: ContentType.objects.get_for_model(Article).pk,
)
PERSON_ROWS = CompiledQuery(
    Article,
    lambda now, person, *, start, stop: (
        Article.objects.published(at=now).by_person(person, at=now).listed()[start:stop]
    ),
)


class CorrectionsView(ReaderList):
    """Every correction on an article readers can see, newest first."""

    template_name = "articles/corrections.html"
    context_object_name = "corrections"

    def get_queryset(self):
        return ArticleUpdate.objects.published_corrections()


class PfuRulingsView(ReaderList):
    template_name = "articles/pfu_rulings.html"
    context_object_name = "rulings"

    def get_queryset(self):
        return PfuRuling.objects.published()


class AboutView(TemplateView):
    template_name = "articles/about.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(about=AboutPage.current(), **kwargs)


class SearchView(TemplateView):
    template_name = "articles/search.html"
    paginate_by = 20

    def get_context_data(self, **kwargs):
        query = normalise_query(self.request.GET.get("q", ""))
        found = search_page(
            query, page_number=self.request.GET.get("side"), per_page=self.paginate_by
        )
        return super().get_context_data(
            query=query,
            results=found.teasers,
            unreadable_query=found.unreadable,
            more_than_shown=found.more_than_shown,
            page_obj=found.page,
            paginator=found.page.paginator,
            is_paginated=found.page.has_other_pages(),
            pagination_query=urlencode({"q": query.text}),
            max_query_length=MAX_QUERY_LENGTH,
            **kwargs,
        )


class ArticleDetailView(DetailView):
    context_object_name = "article"

    def get(self, request, *args, **kwargs):
        try:
            self.object = self.get_object()
        except Http404:
            if Article.objects.gone().filter(slug=self.kwargs["slug"]).exists():
                return HttpResponseGone(render_to_string("410.html", request=request))
            raise
        canonical = self.object.get_absolute_url()
        if request.path != canonical:
            # Old links keep working after a section move or a changed publish date.
            return redirect(canonical, permanent=True)
        return self.render_to_response(self.get_context_data(object=self.object))

    def get_object(self, queryset=None):
        # Only what the URL check and the fragment cache keys need: the rest of the article
        # is loaded when a cached fragment is missing (see article_for_fragments).
        article = published_article_with_slug(self.kwargs["slug"])
        if article is None:
            raise Http404("Fant ikke artikkelen")
        # Its URL needs its section's slug: the menu's copy has it, without a join (the
        # ORM's work for one is a third of this query's cost). A section the copy lacks yet
        # is read when it is needed.
        for item in navigation_sections():
            if item.pk == article.section_id:
                article.section = Section.from_db(
                    article._state.db, ["id", "slug"], [item.pk, item.slug]
                )
        return article

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            # A function the template calls (once: cached) when a fragment is missing, where
            # a lazy object would send each of the page's hundred lookups through its proxy.
            article=functools.cache(self.article_for_fragments),
            current_section_slug=self.object.section.slug,
            **self.fragment_keys(),
            **kwargs,
        )

    def article_for_fragments(self):
        return page_article(self.object.pk)

    def fragment_keys(self):
        return article_fragment_keys(self.object)
