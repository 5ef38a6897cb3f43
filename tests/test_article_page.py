import datetime
from pathlib import Path

import pytest
from django.utils import timezone

from articles.models import Article, recent_articles_with_tags
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html import elements, texts

SEED = (
    Path(__file__).resolve().parent.parent / "fixtures" / "plaintext" / "000_fc2e5a0788190f51.txt"
)

pytestmark = pytest.mark.django_db


def seed_blocks():
    blocks = [block.strip() for block in SEED.read_text(encoding="utf-8").split("\n\n")]
    return [block for block in blocks if block]


@pytest.fixture
def reference_page(demo, client):
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_reference_article_renders_every_paragraph_in_order(reference_page):
    section, title, lead, *body, furniture = seed_blocks()
    assert furniture == "Mer fra Dagsavisen"
    assert len(elements(reference_page, "article", **{"class": "article"})) == 1
    assert texts(reference_page, "h1") == [title]
    assert lead in texts(reference_page, "p", **{"class": "article__lead"})
    assert section in texts(
        reference_page, "p", **{"class": "section-label section-label--verden"}
    )

    body_blocks = [
        element["text"]
        for element in elements(reference_page)
        if element["tag"] in {"p", "h2"} and element["text"] in body
    ]
    assert body_blocks == body


def test_reference_article_subheadings_and_dash_quotes(reference_page):
    subheadings = [
        "Møtes på romsenter?",
        "Tettere etter Ukraina-invasjon",
        "Kan styrke Russland i Ukraina",
        "Presses til forhandlinger?",
        "Sjojgu i Pyongyang",
    ]
    h2s = texts(reference_page, "h2")
    assert [h for h in h2s if h in subheadings] == subheadings
    quotes = texts(reference_page, "p", **{"class": "dash-quote"})
    assert len(quotes) == 2
    assert all(quote.startswith("– ") for quote in quotes)
    assert quotes[1].startswith("– Vi oppfordrer DPRK")


def test_reference_article_has_byline_tags_and_norwegian_dates(reference_page):
    assert "Av NTB" in texts(reference_page, "p", **{"class": "byline"})
    published = elements(reference_page, "time")[0]
    assert published["text"] == "12. september 2023 kl. 14.05"
    assert published["attrs"]["datetime"] == "2023-09-12T14:05:00+02:00"
    tags = texts(reference_page, "li")
    assert "Nord-Korea" in tags
    assert "Russland" in tags


def test_reference_article_footer_links_to_other_published_articles(demo, client):
    article = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Mer fra Dagsavisen" in texts(page, "h2")
    assert len(elements(page, "aside")) == 1
    links = [
        e["attrs"]["href"]
        for e in elements(page, "a")
        if "/20" in e["attrs"].get("href", "") and e["text"] != article.title
    ]
    assert 1 <= len(set(links)) <= 6
    assert article.get_absolute_url() not in links
    for href in set(links):
        assert client.get(href).status_code == 200


