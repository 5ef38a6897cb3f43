import pytest
from django.core.exceptions import ValidationError

from articles.models import Article, Person, Section
from articles.text import norwegian_slugify
from tests.factories import ArticleFactory, SectionFactory


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Møtes på romsenter?", "motes-pa-romsenter"),
        ("Kim Jong-un i Russland for å sikre seg tettere bånd med Putin",
         "kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin"),
        ("ÆRLIG ØL Å", "aerlig-ol-a"),
        ("Blåbærsyltetøy", "blabaersyltetoy"),
    ],
)  # fmt: skip
def test_slugs_transliterate_norwegian_letters(text, slug):
    assert norwegian_slugify(text) == slug


def test_article_slug_is_made_from_title_and_kept_unique(db):
    first = ArticleFactory(title="Tettere bånd")
    second = ArticleFactory(title="Tettere bånd")
    assert first.slug == "tettere-band"
    assert second.slug == "tettere-band-2"


def test_tag_slugs_are_ascii(db):
    article = ArticleFactory(tags=["Nord-Korea", "Bånd og Ærfugl"])
    assert sorted(tag.slug for tag in article.tags.all()) == ["band-og-aerfugl", "nord-korea"]


def test_section_and_person_slugs(db):
    assert Section.objects.create(name="Økonomi").slug == "okonomi"
    assert Person.objects.create(name="Åse Ødegård").slug == "ase-odegard"


def test_published_is_the_readers_definition(db):
    visible = ArticleFactory(published=True)
    ArticleFactory()
    ArticleFactory(scheduled=True)
    assert list(Article.objects.published()) == [visible]


def test_publishing_without_a_time_stamps_now(db):
    article = ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)
    assert article.published_at is not None
    assert article.is_published


def test_body_html_is_stored_on_save(db):
    article = ArticleFactory(body="## Mellomtittel\n\n– Sitat her, sier hun.")
    article.refresh_from_db()
    assert "<h2>Mellomtittel</h2>" in article.body_html
    assert '<p class="dash-quote">– Sitat her, sier hun.</p>' in article.body_html


def test_article_url_follows_section_and_oslo_date(db):
    import datetime

    article = ArticleFactory(
        published=True,
        section=SectionFactory(slug="verden"),
        title="Møtes på romsenter",
        published_at=datetime.datetime(2023, 9, 12, 22, 30, tzinfo=datetime.UTC),
    )
    assert article.get_absolute_url() == "/verden/2023/09/13/motes-pa-romsenter/"


@pytest.mark.parametrize("slug", ["rss", "tema", "sok", "person"])
def test_sections_cannot_take_the_address_of_a_site_page(db, slug):
    section = Section(name="Ny seksjon", slug=slug)
    with pytest.raises(ValidationError) as error:
        section.full_clean()
    assert error.value.message_dict["slug"] == [
        f"«{slug}» er en fast adresse på nettstedet og kan ikke brukes."
    ]
