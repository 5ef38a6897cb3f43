"""Front page, section fronts, topic and person pages, the old-article notice and error pages."""

import datetime

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from articles.models import Article, Section
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html import elements, texts

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def hidden_articles(section=None):
    """A draft and a scheduled article, titled so a test can look for them on any page."""
    section = section or SectionFactory()
    tags, people = ["Hemmelig"], [PersonFactory(name="Skjult Skribent")]
    return [
        ArticleFactory(
            title="Kladd som ikke skal vises", section=section, tags=tags, bylines=people
        ),
        ArticleFactory(
            title="Planlagt sak som ikke skal vises",
            scheduled=True,
            section=section,
            tags=tags,
            bylines=people,
        ),
    ]


def teaser_titles(html, css_class="teaser__title"):
    return [
        element["text"] for element in elements(html) if element["attrs"].get("class") == css_class
    ]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Front page


def test_front_page_leads_with_the_newest_story_then_the_latest_grid(client):
    section = SectionFactory(name="Nyheter", slug="nyheter")
    older = [
        ArticleFactory(published=True, section=section, published_at=days_ago(day))
        for day in range(2, 9)
    ]
    newest = ArticleFactory(
        published=True, section=section, published_at=days_ago(1), lead="Ingressen til toppsaken."
    )
    hidden_articles(section)
    page = get(client, "/")

    lead_story = elements(
        page, "article", **{"class": "teaser teaser--large teaser--text teaser--nyheter"}
    )
    assert len(lead_story) == 1
    assert newest.title in lead_story[0]["text"]
    assert "Ingressen til toppsaken." in lead_story[0]["text"]
    titles = teaser_titles(page)
    assert titles[0] == newest.title
    assert titles[1:7] == [article.title for article in older[:6]]
    assert "Kladd som ikke skal vises" not in page
    assert "Planlagt sak som ikke skal vises" not in page


def test_front_page_has_a_block_per_section_in_section_order(client):
    culture = SectionFactory(name="Kultur", slug="kultur", position=2)
    sport = SectionFactory(name="Sport", slug="sport", position=1)
    SectionFactory(name="Tom seksjon", slug="tom", position=3)
    for day in range(1, 8):  # fills the lead story and the latest grid
        ArticleFactory(published=True, section=sport, published_at=days_ago(day))
    sport_older = [
        ArticleFactory(published=True, section=sport, published_at=days_ago(day))
        for day in range(10, 16)
    ]
    culture_articles = [
        ArticleFactory(published=True, section=culture, published_at=days_ago(day))
        for day in (20, 21)
    ]
    hidden_articles(culture)
    page = get(client, "/")

    blocks = elements(page, "section")
    block_headings = texts(page, "h2", **{"class": "section-block__title"})
    assert block_headings == ["Sport", "Kultur"]
    sport_block = next(b for b in blocks if b["attrs"].get("aria-labelledby") == "seksjon-sport")
    shown = [article.title for article in sport_older if article.title in sport_block["text"]]
    assert shown == [article.title for article in sport_older[:4]]
    culture_block = next(
        b for b in blocks if b["attrs"].get("aria-labelledby") == "seksjon-kultur"
    )
    assert all(article.title in culture_block["text"] for article in culture_articles)
    assert "Kladd som ikke skal vises" not in page
    assert "Planlagt sak som ikke skal vises" not in page
    # The lead story and the grid are not repeated in the section blocks.
    newest = Article.objects.published().first()
    assert len(texts(page, "a", href=newest.get_absolute_url())) == 1


def test_front_page_section_block_lists_its_newest_four_newest_first(client):
    sport = SectionFactory(name="Sport", slug="sport", position=1)
    culture = SectionFactory(name="Kultur", slug="kultur", position=2)
    for day in range(1, 8):  # fills the lead story and the latest grid
        ArticleFactory(published=True, section=sport, published_at=days_ago(day))
    same_time = days_ago(21)
    culture_articles = [
        ArticleFactory(published=True, section=culture, published_at=when)
        for when in (days_ago(25), same_time, days_ago(20), same_time, days_ago(30))
    ]
    page = get(client, "/")

    block = next(
        b
        for b in elements(page, "section")
        if b["attrs"].get("aria-labelledby") == "seksjon-kultur"
    )
    newest_first = [culture_articles[i] for i in (2, 3, 1, 0)]  # the later one first at a tie
    positions = [block["text"].find(article.title) for article in newest_first]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert culture_articles[4].title not in block["text"]