def test_publish_and_update_times_are_shown_in_oslo_time(client):
    published = datetime.datetime(2024, 1, 5, 23, 30, tzinfo=datetime.UTC)
    article = ArticleFactory(
        published=True,
        published_at=published,
        updated_at=published + datetime.timedelta(hours=1, minutes=2),
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "/2024/01/06/" in article.get_absolute_url()
    times = texts(page, "time")
    assert times[:2] == ["6. januar 2024 kl. 00.30", "6. januar 2024 kl. 01.32"]
    assert "Oppdatert" in page


def test_update_time_hidden_when_not_later_than_publish_time(client):
    article = ArticleFactory(published=True)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Oppdatert" not in page


@pytest.mark.parametrize(
    "traits",
    [{}, {"scheduled": True}],
    ids=["draft", "future"],
)
def test_unpublished_articles_are_404_and_not_in_footer(client, traits):
    section = SectionFactory()
    hidden = ArticleFactory(section=section, tags=["Felles"], **traits)
    visible = ArticleFactory(published=True, section=section, tags=["Felles"])
    assert client.get(hidden.get_absolute_url()).status_code == 404
    page = client.get(visible.get_absolute_url()).content.decode()
    assert hidden.get_absolute_url() not in page
    assert hidden.title not in page


def footer(article, limit=None):
    """The articles "Mer fra Dagsavisen" links to, in order."""
    rows = article.footer_rows(recent_articles_with_tags(), limit=limit)
    return [Article.objects.get(pk=row.pk) for row in rows]


def test_footer_orders_curated_then_tags_then_section_then_newest(client):
    home = SectionFactory(slug="innenriks", name="Innenriks")
    away = SectionFactory(slug="sport", name="Sport")
    newest = ArticleFactory(published=True, section=away)
    same_section = ArticleFactory(
        published=True, section=home, published_at=timezone.now() - datetime.timedelta(days=3)
    )
    one_tag = ArticleFactory(
        published=True, section=away, tags=["Oslo"],
        published_at=timezone.now() - datetime.timedelta(days=1),
    )  # fmt: skip
    two_tags = ArticleFactory(
        published=True, section=away, tags=["Oslo", "Klima"],
        published_at=timezone.now() - datetime.timedelta(days=2),
    )  # fmt: skip
    curated = ArticleFactory(
        published=True, section=away, published_at=timezone.now() - datetime.timedelta(days=9)
    )
    article = ArticleFactory(
        published=True, section=home, tags=["Oslo", "Klima"], related=[curated],
        published_at=timezone.now() - datetime.timedelta(days=5),
    )  # fmt: skip
    assert footer(article) == [curated, two_tags, one_tag, same_section, newest]


def test_footer_never_has_more_than_six_links(client):
    section = SectionFactory()
    ArticleFactory.create_batch(9, published=True, section=section)
    article = ArticleFactory(published=True, section=section)
    page = client.get(article.get_absolute_url()).content.decode()
    assert len(elements(page, "aside")) == 1
    assert len(elements(page, "h3")) == 6


def test_article_page_query_budget_does_not_grow(client, django_assert_max_num_queries):
    section = SectionFactory()
    people = PersonFactory.create_batch(5)
    others = ArticleFactory.create_batch(8, published=True, section=section, tags=["A", "B"])
    article = ArticleFactory(
        published=True,
        section=section,
        bylines=people,
        tags=["A", "B", "C", "D"],
        related=others[:3],
    )
    # nothing cached: article (URL check, then the whole of it), bylines and tags, sections
    # nav, the worker's copy of the newest articles, curated links, footer teasers, the
    # editor-in-chief, the next scheduled change
    with django_assert_max_num_queries(9):
        response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    assert len(texts(response.content.decode(), "a", **{"class": "byline__name"})) == 5


def test_an_article_read_first_costs_three_queries_once_its_footer_teasers_were_shown(
    client, django_assert_max_num_queries
):
    days = datetime.timedelta(days=1)
    others = ArticleFactory.create_batch(8, published=True, tags=["A", "B"])
    unread = ArticleFactory(
        published=True, tags=["A", "B"], bylines=[PersonFactory()],
        published_at=timezone.now() - days,
    )  # fmt: skip
    read = ArticleFactory(
        published=True, section=SectionFactory(), published_at=timezone.now() - 2 * days
    )
    # Its footer: the six newest articles, which are also the six newest sharing "A" and "B".
    client.get(read.get_absolute_url())
    # The URL check, the article, its bylines and tags (one query): "Mer fra Dagsavisen" is
    # ranked from the worker's copy of the newest articles, and its teasers are those the
    # first page showed.
    with django_assert_max_num_queries(3):
        response = client.get(unread.get_absolute_url())
    footer = response.content.decode().split('<aside class="more-from"', 1)[1]
    newest = sorted(others, key=lambda article: article.published_at, reverse=True)[:6]
    assert texts(footer, "h3") == [article.title for article in newest]


def test_wrong_date_or_section_in_url_redirects_to_canonical(client):
    article = ArticleFactory(published=True)
    wrong = article.get_absolute_url().replace(article.section.slug, "feil-seksjon", 1)
    response = client.get(wrong)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()


def test_unknown_article_gets_norwegian_404(client, db):
    response = client.get("/verden/2023/09/12/finnes-ikke/")
    assert response.status_code == 404
    assert "Vi fant ikke siden" in response.content.decode()


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert('x')</script>",
        '<img src="x" onerror="alert(1)">',
        "[klikk](javascript:alert(1))",
        '<a href="#" onclick="alert(1)">lenke</a>',
        "<iframe src=//evil></iframe>",
    ],
)
def test_hostile_body_never_reaches_the_page(client, hostile):
    article = ArticleFactory(published=True, body=f"Før.\n\n{hostile}\n\nEtter.")
    page = client.get(article.get_absolute_url()).content.decode()
    body = page.split('class="article__body"', 1)[1].split("</div>", 1)[0]
    tags = elements(body)
    assert not [e for e in tags if e["tag"] in {"script", "img", "iframe"}]
    assert not [name for e in tags for name in e["attrs"] if name.startswith("on")]
    assert not [e for e in tags if "javascript:" in e["attrs"].get("href", "")]
    assert [e["text"] for e in tags if e["tag"] == "p"][::2] == ["Før.", "Etter."]


