"""Search at /sok/: full-text on PostgreSQL, contains-search on SQLite, safe with any input."""

import datetime
import io
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles import freshness
from articles import search as search_module
from articles.demo import DEMO_FIXTURES
from articles.models import Article
from articles.search import (
    HIT_START,
    HIT_STOP,
    MAX_QUERY_LENGTH,
    contains_snippet,
    headline_snippet,
    normalise_query,
)
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html import elements, texts

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search needs PostgreSQL"
)
on_fallback = pytest.mark.skipif(
    connection.vendor == "postgresql", reason="the contains-search runs where PostgreSQL does not"
)


def search(client, query, **params):
    response = client.get("/sok/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def result_titles(page):
    return texts(page, "h2", **{"class": "teaser__title"})


@pytest.fixture
def ferry_articles():
    published = ArticleFactory(
        published=True,
        title="Ny ferjerute til Nesodden",
        lead="Ferjene går oftere fra mandag.",
        body="Pendlerne får kortere ventetid.",
    )
    ArticleFactory(title="Kladd om ferjerute", lead="Ikke klar.", body="Ferjerute i kladd.")
    ArticleFactory(
        scheduled=True, title="Planlagt ferjerute", lead="Kommer.", body="Ferjerute senere."
    )
    return published


def test_search_finds_published_articles_and_never_drafts_or_scheduled(client, ferry_articles):
    page = search(client, "ferjerute")
    assert result_titles(page) == ["Ny ferjerute til Nesodden"]
    assert "1 treff på «ferjerute»" in page
    assert "Kladd om ferjerute" not in page
    assert "Planlagt ferjerute" not in page


def test_a_scheduled_article_is_found_once_its_time_has_come(client, ferry_articles, monkeypatch):
    search(client, "ferjerute")  # the worker has compiled its query
    scheduled = Article.objects.get(title="Planlagt ferjerute")
    later = scheduled.published_at + datetime.timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    page = search(client, "ferjerute")
    assert set(result_titles(page)) == {"Ny ferjerute til Nesodden", "Planlagt ferjerute"}


def test_search_page_is_noindex_and_keeps_the_query_in_the_form(client, ferry_articles):
    page = search(client, "ferjerute")
    assert elements(page, "meta", name="robots")[0]["attrs"]["content"] == "noindex"
    field = elements(page, "input", id="search-page-q")[0]
    assert field["attrs"]["value"] == "ferjerute"
    assert texts(page, "label", **{"for": "search-page-q"}) == ["Søk i artiklene"]


def test_empty_search_asks_for_words(client, ferry_articles):
    for query in ["", "   "]:
        page = search(client, query)
        assert "Skriv ett eller flere ord" in page
        assert result_titles(page) == []
    assert "Skriv ett eller flere ord" in client.get("/sok/").content.decode()


def test_no_match_says_so(client, ferry_articles):
    page = search(client, "sjiraffer")
    assert "Ingen treff på «sjiraffer»" in page


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1--", "%", "\\", "'", '"', "_", "%%%", "&|!():*", "-", '"""', "\x00ferje", "<b>"],
)
def test_odd_queries_give_a_clear_page_and_no_drafts(client, ferry_articles, query):
    page = search(client, query)
    status = elements(page, "div", role="status")[0]["text"]
    assert "treff" in status or "Skriv ett eller flere ord" in status
    assert "Kladd om ferjerute" not in page
    assert "<b>" not in page.split('role="status"')[1]
    if query in {"%", "_", "%%%", "\\"}:
        # wildcards are taken literally, not as "match everything"
        assert result_titles(page) == []


typed_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=typed_text)
def test_any_typed_query_gives_a_page_and_never_a_draft(client, ferry_articles, query):
    page = search(client, query)
    assert elements(page, "div", role="status")
    assert "Kladd om ferjerute" not in page
    assert "Planlagt ferjerute" not in page


UNREADABLE = "vi kunne ikke tolke søket"
OPERATOR_SOUP = ["-" * 33 + "ferjerute", "-(" * 40, "-" * 200, '-"' * 50 + "ferje", "!-(&|)" * 30]


