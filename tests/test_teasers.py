"""Listings (front, section, tag and person pages) show each article as a teaser kept between
requests: an edit shows on every listing at once, the queries do not grow with the archive,
and paging and odd tag names still work."""

import datetime
import re

import hypothesis
import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, set_script_prefix
from django.utils import timezone
from hypothesis import strategies as st
from taggit.models import Tag

from articles.jinja import jinja
from articles.models import Article, Image, Section
from articles.teasers import Look
from ops.generations import forget_local_state
from tests.factories import ArticleFactory, ImageFactory, PersonFactory, SectionFactory
from tests.html import elements, texts

pytestmark = pytest.mark.django_db

PER_PAGE = 20


def listings(article):
    person = article.bylines.first()
    return [
        "/",
        article.section.get_absolute_url(),
        reverse("articles:tag", args=[article.tags.first().slug]),
        person.get_absolute_url(),
    ]


def titles(html):
    return [e["text"] for e in elements(html) if e["attrs"].get("class") == "teaser__title"]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def article():
    return ArticleFactory(
        published=True,
        title="Gammel tittel",
        lead="Gammel ingress.",
        section=SectionFactory(name="Nyheter", slug="nyheter"),
        tags=["Valg"],
        bylines=[PersonFactory(name="Kari Skribent")],
    )


def test_an_edited_title_and_lead_show_on_every_listing_at_once(client, article):
    for url in listings(article):
        assert "Gammel tittel" in titles(get(client, url))

    article.title, article.lead = "Ny tittel", "Ny ingress."
    article.save()

    for url in listings(article):
        page = get(client, url)
        assert titles(page) == ["Ny tittel"], url
        assert "Gammel ingress." not in page


def test_a_new_lead_image_shows_on_every_listing_at_once(client, article):
    for url in listings(article):
        get(client, url)
    article.lead_image = ImageFactory(alt_text="Valgvake i Oslo")
    article.save()
    for url in listings(article):
        assert any(
            e["attrs"].get("alt") == "Valgvake i Oslo" for e in elements(get(client, url), "img")
        ), url


def bylines_on(client, url):
    return texts(get(client, url), "span", **{"class": "teaser__byline"})


def test_a_byline_change_shows_on_every_listing_at_once(client, article):
    for url in listings(article):
        assert bylines_on(client, url) == ["Kari Skribent"]
    writer = article.bylines.get()
    writer.name = "Kari Skribent-Hansen"
    writer.save()
    for url in listings(article):
        assert bylines_on(client, url) == ["Kari Skribent-Hansen"], url
    article.byline_set.create(person=PersonFactory(name="Ola Fotograf"), position=1)
    for url in listings(article):
        assert bylines_on(client, url) == ["Kari Skribent-Hansen og Ola Fotograf"], url


def test_a_teaser_title_is_escaped_on_every_listing(client, article):
    article.title = 'Sjefen: «Vi & de» <script>alert("x")</script>'
    article.save()
    for url in listings(article):
        page = get(client, url)
        assert titles(page) == [article.title]
        assert "<script>alert" not in page


def add_articles(count, *, section, person):
    start = timezone.now() - datetime.timedelta(hours=1)
    for n in range(count):
        ArticleFactory(
            published=True,
            published_at=start - datetime.timedelta(days=n),
            section=section,
            tags=["Valg"],
            bylines=[person],
        )


def queries_cold_then_kept(client, url):
    """Queries for a page with nothing cached, then for the next reader's."""
    for alias in settings.CACHES:
        caches[alias].clear()
    forget_local_state()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            get(client, url)
        counts.append(len(captured))
    return counts


@pytest.mark.parametrize("url", ["/", "/nyheter/", "/tema/valg/", "/person/kari-skribent/"])
def test_listing_queries_stay_the_same_from_5_to_50_articles(client, url):
    section = SectionFactory(name="Nyheter", slug="nyheter")
    person = PersonFactory(name="Kari Skribent")
    add_articles(5, section=section, person=person)
    few = queries_cold_then_kept(client, url)
    add_articles(45, section=section, person=person)
    assert queries_cold_then_kept(client, url) == few
    # the next reader's page reads neither the teasers' articles nor their bylines
    first, kept = few
    assert kept <= first - 2


@pytest.mark.parametrize(
    "url, table, owner",
    [
        ("/nyheter/", "articles_section", lambda article: article.section),
        ("/tema/valg/", "taggit_tag", lambda article: article.tags.first()),
        ("/person/kari-skribent/", "articles_person", lambda article: article.bylines.first()),
    ],
)
def test_a_listing_reads_its_section_tag_or_person_again_only_after_a_change(
    client, article, url, table, owner
):
    for alias in settings.CACHES:
        caches[alias].clear()
    forget_local_state()
    get(client, url)
    with CaptureQueriesContext(connection) as captured:
        get(client, url)
    assert not [query for query in captured if f'FROM "{table}"' in query["sql"]]
    renamed = owner(article)
    renamed.name = "Nytt navn"
    renamed.save()
    assert "<h1>Nytt navn</h1>" in get(client, url)


