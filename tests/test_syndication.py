"""RSS feeds, sitemaps and robots.txt: what feed readers and crawlers get."""

import datetime
import html
import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from articles.models import AboutPage, Article, ArticleUpdate, PfuRuling
from tests.factories import (
    ArticleFactory,
    ArticleUpdateFactory,
    ImageFactory,
    PersonFactory,
    SectionFactory,
)
from tests.html import elements

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
DC_CREATOR = "{http://purl.org/dc/elements/1.1/}creator"
HOSTILE = '</title></script><script>alert(1)</script> «Sitat» & "mer" <b>'


def absolute(path):
    return f"http://testserver{path}"


def ago(**kwargs):
    return timezone.now() - datetime.timedelta(**kwargs)


def xml(response):
    assert response.status_code == 200
    return ET.fromstring(response.content)  # noqa: S314 - our own response, not untrusted input


def feed_items(response):
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    return xml(response).findall("./channel/item")


def sitemap_locations(response):
    return [loc.text for loc in xml(response).iter(f"{SITEMAP}loc")]


@pytest.fixture
def unpublished():
    """A draft and a scheduled article with everything a published one could have."""
    writer = PersonFactory(name="Skjult Skribent")
    section = SectionFactory(name="Skjult", slug="skjult")
    return [
        ArticleFactory(section=section, bylines=[writer], tags=["Hemmelig"]),
        ArticleFactory(scheduled=True, section=section, bylines=[writer], tags=["Hemmelig"]),
        ArticleFactory(
            status="published",
            published_at=ago(hours=1) + datetime.timedelta(days=2),
            section=section,
            bylines=[writer],
        ),
    ]


# RSS


def test_feed_lists_exactly_the_published_articles_newest_first(client, unpublished):
    older = ArticleFactory(published=True, published_at=ago(hours=5))
    newer = ArticleFactory(published=True, published_at=ago(minutes=5))
    items = feed_items(client.get("/rss/"))
    assert [item.findtext("link") for item in items] == [
        absolute(newer.get_absolute_url()),
        absolute(older.get_absolute_url()),
    ]


def test_feed_item_has_title_lead_authors_categories_and_publish_time(client):
    section = SectionFactory(name="Nyheter", slug="nyheter")
    people = [PersonFactory(name="Åse Ødegård"), PersonFactory(name="Bjørn Bæk")]
    article = ArticleFactory(
        published=True,
        section=section,
        title="Bølger på Årøya – «rekordhøye»",
        lead="Ærlig talt: øya får ødelagt brygga.",
        bylines=people,
        tags=["Vær", "Kyst"],
    )
    response = client.get("/rss/")
    assert "Bølger på Årøya".encode() in response.content
    [item] = feed_items(response)
    assert item.findtext("title") == article.title
    assert item.findtext("description") == article.lead
    assert item.findtext(DC_CREATOR) == "Åse Ødegård og Bjørn Bæk"
    assert [category.text for category in item.findall("category")] == ["Nyheter", "Vær", "Kyst"]
    published = parsedate_to_datetime(item.findtext("pubDate"))
    assert published == article.published_at.replace(microsecond=0)


def test_feed_escapes_hostile_titles_and_leads_arrive_as_text(client):
    article = ArticleFactory(published=True, title=HOSTILE, lead=HOSTILE)
    [item] = feed_items(client.get("/rss/"))
    assert item.findtext("title") == article.title
    # A feed reader reads the description as HTML: the lead must be its text, no element.
    description = item.findtext("description")
    assert elements(description) == []
    assert html.unescape(description) == article.lead


def test_feed_items_carry_their_lead_photo_as_an_enclosure(client):
    photographed = ArticleFactory(published=True, lead_image=ImageFactory())
    ArticleFactory(published=True, published_at=ago(days=1))  # no photo
    with_photo, without_photo = feed_items(client.get("/rss/"))
    [enclosure] = with_photo.findall("enclosure")
    assert enclosure.get("url") == "http://testserver" + photographed.og_image_url
    assert enclosure.get("type") == "image/jpeg"
    assert enclosure.get("length") == "0"  # unknown, as the RSS Best Practices Profile allows
    photo = client.get(enclosure.get("url"))
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"
    assert without_photo.findall("enclosure") == []


