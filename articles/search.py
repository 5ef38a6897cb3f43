"""Reader search over published articles.

PostgreSQL gets full-text search with the ``norwegian`` configuration: stemming, websearch
syntax (`"eksakt frase"`, `-utelat`, `or`), ranking (title over lead over body) and
highlighted snippets. Other databases (SQLite in development) get a plain contains-search with
the same result shape, so the search page does not care which one ran. Whatever a reader types
is a page: a query the database refuses to read is a search without results, never an error.

Only the newest ``SEARCH_WINDOW`` matches are ranked and shown (a product decision): a word in
a fifth of the archive would otherwise have every one of its matches read and ranked, work
that grows with the archive. Within them the best match comes first (title over lead over
body; the newest first among equals); a reader who gets more is told so and can add words to
reach older articles. Rarer queries, whose matches all fit, see every one of them.
"""

import datetime
import re
import time
import unicodedata
from contextlib import nullcontext
from dataclasses import dataclass
from html import escape as html_escape
from typing import NamedTuple

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
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ops.compiled import CompiledQuery
from ops.outage import is_outage

from .models import Article
from .pagination import asked_for_page
from .teasers import SNIPPET_SLOT, Look, teasers

MAX_QUERY_LENGTH = 200
# How many of the newest matches are ranked and shown: ten pages.
SEARCH_WINDOW = 200
NEWEST_FIRST = ("-published_at", "-pk")
BEST_FIRST = ("-search_rank", *NEWEST_FIRST)
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


class Found(NamedTuple):
    """A shown result: what its teaser is found by (articles/teasers.py), and its snippet."""

    pk: int
    modified_at: datetime.datetime
    snippet: str


@dataclass(frozen=True)
class SearchResults:
    page: Page
    # Each result's teaser HTML, with the query's snippet in it.
    teasers: list
    # More than SEARCH_WINDOW articles match: the reader is told only the newest are shown.
    more_than_shown: bool = False
    # The database could not read the query (PostgreSQL refuses some operator soups, such as
    # 33 "-" in a row): the reader is told to search with plain words.
    unreadable: bool = False


def search_page(query, *, page_number, per_page):
    """One page of the newest ``SEARCH_WINDOW`` articles matching ``query``, best first, as
    teasers with snippets; a lost connection still raises."""
    try:
        with _savepoint_in_transaction():
            page, matching = _counted_page(query, page_number, per_page)
            return SearchResults(
                page=page,
                teasers=result_teasers(page.object_list),
                more_than_shown=matching > SEARCH_WINDOW,
            )
    except DatabaseError as error:
        if is_outage(error):
            raise
        empty = Paginator([], per_page).get_page(1)
        return SearchResults(page=empty, teasers=[], unreadable=True)


def _savepoint_in_transaction():
    """A savepoint inside a transaction, so a refused query leaves it usable. Readers' requests
    run outside one (autocommit), where a refused query ends by itself: no round trips."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def _counted_page(query, page_number, per_page):
    """``(the page asked for, how many articles match, counted up to SEARCH_WINDOW + 1)``, in
    one query.

    Only the page's rows are read from the articles (their keys and snippets). Past the last
    page no row carries the count: then the matches are counted and the last page given, as
    ``Paginator.get_page`` does.
    """
    number = asked_for_page(page_number)
    rows, matching = _page_rows(query, number, per_page)
    if not rows and number > 1:
        matching = _newest_matches(query.text).values("pk")[: SEARCH_WINDOW + 1].count()
        number = Paginator(range(min(matching, SEARCH_WINDOW)), per_page).num_pages
        rows, matching = _page_rows(query, number, per_page)
    paginator = Paginator(range(min(matching, SEARCH_WINDOW)), per_page)
    return Page(rows, number, paginator), matching


def _page_rows(query, number, per_page):
    """``(page number of the newest matches ranked best first, as Found, how many match)``."""
    if not query:
        return [], 0
    bottom = (number - 1) * per_page
    if connection.vendor == "postgresql":
        return _full_text_rows(query.text, bottom, per_page)
    return _contains_rows(query.text, bottom, per_page)


def _newest_matches(text, *, at=None):
    """The published articles (at the moment ``at``, or now) matching ``text``, newest
    first."""
    if connection.vendor == "postgresql":
        matches = Article.objects.published(at=at).filter(search_vector=_search_query(text))
    else:
        matches, _ = _contains_search(text)
    return matches.order_by(*NEWEST_FIRST)


def result_teasers(rows):
    """Each row's teaser (kept in the fragments cache, the same for every query) with the
    row's snippet in its slot."""
    shown = teasers(rows, Look.SEARCH, first_look=Look.SEARCH_FIRST)
    return [
        mark_safe(html.replace(SNIPPET_SLOT, row.snippet))  # noqa: S308 - both safe
        for html, row in zip(shown, rows, strict=True)
    ]


