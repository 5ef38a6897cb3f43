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
from django.db.models import (
    BooleanField,
    Case,
    F,
    Func,
    IntegerField,
    Q,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat, Left, Right
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ops.outage import is_outage

from .models import Article
from .pagination import asked_for_page
from .teasers import SNIPPET_SLOT, Look, teasers

MAX_QUERY_LENGTH = 200
BEST_FIRST = ("-search_rank", "-published_at", "-pk")
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
# The headline is the costly part (PostgreSQL reads the text word by word): it is made from
# the lead alone when the lead has a hit, a small part of the text. Whether it has one is read
# from the stored vector, where the lead's words carry weight B (migration 0007), instead of
# reading the lead again. Written in SQL: built from ORM expressions it took more of a
# search's time in Python than the rest of its query.
_HEADLINE_SQL = f"""ts_headline('{CONFIG}', replace(replace(
    CASE WHEN ts_filter("articles_article"."search_vector", '{{b}}')
        @@ websearch_to_tsquery('{CONFIG}', %s)
    THEN "articles_article"."lead"
    ELSE "articles_article"."lead" || E'\\n\\n' || "articles_article"."body" END,
    %s, ''), %s, ''), websearch_to_tsquery('{CONFIG}', %s), %s)"""
_HEADLINE_OPTIONS = (
    f"StartSel='{HIT_START}', StopSel='{HIT_STOP}', MaxWords={SNIPPET_WORDS}, MinWords=15, "
    "MaxFragments=2, FragmentDelimiter=' … '"
)


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
    # Each result's teaser HTML, with the query's snippet in it.
    teasers: list
    # The database could not read the query (PostgreSQL refuses some operator soups, such as
    # 33 "-" in a row): the reader is told to search with plain words.
    unreadable: bool = False


def search_page(query, *, page_number, per_page):
    """One page of the articles matching ``query``, best first, as teasers with snippets; a lost
    connection still raises."""
    try:
        with _savepoint_in_transaction():
            page = _counted_page(query, page_number, per_page)
            return SearchResults(page=page, teasers=result_teasers(page.object_list, query))
    except DatabaseError as error:
        if is_outage(error):
            raise
        empty = Paginator(Article.objects.none(), per_page).get_page(1)
        return SearchResults(page=empty, teasers=[], unreadable=True)


def _savepoint_in_transaction():
    """A savepoint inside a transaction, so a refused query leaves it usable. Readers' requests
    run outside one (autocommit), where a refused query ends by itself: no round trips."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _counted_page(query, page_number, per_page):
    """The page asked for, with the number of results, in one query.

    The ranking reads only the matching articles' keys; only the page's rows are read for
    their teasers and snippets (a common word matches thousands of articles). Past the last
    page no row carries the count: then the paginator counts and gives the last page, as
    ``Paginator.get_page`` does.
    """
    matches, rank = _matches(query)
    paginator = Paginator(matches, per_page)
    number = asked_for_page(page_number)
    rows = _page_rows(matches, rank, query, number, per_page)
    if not rows and number > 1:
        number = paginator.num_pages
        return Page(_page_rows(matches, rank, query, number, per_page), number, paginator)
    paginator.count = rows[0].search_total if rows else 0  # instead of a COUNT query
    return Page(rows, number, paginator)


def _page_rows(matches, rank, query, number, per_page):
    """Page ``number`` of the matches, best first, read for their teasers and snippets."""
    bottom = (number - 1) * per_page
    ranked = matches.annotate(search_rank=rank).order_by(*BEST_FIRST)
    return list(
        Article.objects.for_teasers()
        .filter(pk__in=ranked.values("pk")[bottom : bottom + per_page])
        .annotate(search_rank=rank, search_total=_count(matches), **_snippet_sources(query))
        .order_by(*BEST_FIRST)
    )


def _count(matches):
    return Subquery(
        matches.order_by().values(total=Func(F("pk"), function="COUNT")),
        output_field=IntegerField(),
    )


def _matches(query):
    """``(published articles matching query, how well each matches)``; a SearchText."""
    if not query:
        return Article.objects.none(), Value(0)
    if connection.vendor == "postgresql":
        return _full_text_search(query.text)
    return _contains_search(query.text)


def result_teasers(rows, query):
    """Each row's teaser (kept in the fragments cache, the same for every query) with the
    query's snippet in its slot."""
    shown = teasers(rows, Look.SEARCH, first_look=Look.SEARCH_FIRST, loaded=True)
    return [
        mark_safe(html.replace(SNIPPET_SLOT, snippet(row, query)))  # noqa: S308 - both safe
        for html, row in zip(shown, rows, strict=True)
    ]


def snippet(row, query):
    """The row's snippet (``_snippet_sources``): HTML where only <mark> is markup."""
    headline = getattr(row, "search_headline", None)
    if headline is not None:
        return _marked_headline(headline, row.search_text_start, row.search_text_end)
    return _contains_snippet(row.search_text, _fallback_terms(query.text))


def _search_query(text):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(text, search_type="websearch", config=CONFIG)


def _full_text_search(text):
    from django.contrib.postgres.search import SearchRank

    search_query = _search_query(text)
    # Matching and ranking read the stored Article.search_vector (GIN-indexed).
    return (
        Article.objects.published().filter(search_vector=search_query),
        SearchRank(F("search_vector"), search_query),
    )


def _snippet_sources(query):
    """Annotations a shown row's snippet is made from: PostgreSQL's headline and the text's
    start and end (to tell where the headline was cut), or the whole text for the
    contains-search."""
    if connection.vendor != "postgresql":
        return {"search_text": Concat("lead", Value(" "), "body", output_field=TextField())}
    text = Func(F("lead"), Value(" "), F("body"), function="CONCAT", output_field=TextField())
    return {
        "search_headline": _headline(query.text),
        "search_text_start": Left(text, CUT_CONTEXT),
        "search_text_end": Right(text, CUT_CONTEXT),
    }


def _headline(text):
    """PostgreSQL's headline: the passages with the most hits, hits between HIT_START and
    HIT_STOP (taken out of the article's text first)."""
    return RawSQL(_HEADLINE_SQL, [text, HIT_START, HIT_STOP, text, _HEADLINE_OPTIONS])  # noqa: S611 - all passed as parameters


def _fallback_terms(text):
    terms = [term.strip("\"'") for term in text.split()]
    return [term for term in terms if term][:MAX_FALLBACK_TERMS]


def _contains_search(text):
    terms = _fallback_terms(text)
    if not terms:
        return Article.objects.none(), Value(0)
    matches_every_term = Q()
    in_title = Q()
    for term in terms:
        matches_every_term &= _contains_any_case("title", term) | (
            _contains_any_case("lead", term) | _contains_any_case("body", term)
        )
        in_title &= _contains_any_case("title", term)
    title_hit = Case(When(in_title, then=Value(True)), default=False, output_field=BooleanField())
    return Article.objects.published().filter(matches_every_term), title_hit


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


def _marked_headline(headline, text_start, text_end):
    """PostgreSQL's headline with <mark>s, and «…» where it starts or ends inside the text
    (``CUT_CONTEXT`` characters of its start and end)."""
    text = _without_markup(headline)
    html = escape(text).replace(HIT_START, "<mark>").replace(HIT_STOP, "</mark>")
    # The headline begins and ends at a word: compare without the punctuation around it.
    plain = _from_word_to_word(text.replace(HIT_START, "").replace(HIT_STOP, ""))
    start = _from_word_to_word(_without_markup(text_start))
    end = _from_word_to_word(_without_markup(text_end))
    prefix = "" if start.startswith(plain[:CUT_CHECK]) else "… "
    suffix = "" if end.endswith(plain[-CUT_CHECK:]) else " …"
    # Escaped above; only our own <mark> tags and the ellipses were added.
    return mark_safe(prefix + html + suffix)  # noqa: S308


def _from_word_to_word(text):
    """The text from its first word character to its last."""
    first, last = _WORD_CHARACTER.search(text), _WORD_CHARACTER.search(text[::-1])
    return text[first.start() : len(text) - last.start()] if first else ""


def _contains_snippet(text, terms):
    words = _without_markup(text).split(" ")
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