def test_front_page_without_articles_says_so(client):
    hidden_articles()
    page = get(client, "/")
    assert "Ingen artikler er publisert ennå." in page


def build_archive(sections, per_section, people_per_article, tags_per_article):
    people = PersonFactory.create_batch(people_per_article)
    tags = [f"Tema {n}" for n in range(tags_per_article)]
    for _ in range(sections):
        section = SectionFactory()
        for day in range(per_section):
            ArticleFactory(
                published=True,
                section=section,
                bylines=people,
                tags=tags,
                published_at=days_ago(day + 1),
            )
    return people, tags


@pytest.mark.parametrize("size", [(1, 1, 1, 1), (6, 8, 3, 4)])
def test_front_page_query_budget_is_fixed(client, django_assert_max_num_queries, size):
    build_archive(*size)
    # sections nav, the desk's placements, latest + their bylines, section blocks + their
    # bylines + the page cache's check for the next scheduled change + the footer's editor
    with django_assert_max_num_queries(8):
        get(client, "/")


# Section fronts


def test_section_front_lists_its_published_articles_newest_first_with_pagination(client):
    section = SectionFactory(name="Innenriks", slug="innenriks")
    other = ArticleFactory(published=True, title="Sak fra en annen seksjon")
    articles = [
        ArticleFactory(published=True, section=section, published_at=days_ago(day))
        for day in range(1, 23)
    ]
    hidden_articles(section)

    first = get(client, "/innenriks/")
    assert texts(first, "h1") == ["Innenriks"]
    assert teaser_titles(first) == [article.title for article in articles[:20]]
    assert other.title not in first
    assert "Kladd som ikke skal vises" not in first
    assert "Planlagt sak som ikke skal vises" not in first
    nav = elements(first, "nav", **{"aria-label": "Sider"})
    assert "Side 1 av 2" in nav[0]["text"]
    assert texts(first, "a", rel="next") == ["Eldre artikler"]
    assert elements(first, "a", **{"aria-current": "page"})[0]["text"] == "Innenriks"

    second = get(client, "/innenriks/?side=2")
    assert teaser_titles(second) == [article.title for article in articles[20:]]
    assert texts(second, "a", rel="prev") == ["Nyere artikler"]
    # Page one opens with the newest story large; later pages are plain lists.
    large = elements(
        first, "article", **{"class": "teaser teaser--large teaser--text teaser--innenriks"}
    )
    assert len(large) == 1
    assert articles[0].title in large[0]["text"]
    assert "teaser--large" not in second


def test_section_front_rejects_unknown_sections_and_pages(client, db):
    SectionFactory(slug="kultur")
    assert client.get("/finnes-ikke/").status_code == 404
    assert client.get("/kultur/?side=9").status_code == 404


@pytest.mark.parametrize("size", [(1, 1, 1, 1), (1, 25, 4, 6)])
def test_section_front_query_budget_is_fixed(client, django_assert_max_num_queries, size):
    build_archive(*size)
    section = Section.objects.get()
    # sections nav, section, its pins, count, page of articles, their bylines
    # + the page cache's check for the next scheduled change + the footer's editor
    with django_assert_max_num_queries(8):
        get(client, section.get_absolute_url())


# Topic and person pages


def test_topic_page_lists_published_articles_with_the_tag_newest_first(client):
    tagged = [
        ArticleFactory(published=True, tags=["Klima"], published_at=days_ago(day))
        for day in (3, 1, 2)
    ]
    untagged = ArticleFactory(published=True, tags=["Sport"])
    hidden_articles()
    ArticleFactory(title="Kladd om klima", tags=["Klima"])
    page = get(client, "/tema/klima/")
    assert texts(page, "h1") == ["Klima"]
    assert teaser_titles(page) == [tagged[1].title, tagged[2].title, tagged[0].title]
    assert untagged.title not in page
    assert "Kladd om klima" not in page


