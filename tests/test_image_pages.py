import contextlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image as PillowImage

from articles.models import Article
from tests.factories import ArticleFactory, ImageFactory, PersonFactory, SectionFactory
from tests.forms import form_data
from tests.html import elements, texts
from tests.image_files import photo_bytes

pytestmark = pytest.mark.django_db


def media_file(settings, url):
    assert url.startswith(settings.MEDIA_URL)
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def srcset_candidates(srcset):
    return [tuple(candidate.split()) for candidate in srcset.split(", ")]


def test_renditions_exist_in_every_width_and_format_with_the_sizes_claimed(settings):
    image = ImageFactory(file__width=1600, file__height=900)
    assert image.renditions["widths"] == [320, 640, 960, 1280]
    for fmt, expected_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        candidates = srcset_candidates(image.sources[fmt])
        assert [descriptor for _, descriptor in candidates] == ["320w", "640w", "960w", "1280w"]
        for url, descriptor in candidates:
            with PillowImage.open(media_file(settings, url)) as rendition:
                assert rendition.format == expected_format
                width = int(descriptor.removesuffix("w"))
                assert rendition.size == (width, round(width * 900 / 1600))


def test_small_original_is_never_upscaled(settings):
    image = ImageFactory(file__width=500, file__height=400)
    assert image.renditions["widths"] == [320]
    tiny = ImageFactory(file__width=200, file__height=100)
    assert srcset_candidates(tiny.sources["jpeg"]) == [(tiny.sources["src"], "200w")]


def test_open_graph_image_is_a_1200_by_630_crop(settings):
    article = ArticleFactory(published=True, lead_image=ImageFactory(file__width=1000))
    assert article.og_image_url.startswith(settings.MEDIA_URL)
    with PillowImage.open(media_file(settings, article.og_image_url)) as og:
        assert og.size == (1200, 630)
        assert og.format == "JPEG"
    assert ArticleFactory(published=True).og_image_url is None


def test_a_page_never_makes_missing_renditions_but_shows_the_original(client, settings, caplog):
    image = ImageFactory()
    article = ArticleFactory(published=True, lead_image=image)
    for rendition in Path(settings.MEDIA_ROOT, "versjoner").rglob("*"):
        rendition.unlink() if rendition.is_file() else None
    type(image).objects.filter(pk=image.pk).update(renditions={})

    for _ in range(2):
        page = client.get(article.get_absolute_url()).content.decode()
        assert elements(page, "img")[0]["attrs"]["src"] == image.file.url

    assert type(image).objects.get(pk=image.pk).renditions == {}  # no row written
    assert not [f for f in Path(settings.MEDIA_ROOT, "versjoner").rglob("*") if f.is_file()]
    assert [r.getMessage() for r in caplog.records if r.name == "articles.photos"] == [
        f"Bildeversjoner mangler for {image.file.name}; viser originalen"
    ]


def test_image_whose_file_is_gone_is_left_out_of_the_page(client, settings):
    image = ImageFactory()
    article = ArticleFactory(published=True, lead_image=image)
    type(image).objects.filter(pk=image.pk).update(renditions={}, file="bilder/borte.jpg")
    page = client.get(article.get_absolute_url()).content.decode()
    assert not elements(page, "picture")
    assert Article.objects.get(pk=article.pk).og_image_url is None


def test_article_page_shows_lead_image_with_caption_credit_loaded_first(client):
    image = ImageFactory(
        alt_text="Et pansret tog ved en perrong",
        caption="Toget ankommer grensen.",
        photographer=PersonFactory(name="Ola Fotograf"),
        credit="NTB",
    )
    article = ArticleFactory(published=True, lead_image=image)
    page = client.get(article.get_absolute_url()).content.decode()
    [figure] = elements(page, "figure")
    assert figure["text"] == "Toget ankommer grensen. Foto: Ola Fotograf / NTB"
    [img] = elements(page, "img")
    assert img["attrs"]["alt"] == "Et pansret tog ved en perrong"
    assert (img["attrs"]["width"], img["attrs"]["height"]) == ("1600", "900")
    assert img["attrs"]["loading"] == "eager"
    assert img["attrs"]["fetchpriority"] == "high"
    assert img["attrs"]["sizes"]
    [source] = elements(page, "source")
    assert source["attrs"]["type"] == "image/webp"
    assert source["attrs"]["srcset"] == image.sources["webp"]
    assert img["attrs"]["srcset"] == image.sources["jpeg"]


