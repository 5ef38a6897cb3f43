"""What search engines read on every kind of reader page: title, description, canonical link."""

import pytest

from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html import elements, texts

pytestmark = pytest.mark.django_db

SITE = "http://testserver"


@pytest.fixture
def site(db):
    """A section and a topic that share a name, a writer and an article by her in both."""
    section = SectionFactory(name="Kultur", slug="kultur", description="")
    writer = PersonFactory(name="Kari Solberg", slug="kari-solberg", bio="")
    article = ArticleFactory(
        published=True,
        section=section,
        tags=["Kultur"],
        bylines=[writer],
        title="Operaen fyller 20 år",
        lead="Huset i Bjørvika feirer med åpen dag.",
    )
    return {"section": section, "writer": writer, "article": article}


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    [title] = texts(page, "title")
    [description] = elements(page, "meta", name="description")
    [canonical] = elements(page, "link", rel="canonical")
    return title, description["attrs"]["content"], canonical["attrs"]["href"]


PAGES = {
    "front": "/",
    "section": "/kultur/",
    "tag": "/tema/kultur/",
    "person": "/person/kari-solberg/",
    "search": "/sok/?q=opera",
}


def test_every_page_type_has_a_description_a_canonical_link_to_itself_and_its_own_title(
    client, site
):
    pages = {**PAGES, "article": site["article"].get_absolute_url()}
    seen_titles = {}
    for kind, url in pages.items():
        title, description, canonical = head(client, url)
        assert description.strip(), kind
        assert canonical == SITE + url, kind
        assert title not in seen_titles, f"{kind} has the title of {seen_titles.get(title)}"
        seen_titles[title] = kind
    assert head(client, "/tema/kultur/")[1] == "Artikler om Kultur fra Dagsavisen."
    assert head(client, "/kultur/")[1] == "Siste nytt i Kultur fra Dagsavisen."
    assert head(client, pages["article"])[1] == "Huset i Bjørvika feirer med åpen dag."


def test_descriptions_come_from_what_the_desk_wrote(client, site):
    site["section"].description = "Film, bøker, musikk og scene."
    site["section"].save()
    site["writer"].bio = "Kari Solberg skriver om kunst og kultur."
    site["writer"].save()
    assert head(client, "/kultur/")[1] == "Film, bøker, musikk og scene."
    assert head(client, "/person/kari-solberg/")[1] == "Kari Solberg skriver om kunst og kultur."


@pytest.mark.parametrize("url", ["/kultur/", "/tema/kultur/", "/person/kari-solberg/"])
def test_later_pages_are_canonical_to_themselves_with_a_title_of_their_own(client, site, url):
    ArticleFactory.create_batch(
        20, published=True, section=site["section"], tags=["Kultur"], bylines=[site["writer"]]
    )
    first_title, _, first_canonical = head(client, url)
    second_title, second_description, second_canonical = head(client, url + "?side=2")
    assert first_canonical == SITE + url
    assert second_canonical == SITE + url + "?side=2"
    assert second_title != first_title
    assert "Side 2." in second_description


def test_tracking_parameters_are_left_out_of_the_canonical_link(client, site):
    assert head(client, "/kultur/?utm_source=nyhetsbrev&side=1")[2] == SITE + "/kultur/"
    assert head(client, "/sok/?q=opera&utm_source=x")[2] == SITE + "/sok/?q=opera"


def test_canonical_links_name_site_url_whatever_host_was_asked_for(client, site, settings):
    settings.SITE_URL = "https://www.dagsavisen.example"
    settings.ALLOWED_HOSTS = ["*"]
    response = client.get("/kultur/", HTTP_HOST="NEWS.EXAMPLE:8080")
    [canonical] = elements(response.content.decode(), "link", rel="canonical")
    assert canonical["attrs"]["href"] == "https://www.dagsavisen.example/kultur/"


def test_error_pages_have_no_canonical_link(client, db):
    response = client.get("/finnes-ikke/")
    assert response.status_code == 404
    assert elements(response.content.decode(), "link", rel="canonical") == []