@pytest.mark.parametrize("query", OPERATOR_SOUP)
def test_operator_soup_is_a_search_without_results_not_an_outage(client, ferry_articles, query):
    # PostgreSQL refuses 33 or more "-" in a row ("tsquery stack too small"); SQLite searches.
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    page = response.content.decode()
    status = elements(page, "div", role="status")[0]["text"]
    assert "treff" in status
    assert "Kladd om ferjerute" not in page
    if connection.vendor == "postgresql" and query.startswith("-" * 33):
        assert result_titles(page) == []
        assert UNREADABLE in status
        assert "Prøv igjen med vanlige ord" in status


def test_after_an_unreadable_query_the_next_search_finds_articles(client, ferry_articles):
    search(client, "-" * 40)
    assert result_titles(search(client, "ferjerute")) == ["Ny ferjerute til Nesodden"]


def test_a_lone_surrogate_or_invalid_utf_8_in_the_address_is_a_search(client, ferry_articles):
    for raw in ["%ED%A0%80", "%FF%FE", "%00" * 20, "%C3"]:
        response = client.get(f"/sok/?q={raw}ferjerute")
        assert response.status_code == 200
        assert result_titles(response.content.decode()) == ["Ny ferjerute til Nesodden"]
    assert normalise_query("\ud800ferje\udfff").text == "ferje"


soup = st.text(alphabet=st.sampled_from("-!&|()\"':*<>\\ or and ferje\x00\t"), max_size=400)
absurd = st.one_of(
    st.text(max_size=300),
    soup,
    st.builds(
        lambda char, count: char * count, st.sampled_from('-(!"a æ'), st.integers(1, 10_000)
    ),
)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=absurd)
def test_no_query_ever_gives_a_server_error(client, ferry_articles, query):
    # Lone surrogates included: sent as a browser would, replaced where they cannot be encoded.
    address = "/sok/?" + urlencode({"q": query}, encoding="utf-8", errors="surrogatepass")
    response = client.get(address)
    assert response.status_code == 200
    page = response.content.decode()
    assert elements(page, "div", role="status")
    assert "Kladd om ferjerute" not in page


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=soup, side=st.one_of(st.integers(-2, 4), st.text(max_size=6)))
def test_operator_soup_on_any_page_gives_a_page(client, ferry_articles, query, side):
    address = "/sok/?" + urlencode({"q": query, "side": side})
    response = client.get(address)
    assert response.status_code == 200
    page = response.content.decode()
    assert elements(page, "div", role="status")
    assert "Kladd om ferjerute" not in page


def markup_outside_marks(html):
    return html.replace("<mark>", "").replace("</mark>", "")


@given(
    text=st.text(alphabet=st.sampled_from("<>&\"'ab æø#*[]()\n" + HIT_START + HIT_STOP)),
    query=typed_text,
)
def test_snippets_are_escaped_whatever_the_article_says(text, query):
    terms = query.split() or ["a"]
    for html in (contains_snippet(text, terms), headline_snippet(text, text, text)):
        assert "<" not in markup_outside_marks(html)
        assert ">" not in markup_outside_marks(html)


def test_very_long_query_is_cut_with_a_message(client, ferry_articles):
    page = search(client, "ferjerute " * 100)
    assert f"de første {MAX_QUERY_LENGTH} tegnene" in page
    value = elements(page, "input", id="search-page-q")[0]["attrs"]["value"]
    assert len(value) <= MAX_QUERY_LENGTH


def test_normalise_query_removes_control_characters_and_caps_length():
    assert normalise_query("  Kim\x00 \tJong-un\u200b\n").text == "Kim Jong-un"
    capped = normalise_query("a" * 500)
    assert capped.was_truncated
    assert len(capped.text) == MAX_QUERY_LENGTH
    assert not normalise_query("\x00 \n")