def test_per_article_caption_replaces_the_library_caption(client):
    image = ImageFactory(caption="Arkivbilde av toget.", credit="NTB")
    article = ArticleFactory(
        published=True, lead_image=image, lead_image_caption="Toget søndag morgen."
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert [f["text"] for f in elements(page, "figcaption")] == ["Toget søndag morgen. Foto: NTB"]


def test_deleting_an_image_leaves_the_article_without_a_lead_image_and_removes_files(
    client, settings, django_capture_on_commit_callbacks
):
    article = ArticleFactory(published=True, lead_image=ImageFactory())
    files = [
        media_file(settings, url)
        for url, _ in srcset_candidates(article.lead_image.sources["webp"])
    ]
    files.append(Path(settings.MEDIA_ROOT) / article.lead_image.file.name)
    assert all(path.exists() for path in files)
    with django_capture_on_commit_callbacks(execute=True):
        type(article.lead_image).objects.filter(pk=article.lead_image.pk).delete()
    article.refresh_from_db()
    assert article.lead_image is None
    assert client.get(article.get_absolute_url()).status_code == 200
    assert not any(path.exists() for path in files)


def image_files(settings, image):
    urls = [url for fmt in ("webp", "jpeg") for url, _ in srcset_candidates(image.sources[fmt])]
    paths = [media_file(settings, url) for url in urls]
    return [*paths, media_file(settings, image.og_image_url), Path(image.file.path)]


def test_a_replaced_photo_file_leaves_no_old_files_behind(
    client, settings, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    other = ImageFactory()
    article = ArticleFactory(published=True, lead_image=image)
    old_files = image_files(settings, image)
    assert all(path.exists() for path in old_files)

    with django_capture_on_commit_callbacks(execute=True):
        image.file = ContentFile(photo_bytes(1200, 800), name="ny.jpg")  # as the admin does
        image.save()

    assert not any(path.exists() for path in old_files)
    assert all(path.exists() for path in image_files(settings, image))
    assert all(path.exists() for path in image_files(settings, other))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_renditions_of_a_new_file_are_made_once_the_save_is_committed(
    client, settings, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    article = ArticleFactory(published=True, body=f"Før.\n\n![Toget](bilde:{image.pk})\n\nEtter.")
    with django_capture_on_commit_callbacks(execute=True):
        image.file = ContentFile(photo_bytes(1200, 800), name="ny.jpg")
        image.save()
        assert not image.has_current_renditions  # nothing encoded inside the transaction

    image = type(image).objects.get(pk=image.pk)
    assert all(path.exists() for path in image_files(settings, image))
    page = client.get(article.get_absolute_url()).content.decode()
    body = page.split('class="article__body"', 1)[1]
    assert elements(body, "img")[0]["attrs"]["srcset"] == image.sources["jpeg"]


def test_a_photo_save_that_is_rolled_back_makes_no_renditions(
    settings, django_capture_on_commit_callbacks
):
    image = ImageFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        image.file = ContentFile(photo_bytes(1200, 800), name="ny.jpg")
        image.save()
        transaction.set_rollback(True)
    assert callbacks == []
    assert not list(Path(settings.MEDIA_ROOT, "versjoner").rglob("ny*"))


def test_a_file_another_photo_still_shows_is_kept(settings, django_capture_on_commit_callbacks):
    image = ImageFactory()
    twin = ImageFactory()
    type(twin).objects.filter(pk=twin.pk).update(file=image.file.name, renditions=image.renditions)
    twin.refresh_from_db()
    shared_files = image_files(settings, image)

    with django_capture_on_commit_callbacks(execute=True):
        image.file = ContentFile(photo_bytes(1200, 800), name="ny.jpg")
        image.save()

    assert all(path.exists() for path in shared_files)
    assert all(path.exists() for path in image_files(settings, twin))


def test_a_replaced_or_cleared_portrait_is_deleted_once_saved(
    client, editor, django_capture_on_commit_callbacks
):
    person = PersonFactory(photo=ContentFile(photo_bytes(300, 300), name="gammel.jpg"))
    first, first_url = Path(person.photo.path), person.photo.url
    change = reverse("admin:articles_person_change", args=[person.pk])

    def save_form(**changes):
        data = form_data(client.get(change).content.decode(), "person_form", **changes)
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(change, data).status_code == 302
        person.refresh_from_db()

    new_photo = SimpleUploadedFile("ny.jpg", photo_bytes(300, 300), content_type="image/jpeg")
    save_form(photo=new_photo)
    second = Path(person.photo.path)
    assert second.exists()
    assert not first.exists()
    assert client.get(first_url).status_code == 404

    save_form(**{"photo-clear": "on"})
    assert not person.photo
    assert not second.exists()


def test_a_portrait_stays_when_the_change_is_rolled_back_or_another_person_shows_it(
    django_capture_on_commit_callbacks,
):
    person = PersonFactory(photo=ContentFile(photo_bytes(300, 300), name="felles.jpg"))
    kept = Path(person.photo.path)
    with (
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        person.photo = None
        person.save()
        raise RuntimeError("the rest of the change failed")
    assert kept.exists()
    person.refresh_from_db()
    assert person.photo.name == "people/felles.jpg"

    twin = PersonFactory(photo=person.photo.name)
    with django_capture_on_commit_callbacks(execute=True):
        twin.photo = None
        twin.save()
        person.delete()
    assert not kept.exists()  # the last person showing it is gone


@pytest.mark.parametrize("page_kind", ["front", "section", "tag", "person", "search"])
def test_listings_show_lazy_thumbnails_within_their_query_budget(
    client, django_assert_max_num_queries, page_kind
):
    section = SectionFactory(slug="innenriks", name="Innenriks")
    writer = PersonFactory(slug="kari")
    ArticleFactory(published=True, section=section, tags=["Oslo"], bylines=[writer])
    articles = [
        ArticleFactory(
            published=True,
            section=section,
            tags=["Oslo"],
            bylines=[writer],
            title="Oslo bygger",
            lead_image=ImageFactory(),
        )
        for _ in range(6)
    ]
    url = {
        "front": "/",
        "section": "/innenriks/",
        "tag": "/tema/oslo/",
        "person": "/person/kari/",
        "search": "/sok/?q=bygger",
    }[page_kind]
    # sections nav, the section or tag, a page count, the articles with their lead images,
    # their bylines + the page cache's check for the next scheduled change (search: its own
    # two steps) + on the front page and section fronts, the desk's placements + the
    # editor-in-chief in the page footer
    budget = {"front": 8, "section": 8, "tag": 7, "person": 7, "search": 8}[page_kind]
    with django_assert_max_num_queries(budget):
        response = client.get(url)
    page = response.content.decode()
    images = elements(page, "img")
    assert len(images) == 6
    assert {img["attrs"]["src"] for img in images} == {
        a.lead_image.sources["src"] for a in articles
    }
    # The first photo on the page comes first; the rest wait until the reader scrolls to them.
    assert [img["attrs"]["loading"] for img in images] == ["eager"] + ["lazy"] * 5
    assert [img["attrs"].get("fetchpriority") for img in images] == ["high"] + [None] * 5
    assert all(img["attrs"]["width"] and img["attrs"]["height"] for img in images)


def test_footer_teasers_have_thumbnails_and_the_page_keeps_its_budget(
    client, django_assert_max_num_queries
):
    section = SectionFactory()
    others = [
        ArticleFactory(published=True, section=section, tags=["A"], lead_image=ImageFactory())
        for _ in range(6)
    ]
    article = ArticleFactory(
        published=True,
        section=section,
        tags=["A", "B"],
        related=others[:2],
        bylines=PersonFactory.create_batch(3),
        lead_image=ImageFactory(photographer=PersonFactory()),
    )
    # sections nav, article with its lead image and photographer, bylines, tags, footer picks,
    # the editor-in-chief in the page footer
    with django_assert_max_num_queries(10):
        response = client.get(article.get_absolute_url())
    page = response.content.decode()
    [aside] = page.split("<aside", 1)[1:]
    footer_images = elements(aside, "img")
    assert len(footer_images) == 6
    assert all(img["attrs"]["loading"] == "lazy" for img in footer_images)


def test_body_places_a_library_image_as_a_figure_with_srcset(client):
    image = ImageFactory(caption="Putin i Vladivostok.", credit="Reuters")
    article = ArticleFactory(
        published=True, body=f"Før bildet.\n\n![Putin på talerstolen](bilde:{image.pk})\n\nEtter."
    )
    page = client.get(article.get_absolute_url()).content.decode()
    body = page.split('class="article__body"', 1)[1].split("</div>", 1)[0]
    [figure] = elements(body, "figure")
    assert figure["text"] == "Putin i Vladivostok. Foto: Reuters"
    [img] = elements(body, "img")
    assert img["attrs"]["alt"] == "Putin på talerstolen"
    assert img["attrs"]["srcset"] == image.sources["jpeg"]
    assert img["attrs"]["loading"] == "lazy"
    assert elements(body, "source")[0]["attrs"]["srcset"] == image.sources["webp"]
    assert [e["text"] for e in elements(body, "p")] == ["Før bildet.", "Etter."]


def test_body_image_without_alt_text_uses_the_library_alt_text(client):
    image = ImageFactory(alt_text="Et tog")
    article = ArticleFactory(published=True, body=f"![](bilde:{image.pk})")
    assert elements(article.body_html, "img")[0]["attrs"]["alt"] == "Et tog"


@pytest.mark.parametrize(
    "reference",
    [
        "![sporing](https://annonse.example/piksel.gif)",
        "![lokal](/media/bilder/noe.jpg)",
        "![inne i tekst](bilde:{pk}) med mer tekst",
    ],
)
def test_other_image_references_show_only_their_alt_text(reference):
    image = ImageFactory()
    article = ArticleFactory(body=reference.format(pk=image.pk))
    assert not elements(article.body_html, "img")
    assert not elements(article.body_html, "figure")


def test_unknown_library_image_is_a_form_error_for_the_editor():
    article = ArticleFactory.build(section=SectionFactory(), body="![x](bilde:987654)")
    with pytest.raises(ValidationError) as error:
        article.full_clean()
    assert "Fant ikke bilde 987654 i bildearkivet." in error.value.message_dict["body"]


def test_hostile_caption_in_a_body_figure_is_shown_as_text():
    image = ImageFactory(caption='<img src=x onerror="alert(1)">Bildetekst', alt_text='"><script>')
    article = ArticleFactory(body=f"![](bilde:{image.pk})")
    tags = elements(article.body_html)
    assert [e["tag"] for e in tags if e["tag"] in {"img", "script"}] == ["img"]
    assert not [name for e in tags for name in e["attrs"] if name.startswith("on")]
    assert (
        '<img src=x onerror="alert(1)">Bildetekst'
        in elements(article.body_html, "figcaption")[0]["text"]
    )


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://annonse.example/p.gif" alt="x">',
        '<img src="//annonse.example/p.gif" alt="x">',
        '<img src="/media/../admin/x" alt="x">',
        '<img src="/media/a.jpg" srcset="/media/a.jpg 320w, https://annonse.example/b.jpg 640w">',
        '<picture><source srcset="javascript:alert(1) 1x"><img src="/media/a.jpg"></picture>',
        '<img src="/media/a.jpg" onerror="alert(1)" onload="alert(2)">',
    ],
)
def test_sanitiser_keeps_only_image_urls_from_our_own_media(html):
    from articles.markup import sanitise_html

    cleaned = elements(sanitise_html(html))
    urls = [
        value
        for element in cleaned
        for name, value in element["attrs"].items()
        if name in {"src", "srcset"}
    ]
    assert all(url.startswith("/media/") and ".." not in url for url in urls)
    assert all("annonse" not in url and "javascript" not in url for url in urls)
    assert not [name for e in cleaned for name in e["attrs"] if name.startswith("on")]


def test_editing_an_image_without_a_new_file_keeps_file_and_renditions(admin_client):
    image = ImageFactory(caption="Gammel")
    before = (image.file.name, image.renditions)
    response = admin_client.post(
        f"/admin/articles/image/{image.pk}/change/",
        {"alt_text": image.alt_text, "caption": "Ny bildetekst", "credit": "NTB"},
    )
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "Ny bildetekst"
    assert (image.file.name, image.renditions) == before


def test_article_admin_offers_the_lead_image_fields(admin_client):
    train = ImageFactory(alt_text="Et tog i skumringen")
    ImageFactory(alt_text="En kornåker", caption="Korn")
    page = admin_client.get("/admin/articles/article/add/").content.decode()
    assert 'name="lead_image"' in page
    assert 'name="lead_image_caption"' in page
    search = admin_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
            "term": "tog",
        },
    )
    assert [result["id"] for result in search.json()["results"]] == [str(train.pk)]


def test_body_figures_follow_their_photo_when_it_changes_or_goes(client):
    image = ImageFactory(caption="Gammel bildetekst.", credit="")
    article = ArticleFactory(published=True, body=f"Før.\n\n![Toget](bilde:{image.pk})\n\nEtter.")
    token = article.edit_token

    image.caption = "Ny bildetekst."
    image.save()
    page = client.get(article.get_absolute_url()).content.decode()
    assert texts(page, "figcaption") == ["Ny bildetekst."]
    article.refresh_from_db()
    assert article.edit_token == token  # an editor's open form is not made stale

    image.delete()
    page = client.get(article.get_absolute_url()).content.decode()
    body = page.split('class="article__body"', 1)[1].split("</div>", 1)[0]
    assert elements(body, "figure") == []
    assert [e["text"] for e in elements(body, "p")] == ["Før.", "Etter."]