def _search_query(text):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(text, search_type="websearch", config=CONFIG)


def _search_rank(text):
    from django.contrib.postgres.search import SearchRank

    return SearchRank(F("search_vector"), _search_query(text))


# The newest matches' keys, times and ranks, which the page of results is ordered by: the
# ORM's query, compiled once per worker. Ranked as they are read, so only these three narrow
# columns are sorted and kept, not each match's vector (a fifth of PostgreSQL's time).
NEWEST_MATCHES = CompiledQuery(
    Article,
    lambda at, text: (
        _newest_matches(text, at=at)
        .annotate(search_rank=_search_rank(text))
        .values_list("pk", "published_at", "search_rank")[: SEARCH_WINDOW + 1]
    ),
)

# At 100,000 articles two common words have thousands of matches across the archive, each
# read (or walked to, newest first) to find the newest 200: 12 ms in PostgreSQL. Such queries
# are first tried among the newest RECENT_ARTICLES articles only (a bitmap of the published_at
# index joined with the words', 5 ms); when the window fills there, no older match can be in it
# and the page is the same, otherwise it is asked again over the whole archive. Only for more
# than one word in an archive several times that size: one word is walked to faster, and in a
# smaller archive the first try misses too often.
RECENT_ARTICLES = 8000
_RECENT_CUTOFF_KEPT = 300  # seconds a worker keeps the cut-off: a stale one is only wider
_recent_cutoff = {}  # RECENT_ARTICLES: (the K-th newest's time or None, kept until)

NEWEST_RECENT_MATCHES = CompiledQuery(
    Article,
    lambda at, text, since: (
        _newest_matches(text, at=at)
        .filter(published_at__gte=since)
        .annotate(search_rank=_search_rank(text))
        .values_list("pk", "published_at", "search_rank")[: SEARCH_WINDOW + 1]
    ),
)


def _recent_since(text):
    """Where the first try for ``text`` starts (a publishing time), or None for no first try."""
    if len(text.split()) < 2:
        return None
    kept = _recent_cutoff.get(RECENT_ARTICLES)
    if kept is None or time.monotonic() >= kept[1]:
        kept = (_cutoff_in_large_archive(), time.monotonic() + _RECENT_CUTOFF_KEPT)
        _recent_cutoff[RECENT_ARTICLES] = kept
    return kept[0]


def _cutoff_in_large_archive():
    """The RECENT_ARTICLES-th newest article's time, if there are four times as many (each an
    index-only scan, 3 and 13 ms at 100,000 articles; counting them all took 40)."""
    newest = Article.objects.published().order_by(*NEWEST_FIRST)
    if not newest[4 * RECENT_ARTICLES - 1 : 4 * RECENT_ARTICLES].exists():
        return None
    # None when articles left between the two queries.
    return next(
        iter(newest.values_list("published_at", flat=True)[RECENT_ARTICLES - 1 :][:1]), None
    )


# The page of results in one statement around the newest matches (the ORM's SQL, which keeps
# published() the one rule of what readers see): ranked, counted, and only the shown rows
# read from the articles with their snippets. Written in SQL: built from ORM expressions it
# took a search more CPU time to compile than PostgreSQL took to run it.
_PAGE_SQL_BEFORE_MATCHES = "WITH newest (id, published_at, rank) AS MATERIALIZED ("
_PAGE_SQL_AFTER_MATCHES = f"""),
shown AS (
    SELECT id, published_at, rank
    FROM (SELECT * FROM newest ORDER BY published_at DESC, id DESC LIMIT %s) AS ranked
    ORDER BY rank DESC, published_at DESC, id DESC LIMIT %s OFFSET %s
)
SELECT shown.id, "articles_article"."modified_at", (SELECT COUNT(*) FROM newest),
    {_HEADLINE_SQL},
    LEFT(CONCAT("articles_article"."lead", ' ', "articles_article"."body"), {CUT_CONTEXT}),
    RIGHT(CONCAT("articles_article"."lead", ' ', "articles_article"."body"), {CUT_CONTEXT})
FROM shown JOIN "articles_article" ON "articles_article"."id" = shown.id
ORDER BY shown.rank DESC, shown.published_at DESC, shown.id DESC"""  # noqa: S608 - constants


def _full_text_rows(text, bottom, per_page):
    """PostgreSQL's full-text search: ranked by ``ts_rank`` over the stored vector, title (A)
    over lead (B) over body (C); snippets from its headline."""
    now = timezone.now()
    since = _recent_since(text)
    rows = []
    if since is not None:
        recent = NEWEST_RECENT_MATCHES.sql(now, text, since, using=connection.alias)
        rows = _page_around(recent, text, bottom, per_page)
    # Matching is counted up to SEARCH_WINDOW + 1: more than the window among the recent ones.
    if not rows or rows[0][2] <= SEARCH_WINDOW:
        rows = _page_around(
            NEWEST_MATCHES.sql(now, text, using=connection.alias), text, bottom, per_page
        )
    found = [
        Found(pk, modified_at, headline_snippet(*sources)) for pk, modified_at, _, *sources in rows
    ]
    return found, rows[0][2] if rows else 0