def test_section_feed_lists_only_that_sections_published_articles(client, unpublished):
    culture = SectionFactory(name="Kultur", slug="kultur")
    mine = ArticleFactory(published=True, section=culture)
    ArticleFactory(published=True)
    ArticleFactory(section=culture)
    response = client.get("/kultur/rss/")
    channel = xml(response).find("channel")
    assert channel.findtext("title") == "Kultur – Dagsavisen"
    assert channel.findtext("link") == absolute(culture.get_absolute_url())
    assert [item.findtext("link") for item in feed_items(response)] == [
        absolute(mine.get_absolute_url())
    ]
    assert feed_items(client.get("/skjult/rss/")) == []


def test_feed_of_unknown_section_is_404(client):
    assert client.get("/finnes-ikke/rss/").status_code == 404


def test_feeds_use_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    section = SectionFactory(slug="verden")
    for _ in range(10):
        ArticleFactory(
            published=True,
            section=section,
            bylines=PersonFactory.create_batch(2),
            tags=["Nord-Korea", "Russland"],
        )
    # articles with their section, bylines, tags
    # + the page cache's check for the next scheduled article
    with django_assert_max_num_queries(4):
        assert len(feed_items(client.get("/rss/"))) == 10
    # and the section itself
    # + the page cache's check for the next scheduled article
    with django_assert_max_num_queries(5):
        assert len(feed_items(client.get("/verden/rss/"))) == 10


def test_pages_announce_their_feeds(client):
    section = SectionFactory(name="Sport", slug="sport")
    front = client.get("/").content.decode()
    assert '<link rel="alternate" type="application/rss+xml" title="Dagsavisen" href="/rss/">' in (
        front
    )
    page = client.get(section.get_absolute_url()).content.decode()
    assert 'href="/sport/rss/"' in page
    assert client.get("/sport/rss/").status_code == 200


# Sitemaps


def test_sitemap_index_names_every_sitemap_and_each_parses(client):
    ArticleFactory(published=True, bylines=[PersonFactory()], tags=["Oslo"])
    locations = sitemap_locations(client.get("/sitemap.xml"))
    assert locations == [
        absolute(f"/sitemap-{name}.xml")
        for name in ("seksjoner", "artikler", "tema", "personer", "sider")
    ]
    for location in locations[:-1]:
        assert len(sitemap_locations(client.get(location))) == 1
    assert len(sitemap_locations(client.get(locations[-1]))) == 3


def test_article_sitemap_lists_exactly_the_published_articles(client, unpublished):
    articles = ArticleFactory.create_batch(3, published=True)
    assert sorted(sitemap_locations(client.get("/sitemap-artikler.xml"))) == sorted(
        absolute(article.get_absolute_url()) for article in articles
    )


def test_article_sitemap_lastmod_is_the_last_change(client):
    article = ArticleFactory(published=True)
    [url] = xml(client.get("/sitemap-artikler.xml")).findall(f"{SITEMAP}url")
    lastmod = datetime.datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))
    assert lastmod == article.modified_at.replace(microsecond=0)


def test_scheduled_article_lastmod_is_not_before_it_went_out(client):
    article = ArticleFactory(published=True, published_at=ago(hours=1))
    # saved days before its publish time, as a scheduled article is
    type(article).objects.filter(pk=article.pk).update(modified_at=ago(days=3))
    [url] = xml(client.get("/sitemap-artikler.xml")).findall(f"{SITEMAP}url")
    lastmod = datetime.datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))
    assert lastmod == article.published_at.replace(microsecond=0)