def test_hostile_title_and_lead_are_escaped(client):
    article = ArticleFactory(
        published=True, title="<script>alert(1)</script> Tittel", lead='"><b>ingress</b>'
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "<b>ingress</b>" not in page


def test_tag_and_person_pages_list_only_published_articles(client):
    writer = PersonFactory(name="Åse Ødegård")
    shown = ArticleFactory(published=True, tags=["Bånd"], bylines=[writer])
    hidden = ArticleFactory(tags=["Bånd"], bylines=[writer])
    for url in ("/tema/band/", writer.get_absolute_url()):
        page = client.get(url).content.decode()
        assert shown.title in page
        assert hidden.title not in page
    assert writer.get_absolute_url() == "/person/ase-odegard/"


def test_footer_ranks_shared_tags_only_among_recent_articles(monkeypatch):
    # Ranking by shared tags is bounded to the newest articles, so it stays cheap however
    # large the archive grows.
    monkeypatch.setattr("articles.models.RECENT_ARTICLES", 2)
    days = datetime.timedelta(days=1)
    old_match = ArticleFactory(
        published=True, tags=["Oslo"], published_at=timezone.now() - 30 * days
    )
    recent_match = ArticleFactory(
        published=True, tags=["Oslo"], published_at=timezone.now() - 2 * days
    )
    article = ArticleFactory(published=True, tags=["Oslo"])
    assert footer(article, limit=1) == [recent_match]
    assert old_match in footer(article)


def test_front_page_section_blocks_look_only_at_recent_articles(client, monkeypatch):
    monkeypatch.setattr("articles.models.RECENT_ARTICLES", 3)
    old = ArticleFactory(
        published=True,
        section=SectionFactory(name="Arkiv", slug="arkiv"),
        published_at=timezone.now() - datetime.timedelta(days=400),
    )
    recent = ArticleFactory.create_batch(3, published=True)
    sections = [old.section_id, *(article.section_id for article in recent)]
    rows = Article.objects.published().newest_per_section(4, sections)
    assert old.pk not in {row.pk for row in rows}
    assert {article.pk for article in recent} <= {row.pk for row in rows}


def test_an_articles_tags_link_to_their_pages(client):
    article = ArticleFactory(published=True, tags=["Bånd", "Møter i nord"])
    page = client.get(article.get_absolute_url()).content.decode()
    links = [
        (link["attrs"]["href"], link["text"])
        for link in elements(page, "a")
        if link["attrs"].get("href", "").startswith("/tema/")
    ]
    assert sorted(links) == [("/tema/band/", "Bånd"), ("/tema/moter-i-nord/", "Møter i nord")]
    for href, _name in links:
        assert article.title in client.get(href).content.decode()
