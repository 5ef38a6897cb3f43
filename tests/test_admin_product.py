"""The article list and form an editor works in all day."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.admin_helpers import change_url, changelist_url, open_change_form
from tests.factories import ArticleFactory, PersonFactory, SectionFactory
from tests.html import elements, texts

pytestmark = pytest.mark.django_db


def listed_titles(response):
    return sorted(article.title for article in response.context["cl"].result_list)


def test_list_shows_status_section_time_bylines_and_links(client, editor):
    author = PersonFactory(name="Kari Skribent")
    live = ArticleFactory(title="Live sak", published=True, bylines=[author])
    ArticleFactory(title="Planlagt sak", scheduled=True)
    ArticleFactory(title="Kladdsak")
    page = client.get(changelist_url()).content.decode()
    headers = texts(page, "th", scope="col")
    for header in ["Tittel", "Seksjon", "Status", "Publisert", "Bylines", "På nettstedet"]:
        assert header in headers
    statuses = texts(page, "td", **{"class": "field-publication_status"})
    assert sorted(statuses) == ["Kladd", "Planlagt", "Publisert"]
    assert "Kari Skribent" in page
    assert f'href="{live.get_absolute_url()}"' in page
    filters = texts(page, "summary")
    for title in ["Etter status", "Etter forfatter", "Etter publisert"]:
        assert title in filters


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("publisering=kladd", ["Kladdsak"]),
        ("publisering=planlagt", ["Planlagt sak"]),
        ("publisering=publisert", ["Live sak"]),
        ("q=streik", ["Kladdsak", "Live sak"]),
    ],
)
def test_filters_and_search(client, editor, query, expected):
    ArticleFactory(title="Live sak", published=True, lead="Streik i Oslo.")
    ArticleFactory(title="Planlagt sak", scheduled=True)
    ArticleFactory(title="Kladdsak", lead="Ingen streik ennå.")
    assert listed_titles(client.get(f"{changelist_url()}?{query}")) == expected


def test_filters_by_section_and_author(client, editor):
    kultur = SectionFactory(name="Kultur", slug="kultur")
    author = PersonFactory()
    ArticleFactory(title="Konsert", section=kultur)
    ArticleFactory(title="Med forfatter", bylines=[author])
    assert listed_titles(client.get(f"{changelist_url()}?section__id__exact={kultur.pk}")) == [
        "Konsert"
    ]
    assert listed_titles(client.get(f"{changelist_url()}?bylines__id__exact={author.pk}")) == [
        "Med forfatter"
    ]


def test_list_query_budget_does_not_grow_with_articles(
    client, editor, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(3)
    ArticleFactory.create_batch(30, bylines=people, published=True)
    with django_assert_max_num_queries(14):
        response = client.get(changelist_url())
    assert len(response.context["cl"].result_list) == 30


def test_form_uses_autocomplete_for_section_bylines_related_and_tags(client, editor):
    article = ArticleFactory(tags=["Nord-Korea"])
    page = client.get(change_url(article)).content.decode()
    assert 'data-field-name="section"' in page
    assert 'data-field-name="person"' in page
    assert 'data-field-name="to_article"' in page
    assert 'class="newsroom-tag-autocomplete"' in page
    assert "js/tag-autocomplete.js" in page


def test_tag_search_finds_existing_tags(client, editor):
    ArticleFactory(tags=["Nord-Korea", "Norge", "Sverige"])
    response = client.get(reverse("admin:articles_article_tag_search"), {"term": "nor"})
    assert [item["text"] for item in response.json()["results"]] == ["Nord-Korea", "Norge"]


def test_tag_search_is_closed_to_readers(client):
    response = client.get(reverse("admin:articles_article_tag_search"), {"term": "nor"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_picked_and_new_tags_are_saved_even_with_spaces_and_commas(client, editor):
    article = ArticleFactory(tags=["Nord-Korea"])
    form = open_change_form(client, article)
    form["tags"] = ["Nord-Korea", "Kim Jong-un", "Rom, romfart"]
    assert client.post(change_url(article), form).status_code == 302
    assert sorted(tag.name for tag in Article.objects.get(pk=article.pk).tags.all()) == [
        "Kim Jong-un",
        "Nord-Korea",
        "Rom, romfart",
    ]


def test_view_on_site_opens_the_preview_for_a_draft_and_the_page_when_live(client, editor):
    draft, live = ArticleFactory(), ArticleFactory(published=True)
    for article, expected in [
        (draft, reverse("articles:preview", args=[draft.pk])),
        (live, live.get_absolute_url()),
    ]:
        page = client.get(change_url(article)).content.decode()
        links = [e["attrs"]["href"] for e in elements(page, "a", **{"class": "viewsitelink"})]
        assert links == [expected]


def test_admin_furniture_speaks_norwegian(client, editor):
    page = client.get(reverse("admin:index")).content.decode()
    assert texts(page, "a", **{"class": "skip-to-content-link"}) == ["Hopp til hovedinnholdet"]
    assert "Toggle theme" not in page
    assert "Bytt fargetema (nå: automatisk)" in page
