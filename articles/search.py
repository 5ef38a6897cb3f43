"""Reader search over published articles.

PostgreSQL gets full-text search with the ``norwegian`` configuration: stemming, websearch
syntax (`"eksakt frase"`, `-utelat`, `or`), ranking (title over lead over body) and
highlighted snippets. Other databases (SQLite in development) get a plain contains-search with
the same result shape, so the search page does not care which one ran. Whatever a reader types
is a page: a query the database refuses to read is a search without results, never an error.
"""

import re
import unicodedata
from contextlib import nullcontext
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db import DatabaseError, connection, transaction
from django.db.models import BooleanField, Case, Count, F, Q, TextField, Value, When, Window
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ops.outage import is_outage

from .models import Article
from .pagination import asked_for_page

MAX_QUERY_LENGTH = 200
MAX_FALLBACK_TERMS = 8
SNIPPET_WORDS = 30
# How much of a headline's start and end is compared with the text to see whether it was cut,
# and how much of the text's start and end is read for that: room for a link's markup.
CUT_CHECK = 40
CUT_CONTEXT = 10 * CUT_CHECK
_WORD_CHARACTER = re.compile(r"\w")
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
# Matched at each line's start only: one pattern over the whole text is tried at every
# character, a tenth of a millisecond per result.
_MARKDOWN_LINE_START = re.compile(r"^\s{0,3}(?:#{1,6}|>)\s+")
_MARKDOWN_SYMBOLS = "*_`"


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
        with _savepoint_in_transaction():
            page = _counted_page(search_articles(query), page_number, per_page)
            return SearchResults(page=page, articles=with_snippets(page.object_list, query))
    except DatabaseError as error:
        if is_outage(error):
            raise
        empty = Paginator(Article.objects.none(), per_page).get_page(1)
        return SearchResults(page=empty, articles=[], unreadable=True)


def _savepoint_in_transaction():
    """A savepoint inside a transaction, so a refused query leaves it usable. Readers' requests
    run outside one (autocommit), where a refused query ends by itself: no round trips."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _counted_page(results, page_number, per_page):
    """The page asked for, with the number of results read from the same query.

    Past the last page no row carries the count: then the paginator counts and gives the last
    page, as ``Paginator.get_page`` does.
    """
    paginator = Paginator(results, per_page)
    number = asked_for_page(page_number)
    bottom = (number - 1) * per_page
    counted = results.annotate(search_total=Window(Count("pk")))
    rows = list(counted[bottom : bottom + per_page])
    if not rows and number > 1:
        return paginator.get_page(number)
    paginator.count = rows[0].search_total if rows else 0  # instead of a COUNT query
    return Page(rows, number, paginator)


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
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
        SearchVectorExact,
    )

    search_query = SearchQuery(text, search_type="websearch", config=CONFIG)
    # The headline is the costly part (PostgreSQL reads the text word by word): it is made
    # from the lead alone when the lead has a hit, a small part of the text.
    headline_text = Case(
        When(SearchVectorExact(SearchVector("lead", config=CONFIG), search_query), then="lead"),
        default=Concat("lead", Value("\n\n"), "body", output_field=TextField()),
        output_field=TextField(),
    )
    # Matching and ranking read the stored Article.search_vector (GIN-indexed); the headline
    # is the only per-row text work, and PostgreSQL does it for the shown page only.
    return (
        Article.objects.published()
        .for_listing(with_text=True)
        .annotate(
            search_rank=SearchRank(F("search_vector"), search_query),
            search_headline=SearchHeadline(
                _without_hit_markers(headline_text),
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
    text = " ".join(_MARKDOWN_LINE_START.sub("", line, count=1) for line in text.split("\n"))
    for symbol in _MARKDOWN_SYMBOLS:
        text = text.replace(symbol, "")
    return " ".join(text.split())


def _marked_headline(headline, source):
    """PostgreSQL's headline with <mark>s, and «…» where it starts or ends inside the text."""
    text = _without_markup(headline)
    html = escape(text).replace(HIT_START, "<mark>").replace(HIT_STOP, "</mark>")
    # The headline begins and ends at a word: compare without the punctuation around it.
    plain = _from_word_to_word(text.replace(HIT_START, "").replace(HIT_STOP, ""))
    start = _from_word_to_word(_without_markup(source[:CUT_CONTEXT]))
    end = _from_word_to_word(_without_markup(source[-CUT_CONTEXT:]))
    prefix = "" if start.startswith(plain[:CUT_CHECK]) else "… "
    suffix = "" if end.endswith(plain[-CUT_CHECK:]) else " …"
    # Escaped above; only our own <mark> tags and the ellipses were added.
    return mark_safe(prefix + html + suffix)  # noqa: S308


def _from_word_to_word(text):
    """The text from its first word character to its last."""
    first, last = _WORD_CHARACTER.search(text), _WORD_CHARACTER.search(text[::-1])
    return text[first.start() : len(text) - last.start()] if first else ""


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