def test_section_topic_and_person_sitemaps_list_only_pages_with_published_articles(
    client, unpublished
):
    writer = PersonFactory(name="Kari Solberg")
    section = SectionFactory(name="Kultur", slug="kultur")
    SectionFactory(name="Tom", slug="tom")
    ArticleFactory(published=True, section=section, bylines=[writer], tags=["Bånd"])
    assert sitemap_locations(client.get("/sitemap-seksjoner.xml")) == [absolute("/kultur/")]
    assert sitemap_locations(client.get("/sitemap-tema.xml")) == [absolute("/tema/band/")]
    assert sitemap_locations(client.get("/sitemap-personer.xml")) == [
        absolute(writer.get_absolute_url())
    ]


def section_sitemap_lastmod(client):
    [url] = xml(client.get("/sitemap-seksjoner.xml")).findall(f"{SITEMAP}url")
    return datetime.datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))


def test_listing_sitemaps_lastmod_is_the_last_change_to_a_published_article(client):
    section = SectionFactory(slug="sport")
    older = ArticleFactory(published=True, section=section, published_at=ago(days=3))
    newest = ArticleFactory(published=True, section=section, published_at=ago(days=1))
    ArticleFactory(scheduled=True, section=section)  # saved just now, but not out yet
    Article.objects.filter(section=section).update(modified_at=F("published_at"))
    assert section_sitemap_lastmod(client) == newest.published_at.replace(microsecond=0)

    edited_at = ago(hours=2)
    Article.objects.filter(pk=older.pk).update(modified_at=edited_at)
    assert section_sitemap_lastmod(client) == edited_at.replace(microsecond=0)


def test_demo_sitemaps_date_pages_by_their_content_not_by_the_load(client):
    call_command("load_demo", verbosity=0)
    index = xml(client.get("/sitemap.xml"))
    locations = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    lastmods = [
        datetime.datetime.fromisoformat(element.text)
        for location in locations
        for element in xml(client.get(location)).iter(f"{SITEMAP}lastmod")
    ]
    lastmods += [datetime.datetime.fromisoformat(e.text) for e in index.iter(f"{SITEMAP}lastmod")]
    assert lastmods
    assert max(lastmods) < ago(days=30)


def test_sitemaps_use_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    for _ in range(10):
        ArticleFactory(published=True, bylines=[PersonFactory()], tags=["A", "B"])
    for name in ("seksjoner", "artikler", "tema", "personer", "sider"):
        with django_assert_max_num_queries(3):
            client.get(f"/sitemap-{name}.xml")
    # Two per listing sitemap, one for the articles, three for the paper's own pages.
    with django_assert_max_num_queries(11):
        client.get("/sitemap.xml")


def paper_pages_lastmod(client):
    urls = xml(client.get("/sitemap-sider.xml")).findall(f"{SITEMAP}url")
    return {
        url.findtext(f"{SITEMAP}loc"): (
            datetime.datetime.fromisoformat(url.findtext(f"{SITEMAP}lastmod"))
            if url.findtext(f"{SITEMAP}lastmod")
            else None
        )
        for url in urls
    }