def _page_around(newest, text, bottom, per_page):
    """The page's rows (key, modification time, how many match, headline, the text's start and
    end) around the newest matches' SQL and parameters."""
    newest_sql, newest_params = newest
    headline_params = [text, HIT_START, HIT_STOP, text, _HEADLINE_OPTIONS]
    with connection.cursor() as cursor:
        cursor.execute(
            _PAGE_SQL_BEFORE_MATCHES + newest_sql + _PAGE_SQL_AFTER_MATCHES,
            [*newest_params, SEARCH_WINDOW, per_page, bottom, *headline_params],
        )
        return cursor.fetchall()


def _contains_rows(text, bottom, per_page):
    """The contains-search: title hits first, then the newest; snippets cut around the first
    hit."""
    matches, title_hit = _contains_search(text)
    newest = matches.order_by(*NEWEST_FIRST).values("pk")
    matching = Article.objects.filter(pk__in=newest[: SEARCH_WINDOW + 1]).order_by()
    rows = (
        Article.objects.filter(pk__in=newest[:SEARCH_WINDOW])
        .annotate(
            search_rank=title_hit,
            matching=Subquery(
                matching.values(total=Func(F("pk"), function="COUNT")),
                output_field=IntegerField(),
            ),
            text=Concat("lead", Value(" "), "body", output_field=TextField()),
        )
        .order_by(*BEST_FIRST)
        .values_list("pk", "modified_at", "matching", "text")[bottom : bottom + per_page]
    )
    terms = _fallback_terms(text)
    found = [
        Found(pk, modified_at, contains_snippet(article_text, terms))
        for pk, modified_at, _, article_text in rows
    ]
    return found, rows[0][2] if rows else 0


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
    # Each pattern only where its characters occur: most passages have neither.
    text = text or ""
    if "](" in text:
        text = _MARKDOWN_LINK.sub(r"\1", text)
    if "#" in text or ">" in text:
        text = " ".join(_MARKDOWN_LINE_START.sub("", line, count=1) for line in text.split("\n"))
    for symbol in _MARKDOWN_SYMBOLS:
        text = text.replace(symbol, "")
    return " ".join(text.split())


def headline_snippet(headline, text_start, text_end):
    """PostgreSQL's headline with <mark>s, and «…» where it starts or ends inside the text
    (``CUT_CONTEXT`` characters of its start and end)."""
    text = _without_markup(headline)
    # The standard library's escape, which Django's wraps for lazy strings: the same text.
    html = html_escape(text).replace(HIT_START, "<mark>").replace(HIT_STOP, "</mark>")
    # The headline begins and ends at a word: compare without the punctuation around it.
    plain = _from_word_to_word(text.replace(HIT_START, "").replace(HIT_STOP, ""))
    prefix = "" if _starts_with(text_start, plain[:CUT_CHECK]) else "… "
    suffix = "" if _ends_with(text_end, plain[-CUT_CHECK:]) else " …"
    # Escaped above; only our own <mark> tags and the ellipses were added.
    return mark_safe(prefix + html + suffix)  # noqa: S308


# Whether a text without its markup, from its first word to its last, starts or ends with a
# plain passage. Only as much of it as settles that is read, cut at a space: the markup of a
# word or a line is removed the same either side of one (a link's may not, so then the whole
# text is read). Reading all 400 characters took more time than the rest of the snippet.
def _starts_with(text, passage):
    cut = text.find(" ", 2 * CUT_CHECK)
    if cut > 0 and "](" not in text:
        start = _from_word_to_word(_without_markup(text[:cut]))
        if len(start) >= len(passage):
            return start.startswith(passage)
    return _from_word_to_word(_without_markup(text)).startswith(passage)


def _ends_with(text, passage):
    cut = text.rfind(" ", 0, len(text) - 2 * CUT_CHECK)
    if cut > 0 and "](" not in text:
        end = _from_word_to_word(_without_markup(text[cut:]))
        if len(end) >= len(passage):
            return end.endswith(passage)
    return _from_word_to_word(_without_markup(text)).endswith(passage)


def _from_word_to_word(text):
    """The text from its first word character to its last."""
    first, last = _WORD_CHARACTER.search(text), _WORD_CHARACTER.search(text[::-1])
    return text[first.start() : len(text) - last.start()] if first else ""


def contains_snippet(text, terms):
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
