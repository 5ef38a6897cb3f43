"""Reader search over published articles.

PostgreSQL gets full-text search with the ``norwegian`` configuration: stemming, websearch
syntax (`"eksakt frase"`, `-utelat`, `or`), ranking (title over lead over body) and
highlighted snippets. Other databases (SQLite in development) get a plain contains-search with
the same result shape, so the search page does not care which one ran. Whatever a reader types
is a page: a query the database refuses to read is a search without results, never an error.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Case, F, Q, TextField, Value, When
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ops.outage import is_outage

from .models import Article

MAX_QUERY_LENGTH = 200
MAX_FALLBACK_TERMS = 8
SNIPPET_WORDS = 30
# How much of a headline's start and end is compared with the text to see whether it was cut.
CUT_CHECK = 40
_WORD_EDGES = re.compile(r"^\W+|\W+$")
CONFIG = "norwegian"
# Private-use characters mark the hits in PostgreSQL's headline. They are stripped from what
# readers type (normalise_query) and from the article text fed to the headline, so the whole
# headline can be escaped first and only these markers turned into <mark> afterwards.
HIT_START = "\ue000"
HIT_STOP = "\ue001"
_DROPPED_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}
# What Django puts where the address held bytes that are not UTF-8 (a lone surrogate, say).
_REPLACEMENT = "\ufffd"
_MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKDOWN_SYMBOLS = re.compile(r"(?m)^\s{0,3}(?:#{1,6}|>)\s+|[*_`]+")


@dataclass(frozen=True)
class SearchText:
    """What the reader asked for, cleaned; falsy when there is nothing to search for."""

    text: str
    was_truncated: bool = False

    def __bool__(self):
        return bool(self.text)


def normalise_query(raw):
    """Whitespace collapsed; control, private-use and undecodable characters removed; capped in
    length."""
    kept = "".join(
        " " if char == _REPLACEMENT or unicodedata.category(char) in _DROPPED_CATEGORIES else char
        for char in raw or ""
    )
    text = " ".join(kept.split())
    if len(text) <= MAX_QUERY_LENGTH:
        return SearchText(text)
    return SearchText(text[:MAX_QUERY_LENGTH].rstrip(), was_truncated=True)


@dataclass(frozen=True)
class SearchResults:
    page: Page
    articles: list
    # The database could not read the query (PostgreSQL refuses some operator soups, such as
    # 33 "-" in a row): the reader is told to search with plain words.
    unreadable: bool = False


def search_page(query, *, page_number, per_page):
    """One page of ``search_articles(query)`` with snippets; a lost connection still raises."""
    try:
        # A savepoint, so a refused query leaves an enclosing transaction usable.
        with transaction.atomic():
            page = Paginator(search_articles(query), per_page).get_page(page_number)
            return SearchResults(page=page, articles=with_snippets(page.object_list, query))
    except DatabaseError as error:
        if is_outage(error):
            raise
        empty = Paginator(Article.objects.none(), per_page).get_page(1)
        return SearchResults(page=empty, articles=[], unreadable=True)


def search_articles(query):
    """Published articles matching ``query`` (a SearchText), best match first."""
    if not query:
        return Article.objects.none()
    if connection.vendor == "postgresql":
        return _full_text_search(query.text)
    return _contains_search(query.text)


def with_snippets(articles, query):
    """The articles as a list, each with ``search_snippet``: HTML where only <mark> is markup."""
    articles = list(articles)
    for article in articles:
        headline = getattr(article, "search_headline", None)
        if headline is not None:
            article.search_snippet = _marked_headline(headline, f"{article.lead} {article.body}")
        else:
            article.search_snippet = _contains_snippet(article, _fallback_terms(query.text))
    return articles


def _full_text_search(text):
    from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank

    search_query = SearchQuery(text, search_type="websearch", config=CONFIG)
    # Matching and ranking read the stored Article.search_vector (GIN-indexed); the headline
    # is the only per-row text work, and PostgreSQL does it for the shown page only.
    return (
        Article.objects.published()
        .for_listing(with_text=True)
        .annotate(
            search_rank=SearchRank(F("search_vector"), search_query),
            search_headline=SearchHeadline(
                _without_hit_markers(
                    Concat("lead", Value("\n\n"), "body", output_field=TextField())
                ),
                search_query,
                config=CONFIG,
                start_sel=HIT_START,
                stop_sel=HIT_STOP,
                max_words=SNIPPET_WORDS,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .filter(search_vector=search_query)
        .order_by("-search_rank", "-published_at", "-pk")
    )


def _without_hit_markers(expression):
    for marker in (HIT_START, HIT_STOP):
        expression = Replace(expression, Value(marker), Value(""))
    return expression


def _fallback_terms(text):
    terms = [term.strip("\"'") for term in text.split()]
    return [term for term in terms if term][:MAX_FALLBACK_TERMS]


def _contains_search(text):
    terms = _fallback_terms(text)
    if not terms:
        return Article.objects.none()
    matches_every_term = Q()
    in_title = Q()
    for term in terms:
        matches_every_term &= _contains_any_case("title", term) | (
            _contains_any_case("lead", term) | _contains_any_case("body", term)
        )
        in_title &= _contains_any_case("title", term)
    return (
        Article.objects.published()
        .for_listing(with_text=True)
        .filter(matches_every_term)
        .annotate(
            title_hit=Case(
                When(in_title, then=Value(True)), default=False, output_field=BooleanField()
            )
        )
        .order_by("-title_hit", "-published_at", "-pk")
    )


def _contains_any_case(field, term):
    # SQLite's LIKE folds case for ASCII letters only: "østlandet" must still find "Østlandet".
    variants = {term, term.lower(), term.upper(), term.capitalize()}
    condition = Q()
    for variant in variants:
        condition |= Q(**{f"{field}__icontains": variant})
    return condition


def _without_markup(text):
    text = _MARKDOWN_LINK.sub(r"\1", text or "")
    return " ".join(_MARKDOWN_SYMBOLS.sub("", text).split())


def _marked_headline(headline, source):
    """PostgreSQL's headline with <mark>s, and «…» where it starts or ends inside the text."""
    text = _without_markup(headline)
    plain = text.replace(HIT_START, "").replace(HIT_STOP, "")
    whole = _without_markup(source)
    html = escape(text).replace(HIT_START, "<mark>").replace(HIT_STOP, "</mark>")
    # The headline begins and ends at a word: compare without the punctuation around it.
    plain, whole = _WORD_EDGES.sub("", plain), _WORD_EDGES.sub("", whole)
    prefix = "" if whole.startswith(plain[:CUT_CHECK]) else "… "
    suffix = "" if whole.endswith(plain[-CUT_CHECK:]) else " …"
    # Escaped above; only our own <mark> tags and the ellipses were added.
    return mark_safe(prefix + html + suffix)  # noqa: S308


def _contains_snippet(article, terms):
    words = _without_markup(f"{article.lead} {article.body}").split(" ")
    pattern = re.compile("|".join(re.escape(term) for term in terms), re.IGNORECASE)
    first_hit = next((i for i, word in enumerate(words) if pattern.search(word)), 0)
    start = max(0, first_hit - SNIPPET_WORDS // 3)
    window = words[start : start + SNIPPET_WORDS]
    text = " ".join(window)
    html, position = [], 0
    for match in pattern.finditer(text):
        html.append(escape(text[position : match.start()]))
        html.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    html.append(escape(text[position:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + SNIPPET_WORDS < len(words) else ""
    return mark_safe(prefix + "".join(html) + suffix)  # noqa: S308 - every piece escaped