def test_the_papers_own_pages_are_in_a_sitemap_dated_by_their_own_changes(client, unpublished):
    assert paper_pages_lastmod(client) == {
        absolute("/om-oss/"): None,
        absolute("/rettelser/"): None,
        absolute("/pfu/"): None,
    }

    article = ArticleFactory(published=True)
    corrected_at, ruled_at = ago(days=10), ago(days=5)
    ArticleUpdateFactory(
        article=article, kind=ArticleUpdate.Kind.CORRECTION, created_at=ago(days=12)
    )
    ArticleUpdateFactory(
        article=article, kind=ArticleUpdate.Kind.CORRECTION, created_at=corrected_at
    )
    ArticleUpdateFactory(article=article, kind=ArticleUpdate.Kind.UPDATE, created_at=ago(days=1))
    PfuRuling.objects.create(
        article=article,
        decided_on=datetime.date(2026, 11, 25),
        outcome=PfuRuling.Outcome.CRITICISM,
        case_number="2026-001",
        summary="Kritikk.",
        decision_url="https://presse.no/pfu-sak/2026001/",
        created_at=ruled_at,
    )
    # Entries on articles readers cannot see leave the pages as they were.
    for hidden in unpublished:
        ArticleUpdateFactory(article=hidden, kind=ArticleUpdate.Kind.CORRECTION)
    Article.objects.filter(pk=article.pk).update(modified_at=ago(days=20))
    about = AboutPage.objects.create(editor_in_chief="Mari Moe", contact_email="d@example.no")

    assert paper_pages_lastmod(client) == {
        absolute("/om-oss/"): about.modified_at.replace(microsecond=0),
        absolute("/rettelser/"): corrected_at.replace(microsecond=0),
        absolute("/pfu/"): ruled_at.replace(microsecond=0),
    }

    # Both lists name the article: a new headline changes them.
    retitled_at = ago(hours=1)
    Article.objects.filter(pk=article.pk).update(modified_at=retitled_at)
    lastmods = paper_pages_lastmod(client)
    assert lastmods[absolute("/rettelser/")] == lastmods[absolute("/pfu/")]
    assert lastmods[absolute("/pfu/")] == retitled_at.replace(microsecond=0)


# Google News sitemap


def news_entries(client):
    response = client.get("/news-sitemap.xml")
    assert response["Content-Type"] == "application/xml"
    return xml(response).findall(f"{SITEMAP}url")


def test_news_sitemap_has_the_articles_of_the_last_48_hours(client, unpublished):
    inside = ArticleFactory(published=True, published_at=ago(hours=47, minutes=59))
    fresh = ArticleFactory(published=True, published_at=ago(minutes=1))
    ArticleFactory(published=True, published_at=ago(hours=48, minutes=1))
    locations = [entry.findtext(f"{SITEMAP}loc") for entry in news_entries(client)]
    assert locations == [absolute(fresh.get_absolute_url()), absolute(inside.get_absolute_url())]


def test_news_sitemap_entry_names_publication_language_date_and_title(client):
    article = ArticleFactory(published=True, title=HOSTILE)
    [entry] = news_entries(client)
    news = entry.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Dagsavisen"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "no"
    assert news.findtext(f"{NEWS}title") == article.title
    published = datetime.datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published == article.published_at.replace(microsecond=0)
    assert published.utcoffset() is not None


# robots.txt


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ("/admin/", "/sok/", "/forhandsvisning/"):
        assert f"Disallow: {path}" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/news-sitemap.xml" in lines
    for url in ("/sitemap.xml", "/news-sitemap.xml"):
        assert client.get(url).status_code == 200


# Drafts, scheduled and future articles


@pytest.mark.parametrize(
    "url",
    [
        "/rss/",
        "/skjult/rss/",
        "/sitemap.xml",
        "/sitemap-seksjoner.xml",
        "/sitemap-artikler.xml",
        "/sitemap-tema.xml",
        "/sitemap-personer.xml",
        "/news-sitemap.xml",
    ],
)
def test_unpublished_articles_appear_in_no_feed_or_sitemap(client, unpublished, url):
    ArticleFactory(published=True)
    content = client.get(url).content.decode()
    for article in unpublished:
        assert article.slug not in content
        assert article.title not in content
    assert "hemmelig" not in content.lower()


def test_feed_items_keep_their_identity_when_an_article_moves(client):
    article = ArticleFactory(published=True, section=SectionFactory(slug="verden"))
    [before] = feed_items(client.get("/rss/"))
    article.section = SectionFactory(slug="innenriks", name="Innenriks")
    article.save()
    [after] = feed_items(client.get("/rss/"))
    assert before.findtext("link") != after.findtext("link")
    assert before.findtext("guid") == after.findtext("guid")
    assert after.find("guid").get("isPermaLink") == "false"
