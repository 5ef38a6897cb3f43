"""What search engines and social networks read from an article page: meta tags and JSON-LD."""

import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.template import Context, Template
from django.utils import timezone
from PIL import Image

from articles import services
from articles.models import page_article
from articles.templatetags.seo import meta_values
from tests.factories import (
    ArticleFactory,
    ArticleUpdateFactory,
    ImageFactory,
    PersonFactory,
    SectionFactory,
)
from tests.html import elements

pytestmark = pytest.mark.django_db

HOSTILE = '</script><script>alert(1)</script> «Sitat» & "mer" <b>fet</b>'
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def w3c(value):
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def json_ld(page):
    [data] = JSON_LD.findall(page)
    return json.loads(data)


def meta_properties(page):
    """Every Open Graph/Twitter value by its name, in document order."""
    found = {}
    for meta in elements(page, "meta"):
        name = meta["attrs"].get("property") or meta["attrs"].get("name")
        found.setdefault(name, []).append(meta["attrs"].get("content"))
    return found


def canonical(page):
    [link] = elements(page, "link", rel="canonical")
    return link["attrs"]["href"]


@pytest.fixture
def article():
    return ArticleFactory(
        published=True,
        section=SectionFactory(name="Verden", slug="verden"),
        title="Kim Jong-un møtte Putin på romsenteret",
        lead="Nord-Koreas leder ankom Russland med pansret tog.",
        bylines=[PersonFactory(name="Åse Ødegård"), PersonFactory(name="Per Hansen")],
        tags=["Nord-Korea", "Russland"],
    )


@pytest.fixture
def page(client, article):
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_article_page_has_canonical_link_and_description_from_the_lead(page, article):
    assert canonical(page) == f"http://testserver{article.get_absolute_url()}"
    assert meta_properties(page)["description"] == [article.lead]


def test_article_page_has_open_graph_and_twitter_card(page, article):
    meta = meta_properties(page)
    assert meta["og:type"] == ["article"]
    assert meta["og:title"] == [article.title]
    assert meta["og:description"] == [article.lead]
    assert meta["og:url"] == [canonical(page)]
    assert meta["og:site_name"] == ["Dagsavisen"]
    assert meta["og:locale"] == ["nb_NO"]
    assert meta["article:published_time"] == [w3c(article.published_at)]
    assert meta["article:modified_time"] == [w3c(article.published_at)]
    assert meta["article:section"] == ["Verden"]
    assert meta["article:tag"] == ["Nord-Korea", "Russland"]
    assert meta["article:author"] == [
        f"http://testserver{person.get_absolute_url()}" for person in article.ordered_bylines()
    ]
    # No lead image: the small card, and no og:image pointing nowhere.
    assert meta["twitter:card"] == ["summary"]
    assert "og:image" not in meta


def test_json_ld_news_article_has_the_required_properties(page, article):
    data = json_ld(page)
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == article.title
    assert data["description"] == article.lead
    assert data["datePublished"] == w3c(article.published_at)
    assert data["dateModified"] == w3c(article.published_at)
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": canonical(page)}
    assert data["url"] == canonical(page)
    assert data["articleSection"] == "Verden"
    assert data["keywords"] == ["Nord-Korea", "Russland"]
    assert data["inLanguage"] == "nb"
    assert [(author["@type"], author["name"]) for author in data["author"]] == [
        ("Person", "Åse Ødegård"),
        ("Person", "Per Hansen"),
    ]
    assert "image" not in data


def test_lead_image_is_shared_as_a_1200_by_630_image(client):
    article = ArticleFactory(published=True, lead_image=ImageFactory())
    page = client.get(article.get_absolute_url()).content.decode()
    meta = meta_properties(page)
    [og_image] = meta["og:image"]
    assert og_image.startswith("http://testserver/media/")
    assert meta["twitter:card"] == ["summary_large_image"]
    assert json_ld(page)["image"] == [og_image]
    response = client.get(og_image.removeprefix("http://testserver"))
    with Image.open(io.BytesIO(b"".join(response.streaming_content))) as img:
        assert img.size == (1200, 630)


def test_corrections_are_in_json_ld_and_plain_updates_are_not(client, article):
    services.add_article_update(article=article, by=None, kind="update", text="Mer info.")
    services.add_article_update(
        article=article, by=None, kind="correction", text="Navnet var feilstavet."
    )
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    [correction] = data["correction"]
    assert correction["@type"] == "CorrectionComment"
    assert correction["text"] == "Navnet var feilstavet."
    assert correction["datePublished"].startswith(str(timezone.localdate()))


def test_json_ld_publisher_has_a_logo_google_accepts(page):
    publisher = json_ld(page)["publisher"]
    assert publisher["@type"] == "NewsMediaOrganization"
    assert publisher["name"] == "Dagsavisen"
    assert publisher["url"] == "http://testserver/"
    logo = publisher["logo"]
    assert logo["url"] == "http://testserver/static/img/logo.png"
    with Image.open(finders.find("img/logo.png")) as image:
        assert image.format == "PNG"
        assert image.size == (logo["width"], logo["height"])
        assert image.width <= 600
        assert image.height <= 60


