import json

import pytest
from django.core.management import CommandError, call_command

from articles.management.commands.load_demo import DEMO_FIXTURES
from articles.models import Article, Image, Person, Section
from articles.views import FrontPageView


@pytest.mark.django_db(transaction=True)
def test_demo_fixtures_load_on_an_empty_database():
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    assert set(Section.objects.values_list("slug", flat=True)) >= {
        "nyheter", "innenriks", "verden", "kultur", "debatt", "sport",
    }  # fmt: skip
    published = Article.objects.published()
    assert published.values("section").distinct().count() == 6
    assert Person.objects.filter(name="NTB", kind=Person.Kind.AGENCY).exists()
    assert all(article.body_html for article in Article.objects.all())


@pytest.mark.django_db(transaction=True)
def test_demo_content_fills_the_front_page_like_a_days_paper(client):
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    context = client.get("/").context
    assert "<img" in context["lead_article"]
    assert len(context["latest"]) == FrontPageView.latest_count - 1
    blocks = dict(context["section_blocks"])
    # Every section on the front gets a full block, Debatt and Sport included.
    shown_sections = {section.slug for section in blocks}
    assert shown_sections == set(
        Section.objects.filter(on_front=True).values_list("slug", flat=True)
    )
    assert {"debatt", "sport"} <= shown_sections
    assert all(len(articles) == FrontPageView.per_section for articles in blocks.values())


@pytest.mark.django_db(transaction=True)
def test_every_demo_article_has_bylines_tags_and_most_a_credited_photo():
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    published = Article.objects.published()
    for article in published:
        assert article.bylines.exists(), article.title
        assert article.tags.exists(), article.title
        assert "<h2" in article.body_html, article.title
    with_photo = published.filter(lead_image__isnull=False)
    assert with_photo.count() > published.count() / 2
    for image in Image.objects.all():
        assert image.alt_text
        assert "Illustrasjon" in image.caption, image.file.name


@pytest.mark.django_db(transaction=True)
def test_loading_twice_changes_nothing():
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    before = Article.objects.count()
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    assert Article.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_malformed_fixture_fails_clearly_and_writes_nothing(tmp_path):
    good_section = {"model": "articles.section", "pk": 90, "fields": {"name": "Ny", "slug": "ny"}}
    broken_article = {
        "model": "articles.article",
        "pk": 91,
        "fields": {"title": "Uten seksjon", "section": 999, "lead": "x", "body": "y"},
    }
    path = tmp_path / "broken.json"
    path.write_text(json.dumps([good_section, broken_article]), encoding="utf-8")
    with pytest.raises(Exception, match="broken"):
        call_command("loaddata", str(path), verbosity=0)
    assert not Section.objects.filter(slug="ny").exists()
    assert not Article.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_fixture_that_is_not_json_fails_clearly(tmp_path):
    path = tmp_path / "notjson.json"
    path.write_text('[{"model": "articles.section", ', encoding="utf-8")
    with pytest.raises(Exception, match="notjson"):
        call_command("loaddata", str(path), verbosity=0)
    assert not Section.objects.exists()


def test_unknown_fixture_name_is_an_error(db):
    with pytest.raises(CommandError):
        call_command("loaddata", "finnes-ikke", verbosity=0)


@pytest.mark.parametrize(
    "command", [["load_demo"], ["loaddata", *DEMO_FIXTURES]], ids=["load_demo", "loaddata"]
)
@pytest.mark.django_db(transaction=True)
def test_demo_content_brings_the_photos_with_their_renditions(client, settings, command):
    call_command(*command, verbosity=0)
    images = list(Image.objects.all())
    assert len(images) >= 5
    for image in images:
        assert (settings.MEDIA_ROOT / image.file.name).is_file()
        assert image.has_current_renditions
    reference = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    page = client.get(reference.get_absolute_url()).content.decode()
    assert "Kims pansrede tog krysset tirsdag grensen til Russland. Illustrasjon." in page
    assert client.get(reference.og_image_url).status_code == 200
    with_body_image = Article.objects.get(body__contains="](bilde:")
    assert "<figure>" in with_body_image.body_html
    assert "srcset=" in with_body_image.body_html


@pytest.mark.django_db(transaction=True)
def test_demo_whose_photo_files_went_missing_still_shows_every_page(client, settings):
    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)
    for path in (settings.MEDIA_ROOT / "bilder").rglob("*"):
        if path.is_file():
            path.unlink()
    for article in Article.objects.published():
        assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/").status_code == 200