def section_of(count):
    section = SectionFactory(name="Nyheter", slug="nyheter")
    start = timezone.now() - datetime.timedelta(hours=1)
    for n in range(count):
        ArticleFactory(
            published=True,
            title=f"Sak {n}",
            published_at=start - datetime.timedelta(minutes=n),
            section=section,
            tags=["Valg"],
        )


def paging(client, url):
    page = get(client, url)
    return {
        "titles": titles(page),
        "current": texts(page, "li", **{"aria-current": "page"}),
        "previous": 'rel="prev"' in page,
        "next": 'rel="next"' in page,
    }


@pytest.mark.parametrize("url", ["/nyheter/", "/tema/valg/"])
def test_paging_is_right_at_the_last_page_boundary(client, url):
    section_of(2 * PER_PAGE)
    first, last = paging(client, url), paging(client, f"{url}?side=2")
    assert first["titles"][0] == "Sak 0" and len(first["titles"]) == PER_PAGE
    assert first["current"] == ["Side 1 av 2"]
    assert (first["previous"], first["next"]) == (False, True)
    assert last["titles"] == [f"Sak {n}" for n in range(PER_PAGE, 2 * PER_PAGE)]
    assert last["current"] == ["Side 2 av 2"]
    assert (last["previous"], last["next"]) == (True, False)
    assert client.get(f"{url}?side=3").status_code == 404


@pytest.mark.parametrize("url", ["/nyheter/", "/tema/valg/"])
def test_one_article_more_makes_a_page_of_its_own(client, url):
    section_of(2 * PER_PAGE + 1)
    assert paging(client, f"{url}?side=2")["next"]
    last = paging(client, f"{url}?side=3")
    assert last["titles"] == [f"Sak {2 * PER_PAGE}"]
    assert last["current"] == ["Side 3 av 3"]
    assert (last["previous"], last["next"]) == (True, False)


def test_paging_on_past_the_counted_pages(client, monkeypatch):
    monkeypatch.setattr("articles.pagination.LOOKAHEAD_PAGES", 1)
    section_of(2 * PER_PAGE)
    assert paging(client, "/tema/valg/")["current"] == ["Side 1 av 2"]

    ArticleFactory(
        published=True, tags=["Valg"], published_at=timezone.now() - datetime.timedelta(days=9)
    )
    first = paging(client, "/tema/valg/")
    assert first["current"] == ["Side 1"]
    assert first["next"]
    assert paging(client, "/tema/valg/?side=2")["current"] == ["Side 2 av 3"]


@pytest.mark.parametrize(
    "name", ['«Rødt» & "Venstre"', "Barnehage's nye regler", "Ja/nei: 50 % <mer>"]
)
def test_a_tag_with_punctuation_and_quotes_has_a_working_page(client, name):
    tagged = ArticleFactory(published=True, title="Saken", tags=[name])
    tag = Tag.objects.get(name=name)
    page = get(client, reverse("articles:tag", args=[tag.slug]))
    assert texts(page, "h1") == [name]
    assert titles(page) == [tagged.title]
    assert "<mer>" not in page


@pytest.mark.parametrize(
    "published_at",
    [
        datetime.datetime(2023, 9, 12, 12, 5, tzinfo=datetime.UTC),
        # After midnight in Oslo, before it in UTC: the address carries Oslo's date.
        datetime.datetime(2024, 2, 29, 23, 30, tzinfo=datetime.UTC),
    ],
)
@pytest.mark.parametrize("script_prefix", ["/", "/avis/"])
def test_teaser_links_are_the_addresses_the_site_routes(published_at, script_prefix):
    article = ArticleFactory(
        published=True,
        published_at=published_at,
        title="Møtes på Bånd",
    )
    article.get_absolute_url()  # a worker has shown it under the default prefix before
    set_script_prefix(script_prefix)
    try:
        day = timezone.localdate(published_at)
        expected = reverse(
            "articles:article",
            kwargs={
                "section": article.section.slug,
                "year": day.year,
                "month": day.month,
                "day": day.day,
                "slug": article.slug,
            },
        )
        assert article.get_absolute_url() == expected
        assert expected == f"{script_prefix}{article.section.slug}/{day:%Y/%m/%d}/motes-pa-band/"
        assert article.section.get_absolute_url() == reverse(
            "articles:section", args=[article.section.slug]
        )
    finally:
        set_script_prefix("/")


def test_a_teaser_links_to_its_section_under_the_section_s_new_address(client, article):
    section = article.section
    section.slug = "siste-nytt"
    section.save()

    html = get(client, "/")

    assert 'href="/siste-nytt/"' in html
    assert f'href="{article.get_absolute_url()}"' in html
    assert article.get_absolute_url().startswith("/siste-nytt/")