def test_snippets_mark_hits_and_escape_article_text(client):
    ArticleFactory(
        published=True,
        title="Vannverket ble hacket",
        lead="Angriperne la inn <script>alert('x')</script> i skjemaet. Skaden: 5 < 7 & mer.",
        body="Vannverket i kommunen ble angrepet i natt, sier <b>kommunen</b>.",
    )
    page = search(client, "vannverket")
    snippet_html = page.split('class="teaser__snippet">')[1].split("</p>")[0]
    assert "<mark>" in snippet_html
    assert "<script>" not in page
    assert "<b>" not in snippet_html
    assert "5 &lt; 7 &amp; mer" in snippet_html
    stripped = snippet_html.replace("<mark>", "").replace("</mark>", "")
    assert "<" not in stripped


def test_results_paginate_and_keep_the_query(client):
    for day in range(23):
        ArticleFactory(
            published=True,
            title=f"Bompenger sak {day}",
            published_at=timezone.now() - datetime.timedelta(days=day + 1),
        )
    first = search(client, "bompenger")
    assert len(result_titles(first)) == 20
    next_link = elements(first, "a", rel="next")[0]
    assert next_link["attrs"]["href"] == "?q=bompenger&side=2"
    assert next_link["text"] == "Neste side"
    assert "23 treff på «bompenger», side 1 av 2" in first
    second = search(client, "bompenger", side=2)
    assert len(result_titles(second)) == 3
    assert "23 treff på «bompenger», side 2 av 2" in second
    assert not set(result_titles(first)) & set(result_titles(second))


def test_a_page_past_the_last_shows_the_last_page(client):
    for day in range(23):
        ArticleFactory(
            published=True,
            title=f"Bompenger sak {day}",
            published_at=timezone.now() - datetime.timedelta(days=day + 1),
        )
    past_the_end = search(client, "bompenger", side=9)
    assert result_titles(past_the_end) == result_titles(search(client, "bompenger", side=2))
    assert "23 treff på «bompenger», side 2 av 2" in past_the_end
    assert "Ingen treff" in search(client, "sjiraffer", side=3)


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.fixture
def small_window(monkeypatch):
    monkeypatch.setattr(search_module, "SEARCH_WINDOW", 3)


def test_a_common_word_shows_only_its_newest_matches_and_says_so(client, small_window):
    for hours in range(1, 6):
        ArticleFactory(
            published=True,
            title=f"Bompenger sak {hours}",
            lead="Ingress.",
            body="Tekst.",
            published_at=hours_ago(hours),
        )
    ArticleFactory(
        published=True,
        title="Bompenger og ferjer",
        lead="Ingress.",
        body="Tekst.",
        published_at=hours_ago(10),
    )
    page = search(client, "bompenger", side=1)
    assert result_titles(page) == ["Bompenger sak 1", "Bompenger sak 2", "Bompenger sak 3"]
    assert "Over 3 treff på «bompenger»" in page
    assert "Vi viser de 3 nyeste, best treff først." in page
    assert "Legg til flere ord for å finne eldre saker." in page
    assert not elements(page, "a", rel="next")
    assert result_titles(search(client, "bompenger", side=2)) == result_titles(page)
    # More words reach an older article.
    narrower = search(client, "bompenger ferjer")
    assert result_titles(narrower) == ["Bompenger og ferjer"]
    assert "1 treff på «bompenger ferjer»" in narrower
    assert "nyeste" not in narrower


def test_as_many_matches_as_are_shown_is_not_more(client, small_window):
    for hours in range(1, 4):
        ArticleFactory(
            published=True, title=f"Bompenger sak {hours}", published_at=hours_ago(hours)
        )
    page = search(client, "bompenger")
    assert "3 treff på «bompenger»" in page
    assert "Over" not in elements(page, "div", role="status")[0]["text"]