def test_agency_byline_is_an_organization_and_no_byline_falls_back_to_the_paper(client):
    agency = ArticleFactory(published=True, bylines=[PersonFactory(agency=True)])
    data = json_ld(client.get(agency.get_absolute_url()).content.decode())
    assert data["author"] == [
        {"@type": "Organization", "name": "NTB", "url": "http://testserver/person/ntb/"}
    ]

    anonymous = ArticleFactory(published=True)
    data = json_ld(client.get(anonymous.get_absolute_url()).content.decode())
    assert data["author"] == [data["publisher"]]
    assert "keywords" not in data


def test_modified_time_follows_the_update_readers_see(client):
    article = ArticleFactory(
        published=True, published_at=timezone.now() - datetime.timedelta(hours=5)
    )
    article.updated_at = timezone.now() - datetime.timedelta(hours=1)
    article.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert json_ld(page)["dateModified"] == w3c(article.updated_at)
    assert meta_properties(page)["article:modified_time"] == [w3c(article.updated_at)]
    assert json_ld(page)["datePublished"] == w3c(article.published_at)


def test_hostile_title_and_lead_cannot_break_out_of_meta_tags_or_json_ld(client):
    article = ArticleFactory(
        published=True, title=HOSTILE, lead=HOSTILE, tags=['"><script>alert(2)</script>']
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(" not in page
    assert "<b>fet</b>" not in page
    assert [script["attrs"] for script in elements(page, "script")] == [
        {"type": "application/ld+json"}
    ]
    data = json_ld(page)
    assert data["headline"] == HOSTILE
    assert data["description"] == HOSTILE
    assert data["keywords"] == ['"><script>alert(2)</script>']
    meta = meta_properties(page)
    assert meta["og:title"] == [HOSTILE]
    assert meta["og:description"] == [HOSTILE]
    assert meta["description"] == [HOSTILE]
    assert meta["article:tag"] == ['"><script>alert(2)</script>']


def test_a_long_lead_is_shared_cut_at_300_characters_while_json_ld_keeps_it_whole(client):
    lead = "Lang ingress om bånd og møter. " * 15  # 465 characters
    article = ArticleFactory(published=True, lead=lead)
    page = client.get(article.get_absolute_url()).content.decode()
    meta = meta_properties(page)
    cut = lead[:299] + "…"
    assert meta["description"] == [cut]
    assert meta["og:description"] == [cut]
    assert json_ld(page)["description"] == lead


@pytest.mark.parametrize("state", ["draft", "scheduled"])
def test_unpublished_article_gets_no_structured_data_only_noindex(rf, state):
    """A preview renders the article page for an article readers cannot see yet."""
    article = ArticleFactory(**{state: True} if state == "scheduled" else {})
    assert not article.is_published
    html = Template("{% load seo %}{% article_meta article %}").render(
        Context({"article": article, "request": rf.get("/")})
    )
    assert not JSON_LD.findall(html)
    meta = meta_properties(html)
    assert meta["robots"] == ["noindex"]
    assert not [name for name in meta if name.startswith(("og:", "article:", "twitter:"))]


def test_draft_and_scheduled_article_pages_are_404(client):
    for article in (ArticleFactory(), ArticleFactory(scheduled=True)):
        assert client.get(article.get_absolute_url()).status_code == 404


def test_share_metadata_costs_no_extra_queries(client, django_assert_max_num_queries):
    people = PersonFactory.create_batch(4)
    article = ArticleFactory(published=True, bylines=people, tags=["A", "B", "C"])
    # nothing cached: article (URL check, then the whole of it), bylines, tags, update notes,
    # four footer picks, sections nav, the editor-in-chief in the page footer + the page cache's
    # check for the next scheduled article
    with django_assert_max_num_queries(12):
        page = client.get(article.get_absolute_url()).content.decode()
    assert len(json_ld(page)["author"]) == 4


# The article page's meta tags as Django's templates wrote them (the Jinja2 template's model).
DJANGO_MARKUP = (Path(__file__).parent / "article_meta_django.html").read_text()


@pytest.mark.parametrize("kind", ["plain", "photo and people", "updated", "draft", "scheduled"])
def test_the_meta_tags_read_as_django_s_templates_wrote_them(kind):
    people = [PersonFactory(name=HOSTILE), PersonFactory(kind="agency", name="NTB")]
    article = ArticleFactory(
        published=kind not in ("draft", "scheduled"),
        scheduled=kind == "scheduled",
        title=HOSTILE,
        lead=HOSTILE * 20,
        tags=[HOSTILE, "Oslo"],
        bylines=people if kind == "photo and people" else [],
        lead_image=ImageFactory() if kind == "photo and people" else None,
    )
    if kind == "updated":
        ArticleUpdateFactory(article=article, kind="correction", text=HOSTILE)
        article.updated_at = timezone.now()
        article.save()
    article = page_article(article.pk)

    jinja = Template("{% load seo %}{% article_meta article %}").render(
        Context({"article": article})
    )
    assert jinja == Template(DJANGO_MARKUP).render(Context(meta_values(article)))
    assert ("noindex" in jinja) == (kind in ("draft", "scheduled"))