@pytest.mark.parametrize("script_prefix", ["/", "/avis/"])
def test_a_byline_links_to_its_person_under_the_prefix_and_slug_the_site_routes(script_prefix):
    person = PersonFactory(slug="kari-nordmann")
    person.get_absolute_url()  # a worker has shown it under the default prefix before
    set_script_prefix(script_prefix)
    try:
        assert person.get_absolute_url() == reverse("articles:person", args=["kari-nordmann"])
        assert person.get_absolute_url() == f"{script_prefix}person/kari-nordmann/"
        person.slug = "kari-nordmann-2"
        assert person.get_absolute_url() == f"{script_prefix}person/kari-nordmann-2/"
    finally:
        set_script_prefix("/")


def test_three_bylines_read_in_their_order_in_the_byline_and_over_an_opinion_piece(client):
    debatt = SectionFactory(name="Debatt", slug="debatt", opinion=True)
    news = ArticleFactory(published=True, tags=["Valg"])
    opinion = ArticleFactory(published=True, section=debatt)
    for article in (news, opinion):
        # Written in another order than they are placed.
        for position, name in [(2, "Cecilie"), (0, "Anne"), (1, "Bjørn")]:
            article.byline_set.create(person=PersonFactory(name=name), position=position)

    assert bylines_on(client, news.section.get_absolute_url()) == ["Anne, Bjørn og Cecilie"]
    writers = texts(get(client, "/debatt/"), "p", **{"class": "teaser__writer"})
    assert writers == ["Anne, Bjørn og Cecilie"]


def django_template_value(value):
    """``value`` as Django's templates print it."""
    return Template("{{ value }}").render(Context({"value": value}))


READER_TEXT = st.text(
    st.one_of(
        st.sampled_from("<>&'\"«»–;#x0123"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    min_size=1,
    max_size=20,
)


@hypothesis.settings(max_examples=200, deadline=None)
@hypothesis.given(
    title=READER_TEXT, lead=READER_TEXT, section=READER_TEXT, name=READER_TEXT, alt=READER_TEXT
)
def test_a_teaser_prints_any_text_escaped_as_django_s_templates_do(
    title, lead, section, name, alt
):
    article = Article(
        title=title,
        lead=lead,
        slug="sak",
        published_at=datetime.datetime(2024, 5, 17, 10, 0, tzinfo=datetime.UTC),
        section=Section(name=section, slug="nyheter"),
        lead_image=Image(
            file="bilder/foto.jpg",
            width=1600,
            height=900,
            alt_text=alt,
            renditions={"source": "bilder/foto.jpg", "widths": [320, 640]},
        ),
    )
    look = Look.LISTING.value
    html = jinja().get_template("teaser.html").render(teaser=article, bylines=[name], **look)

    assert f">{django_template_value(title)}</a></h2>" in html
    assert f'<p class="teaser__lead">{django_template_value(lead)}</p>' in html
    assert f'/">{django_template_value(section)}</a></p>' in html
    assert f'<span class="teaser__byline">{django_template_value(name)}\n</span>' in html
    assert f' alt="{django_template_value(alt)}" ' in html


PICTURE = re.compile(r"<picture>.*</picture>\n", re.S)
SIZES = re.compile(r' sizes="([^"]*)"')


@pytest.mark.parametrize("look", list(Look))
def test_a_teaser_s_photo_is_the_markup_of_the_site_s_other_photos(look):
    image = Image(
        file="bilder/foto.jpg",
        width=1600,
        height=900,
        alt_text="Valgvake «i» Oslo & Viken",
        renditions={"source": "bilder/foto.jpg", "widths": [320, 640, 960]},
    )
    article = Article(
        title="Sak",
        slug="sak",
        published_at=datetime.datetime(2024, 5, 17, 10, 0, tzinfo=datetime.UTC),
        section=Section(name="Nyheter", slug="nyheter"),
        lead_image=image,
    )
    html = jinja().get_template("teaser.html").render(teaser=article, bylines=None, **look.value)

    [picture] = PICTURE.findall(html)
    sizes = SIZES.search(picture).group(1)
    first = look.value.get("large") or look.value.get("priority")
    loading = {"priority": True} if first else {"lazy": True}
    context = {"image": image, "sizes": sizes, **loading}
    assert picture == render_to_string("includes/picture.html", context)


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2023, month, day, hour, minute, tzinfo=datetime.UTC)
        for month, day, hour, minute in [
            (1, 1, 0, 5), (2, 28, 23, 30), (3, 26, 0, 59), (3, 26, 1, 0), (4, 9, 9, 9),
            (5, 17, 12, 0), (6, 30, 22, 0), (7, 4, 13, 45), (8, 15, 6, 7), (9, 12, 12, 5),
            (10, 29, 0, 30), (10, 29, 1, 30), (11, 11, 11, 11), (12, 31, 23, 59),
        ]
    ],
)  # fmt: skip
def test_a_teaser_s_time_reads_as_on_the_article_page(moment):
    article = Article(
        title="Sak", slug="sak", published_at=moment, section=Section(name="N", slug="n")
    )
    html = jinja().get_template("teaser.html").render(teaser=article, bylines=None)

    assert render_to_string("includes/time.html", {"value": moment}) in html