def test_among_the_newest_matches_a_title_hit_beats_newer_body_hits(client, small_window):
    def article(title, body, hours):
        return ArticleFactory(
            published=True, title=title, lead="Ingress.", body=body, published_at=hours_ago(hours)
        )

    article("Nytt fra bystyret", "Møtet handlet om skolen.", 1)
    article("Skolen får nytt tak", "Arbeidet starter i mai.", 3)
    article("Nytt fra fylket", "Også her handlet det om skolen.", 2)
    article("Skolen stenger", "Eldre sak, utenfor de nyeste treffene.", 4)
    assert result_titles(search(client, "skolen")) == [
        "Skolen får nytt tak",
        "Nytt fra bystyret",
        "Nytt fra fylket",
    ]


@pytest.fixture
def recent_first_try(monkeypatch, small_window):
    """Two-word searches first tried among the 4 newest articles (the archive is large enough
    from 16), the window 3 matches."""
    monkeypatch.setattr(search_module, "RECENT_ARTICLES", 4)
    monkeypatch.setattr(search_module, "_recent_cutoff", {})
    for hours in range(20, 36):
        ArticleFactory(published=True, title=f"Annen sak {hours}", published_at=hours_ago(hours))


def toll_ferry_articles(hours):
    for hour in hours:
        ArticleFactory(
            published=True,
            title=f"Bompenger og ferjer {hour}",
            lead="Ingress.",
            body="Tekst.",
            published_at=hours_ago(hour),
        )


def searches_run(client, query):
    with CaptureQueriesContext(connection) as queries:
        page = search(client, query)
    return page, sum("WITH newest" in query["sql"] for query in queries.captured_queries)


@on_postgresql
def test_a_window_filled_among_the_newest_articles_is_the_whole_archives(client, recent_first_try):
    toll_ferry_articles([1, 2, 3, 4, 40, 41])
    page, statements = searches_run(client, "bompenger ferjer")
    assert statements == 1
    assert result_titles(page) == [f"Bompenger og ferjer {hour}" for hour in (1, 2, 3)]
    assert "Over 3 treff på «bompenger ferjer»" in page


@pytest.mark.parametrize("recent", [[1], [1, 2, 3]])
@on_postgresql
def test_a_window_not_filled_among_the_newest_articles_is_searched_again_in_all(
    client, recent_first_try, recent
):
    toll_ferry_articles([*recent, 40, 41, 42])
    page, statements = searches_run(client, "bompenger ferjer")
    assert statements == 2
    assert result_titles(page) == [f"Bompenger og ferjer {hour}" for hour in [*recent, 40, 41][:3]]
    assert "Over 3 treff på «bompenger ferjer»" in page


@on_postgresql
def test_one_word_has_no_first_try(client, recent_first_try):
    toll_ferry_articles([1, 2, 3, 4, 40])
    with CaptureQueriesContext(connection) as queries:
        page = search(client, "bompenger")
    assert result_titles(page) == [f"Bompenger og ferjer {hour}" for hour in (1, 2, 3)]
    statements = [query["sql"] for query in queries if "WITH newest" in query["sql"]]
    assert len(statements) == 1
    assert '"published_at" >=' not in statements[0]


@on_postgresql
def test_a_small_archive_has_no_first_try(client, small_window, monkeypatch):
    monkeypatch.setattr(search_module, "RECENT_ARTICLES", 4)
    monkeypatch.setattr(search_module, "_recent_cutoff", {})
    toll_ferry_articles([1, 2, 3, 4, 40])
    assert searches_run(client, "bompenger ferjer")[1] == 1
    assert search_module._recent_cutoff[4][0] is None


@pytest.mark.parametrize("count", [1, 15])
def test_search_query_budget_is_fixed(client, django_assert_max_num_queries, count):
    people = PersonFactory.create_batch(3)
    ArticleFactory.create_batch(
        count, published=True, title="Valgkamp i Oslo", bylines=people, tags=["Valg", "Oslo"]
    )
    # sections nav, the page of results with their count, the articles whose teasers are not
    # kept yet and their bylines
    # + the page cache's check for the next scheduled article + the footer's editor
    # + the savepoint around the search (taken and released; readers' requests, outside a
    # transaction, need none)
    with django_assert_max_num_queries(8):
        page = search(client, "valgkamp")
    assert len(result_titles(page)) == count
    # Another search finding the same articles: their teasers are kept, so neither they nor
    # their bylines are read again, only the page of results (inside its savepoint).
    with django_assert_max_num_queries(3):
        page = search(client, "oslo")
    assert len(result_titles(page)) == count