def test_person_page_lists_published_articles_the_person_wrote(client):
    reporter = PersonFactory(name="Ingrid Dahl", title="journalist", bio="Skriver om Oslo.")
    colleague = PersonFactory(name="Per Hansen")
    own = ArticleFactory(published=True, bylines=[reporter], published_at=days_ago(2))
    shared = ArticleFactory(
        published=True, bylines=[colleague, reporter], published_at=days_ago(1)
    )
    someone_else = ArticleFactory(published=True, bylines=[colleague])
    ArticleFactory(title="Kladd av Ingrid", bylines=[reporter])
    ArticleFactory(title="Planlagt av Ingrid", scheduled=True, bylines=[reporter])

    page = get(client, reporter.get_absolute_url())
    assert texts(page, "h1") == ["Ingrid Dahl"]
    assert "Skriver om Oslo." in page
    assert teaser_titles(page) == [shared.title, own.title]
    assert "Per Hansen og Ingrid Dahl" in texts(page, "span", **{"class": "teaser__byline"})
    assert someone_else.title not in page
    assert "Kladd av Ingrid" not in page
    assert "Planlagt av Ingrid" not in page


@pytest.mark.parametrize("size", [(1, 1, 1, 1), (2, 25, 4, 6)])
def test_topic_and_person_query_budgets_are_fixed(client, django_assert_max_num_queries, size):
    people, tags = build_archive(*size)
    # sections nav, tag or person, count, page of articles, their bylines
    # + the page cache's check for the next scheduled article + the footer's editor (once)
    with django_assert_max_num_queries(7):
        get(client, f"/tema/{tags[0].lower().replace(' ', '-')}/")
    # + the page cache's check for the next scheduled article
    with django_assert_max_num_queries(6):
        get(client, people[0].get_absolute_url())


# Every page


def test_every_reader_page_has_one_h1_a_labelled_search_form_and_a_favicon(client):
    article = ArticleFactory(
        published=True, tags=["Klima"], bylines=[PersonFactory(name="Kari Solberg")]
    )
    urls = [
        "/",
        article.section.get_absolute_url(),
        "/tema/klima/",
        "/person/kari-solberg/",
        article.get_absolute_url(),
        "/sok/?q=klima",
    ]
    for url in urls:
        page = get(client, url)
        assert len(elements(page, "h1")) == 1, url
        executable = [
            script
            for script in elements(page, "script")
            if script["attrs"].get("type") != "application/ld+json"
        ]
        assert executable == [], "nothing needs JavaScript"
        assert elements(page, "html")[0]["attrs"]["lang"] == "nb"
        search = elements(page, "form", role="search")
        assert search[0]["attrs"]["action"] == "/sok/", url
        assert texts(page, "label", **{"for": "site-search-q"}) == ["Søk i artiklene"]
        icon = elements(page, "link", rel="icon")[0]["attrs"]["href"]
        assert client.get(icon).status_code == 200


def test_article_older_than_a_year_carries_a_notice(client):
    old = ArticleFactory(published=True, published_at=days_ago(400))
    recent = ArticleFactory(published=True, published_at=days_ago(300))
    notice = "Denne artikkelen er over ett år gammel"
    assert notice in get(client, old.get_absolute_url())
    assert notice not in get(client, recent.get_absolute_url())


def test_not_found_page_is_norwegian_with_a_way_on(client, db):
    response = client.get("/tema/finnes-ikke/")
    assert response.status_code == 404
    page = response.content.decode()
    assert texts(page, "h1") == ["Vi fant ikke siden"]
    assert elements(page, "input", name="q")
    assert "Gå til forsiden" in texts(page, "a", href="/")


def test_server_error_page_is_norwegian_and_needs_no_database(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = render_to_string("500.html")
    assert elements(page, "html")[0]["attrs"]["lang"] == "nb"
    assert texts(page, "h1") == ["Noe gikk galt"]
    assert elements(page, "link", rel="stylesheet")


def test_favicon_ico_leads_to_the_site_icon(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[0][1] == 301
    assert b"<svg" in b"".join(response.streaming_content)