@on_postgresql
def test_norwegian_stemming_finds_other_word_forms(client):
    ArticleFactory(
        published=True,
        title="Partene møtes igjen",
        lead="Det blir nye runder.",
        body="Det kommer til å være forhandlinger mellom de to delegasjonene.",
    )
    page = search(client, "forhandling")
    assert result_titles(page) == ["Partene møtes igjen"]
    assert "<mark>forhandlinger</mark>" in page


@on_postgresql
def test_title_hits_rank_above_body_hits_and_websearch_syntax_works(client):
    body_hit = ArticleFactory(
        published=True,
        title="Nytt fra kommunestyret",
        lead="Møtet varte lenge.",
        body="Til slutt ble det snakk om budsjettet.",
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    title_hit = ArticleFactory(
        published=True,
        title="Budsjettet er vedtatt",
        lead="Flertallet sa ja.",
        body="Det ble sent.",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    assert result_titles(search(client, "budsjett")) == [title_hit.title, body_hit.title]
    assert result_titles(search(client, "budsjett -kommunestyret")) == [title_hit.title]
    assert result_titles(search(client, '"budsjettet er vedtatt"')) == [title_hit.title]


@on_postgresql
def test_a_hit_in_the_lead_gives_a_snippet_from_the_lead_alone(client):
    ArticleFactory(
        published=True,
        title="Ny bru",
        lead="Brua over fjorden åpner i mai.",
        body="Arbeidet har tatt fire år.",
    )
    ArticleFactory(
        published=True,
        title="Ny vei",
        lead="Veien er klar.",
        body="Tunnelen under fjorden åpner i juni.",
    )
    page = search(client, "fjorden")
    assert result_titles(page) == ["Ny bru", "Ny vei"]
    from_lead, from_the_text = texts(page, "p", **{"class": "teaser__snippet"})
    assert from_lead.startswith("Brua over fjorden")
    assert "Arbeidet" not in from_lead
    assert from_the_text.startswith("Veien er klar. Tunnelen under fjorden")


@on_postgresql
def test_full_text_search_can_use_the_gin_index():
    from django.contrib.postgres.search import SearchQuery

    ArticleFactory.create_batch(3, published=True)
    matching = Article.objects.filter(
        search_vector=SearchQuery("ferje", search_type="websearch", config="norwegian")
    ).order_by()
    with connection.cursor() as cursor:
        # On a tiny table the planner may prefer any scan; rule out all but index lookups.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        plan = matching.explain()
    assert "article_search_vector_gin" in plan


def test_search_follows_edits_of_title_lead_and_body(client):
    article = ArticleFactory(
        published=True, title="Nytt fra havna", lead="Det skjer mye.", body="Ferjene er forsinket."
    )
    assert result_titles(search(client, "ferjene")) == ["Nytt fra havna"]

    article.body = "Bompengene øker fra nyttår."
    article.save()
    assert result_titles(search(client, "bompengene")) == ["Nytt fra havna"]
    assert result_titles(search(client, "ferjene")) == []

    article.title, article.lead = "Havna får ny sjef", "Havnesjefen går av i mars."
    article.save()
    page = search(client, "bompengene")
    assert result_titles(page) == ["Havna får ny sjef"]
    assert texts(page, "p", **{"class": "teaser__lead"}) == ["Havnesjefen går av i mars."]
    assert result_titles(search(client, "havnesjefen")) == ["Havna får ny sjef"]

    # A bulk update sends no signals: it announces the change itself, as imports do.
    Article.objects.filter(pk=article.pk).update(title="Sjøfly til havna")
    freshness.changed(Article, article_ids=[article.pk])
    assert result_titles(search(client, "sjøfly")) == ["Sjøfly til havna"]
    assert result_titles(search(client, "bompengene")) == ["Sjøfly til havna"]


def test_a_result_seen_before_marks_the_words_of_the_new_search(client):
    ArticleFactory(
        published=True,
        title="Ferja står",
        lead="Ferja til Nesodden står stille.",
        body="Reparasjonen tar en uke, sier rederiet.",
    )
    first = search(client, "ferja")
    second = search(client, "reparasjonen")
    assert result_titles(first) == result_titles(second) == ["Ferja står"]
    first_snippet, second_snippet = (
        page.split('class="teaser__snippet">')[1].split("</p>")[0] for page in (first, second)
    )
    assert "<mark>Ferja</mark>" in first_snippet
    assert "<mark>Reparasjonen</mark>" in second_snippet
    assert "<mark>Ferja</mark>" not in second_snippet


def test_article_text_cannot_take_the_snippets_place(client):
    ArticleFactory(
        published=True,
        title="Kommentarer <!--search-snippet--> i HTML",
        lead="Om <!--search-snippet--> i ingressen.",
        body="Kommentarer vises ikke.",
    )
    page = search(client, "kommentarer")
    assert result_titles(page) == ["Kommentarer <!--search-snippet--> i HTML"]
    assert "<!--search-snippet-->" not in page
    assert page.count('class="teaser__snippet"') == 1


@on_postgresql
def test_demo_fixtures_are_searchable_after_loaddata(client):
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    titles = result_titles(search(client, "Kim Jong-un"))
    assert "Kim Jong-un i Russland for å sikre seg tettere bånd med Putin" in titles


@on_postgresql
def test_generated_articles_are_searchable(client):
    SectionFactory()
    call_command("generate_articles", 20, stdout=io.StringIO())
    page = search(client, "forhandlinger")
    assert result_titles(page)
    assert "<mark>forhandlinger</mark>" in page.lower()


@on_fallback
def test_fallback_needs_every_word_and_puts_title_hits_first(client):
    body_hit = ArticleFactory(
        published=True,
        title="Nytt fra kommunestyret",
        lead="Møtet om skolen varte lenge.",
        body="Til slutt ble det snakk om budsjettet.",
        published_at=timezone.now() - datetime.timedelta(hours=1),
    )
    title_hit = ArticleFactory(
        published=True,
        title="Budsjettet for skolen er vedtatt",
        lead="Flertallet sa ja.",
        body="Det ble sent.",
        published_at=timezone.now() - datetime.timedelta(days=3),
    )
    ArticleFactory(published=True, title="Budsjettet for veiene", lead="Ja.", body="Nei.")
    page = search(client, "budsjettet skolen")
    assert result_titles(page) == [title_hit.title, body_hit.title]
    assert "<mark>budsjettet</mark>" in page


def test_search_ignores_case_of_norwegian_letters(client):
    ArticleFactory(
        published=True,
        title="Østlandet får mer regn",
        lead="Været snur.",
        body="Meteorologene varsler ÅTTE dager med nedbør.",
    )
    assert result_titles(search(client, "østlandet")) == ["Østlandet får mer regn"]
    assert result_titles(search(client, "ØSTLANDET")) == ["Østlandet får mer regn"]


def test_snippets_show_where_the_text_was_cut(client):
    filler = " ".join(f"Setning nummer {n} handler om noe annet." for n in range(40))
    ArticleFactory(
        published=True,
        title="Lang sak",
        lead="Ingressen er kort.",
        body=f"{filler} Her står ordet tidevannskraftverk midt i. {filler}",
    )
    ArticleFactory(
        published=True,
        title="Kort sak",
        lead="Kort ingress.",
        body="Bare ett avsnitt om havvind.",
    )
    long_snippet = texts(search(client, "tidevannskraftverk"), "p", **{"class": "teaser__snippet"})
    assert long_snippet[0].startswith("…") and long_snippet[0].endswith("…")
    assert "tidevannskraftverk" in long_snippet[0]

    short_snippet = texts(search(client, "havvind"), "p", **{"class": "teaser__snippet"})
    assert short_snippet[0].startswith("Kort ingress. Bare ett avsnitt om havvind")
    assert "…" not in short_snippet[0]


def cut_marks_from_whole_texts(headline, text_start, text_end):
    """Whether headline_snippet() should mark a cut before and after ``headline``, read from
    the whole of the text's start and end without their markup."""
    plain = search_module._from_word_to_word(
        search_module._without_markup(headline).replace(HIT_START, "").replace(HIT_STOP, "")
    )
    start, end = (
        search_module._from_word_to_word(search_module._without_markup(text))
        for text in (text_start, text_end)
    )
    check = search_module.CUT_CHECK
    return not start.startswith(plain[:check]), not end.endswith(plain[-check:])


MARKDOWN_PIECES = [
    "Oslo", "kommune", "sier", "bånd", "**fet**", "_kursiv_", "`kode`", "snake_case",
    "[lenke](https://eksempel.no/en_lang/adresse_med_mange_ord/som-fyller/mer-enn-åtti-tegn)",
    "\n", "\n\n", "\n## ", "\n> ", "\n   # ", "#", ">", ".", ",", "–", "«sitat»", "\u00a0",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(MARKDOWN_PIECES), min_size=1, max_size=150),
    # From the text's start or anywhere, to its end or anywhere.
    start=st.one_of(st.just(0), st.integers(min_value=0, max_value=2000)),
    length=st.one_of(st.just(None), st.integers(min_value=0, max_value=400)),
)
def test_a_snippet_is_marked_as_cut_where_the_whole_text_says(pieces, start, length):
    # headline_snippet() reads only as much of the text's start and end as settles it.
    text = " ".join(pieces)
    headline = text[start : None if length is None else start + length]
    context = search_module.CUT_CONTEXT
    html = headline_snippet(headline, text[:context], text[-context:])
    before, after = cut_marks_from_whole_texts(headline, text[:context], text[-context:])
    assert html.startswith("… ") == before
    assert html.endswith(" …") == after


LINK_TEXT = (
    "Oslo kommune sier nei til planen om ny vei gjennom marka, og byrådet vil heller bygge bane"
)
LONG_PARAGRAPH = " ".join(f"Setning {n} om **noe** annet, med _ord_ i." for n in range(20))


@pytest.mark.parametrize(
    ("text", "headline", "cut_before", "cut_after"),
    [
        (  # from a long link's text at the start; a heading before the last paragraph
            f"[{LINK_TEXT}](https://eksempel.no/sak) til planen. "
            f"{LONG_PARAGRAPH}\n\n## Mellomtittel\n\nSiste ord om **saken** her.",
            f"{LINK_TEXT} til planen.",
            False,
            True,
        ),
        (  # more markup than words in the first 80 characters
            f"{'*' * 90} Oslo kommune sier nei til planen. {LONG_PARAGRAPH}",
            "Oslo kommune sier nei til planen. Setning 0 om noe annet, med ord i.",
            False,
            True,
        ),
        (
            f"{LONG_PARAGRAPH}\n\n> Et sitat om **saken** her",
            "Setning 19 om noe annet, med ord i. Et sitat om saken her",
            True,
            False,
        ),
        (
            f"{LONG_PARAGRAPH} Les [{LINK_TEXT}](https://eksempel.no/sak)",
            f"Setning 19 om noe annet, med ord i. Les {LINK_TEXT}",
            True,
            False,
        ),
        (
            f"Oslo kommune sier nei. {LONG_PARAGRAPH} Siste ord.",
            "Setning 3 om noe annet, med ord i. Setning 4 om noe annet",
            True,
            True,
        ),
    ],
)
def test_a_snippet_from_the_start_or_end_of_a_long_text_with_markup_shows_no_cut(
    text, headline, cut_before, cut_after
):
    context = search_module.CUT_CONTEXT
    html = headline_snippet(headline, text[:context], text[-context:])
    assert html.startswith("… ") == cut_before
    assert html.endswith(" …") == cut_after
