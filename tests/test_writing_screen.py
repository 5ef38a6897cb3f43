"""The writing screen: layout, live preview and photo picker, as a journalist uses them."""

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import BODY_MAX_LENGTH, Article
from articles.photos import Image
from articles.writing import TITLE_RECOMMENDED_LENGTH
from tests import image_files
from tests.admin_helpers import change_url
from tests.factories import (
    ArticleFactory,
    EditorFactory,
    ImageFactory,
    JournalistFactory,
    PersonFactory,
    UserFactory,
)
from tests.html import elements

pytestmark = pytest.mark.django_db

PREVIEW_URL = reverse("admin:articles_article_writing_preview")
SEARCH_URL = reverse("admin:articles_article_photo_search")
UPLOAD_URL = reverse("admin:articles_article_photo_upload")
ADD_URL = reverse("admin:articles_article_add")


def preview(client, **typed):
    return client.post(PREVIEW_URL, {"title": "", "lead": "", "body": "", **typed})


def article_body_on_page(html):
    """The inner HTML of the published page's <div class="article__body">."""
    start = html.index('<div class="article__body">') + len('<div class="article__body">')
    return html[start : html.index("</div>", start)].strip()


# Layout -----------------------------------------------------------------------------------


def test_form_reads_in_the_order_of_the_page(client, journalist):
    page = client.get(ADD_URL).content.decode()
    order = [
        'name="section"',
        'name="title"',
        'name="lead"',
        'name="byline_set-0-person"',
        'name="lead_image"',
        'name="lead_image_caption"',
        'name="body"',
        'name="tags"',
        'name="relatedlink_sources-0-to_article"',
        'name="_save"',
    ]
    positions = [page.index(marker) for marker in order]
    assert positions == sorted(positions)


def test_title_box_states_its_recommended_length(client, journalist):
    page = client.get(ADD_URL).content.decode()
    [title] = elements(page, "textarea", name="title")
    assert "writing-title" in title["attrs"]["class"]
    assert title["attrs"]["data-recommended"] == str(TITLE_RECOMMENDED_LENGTH)
    assert f"høyst {TITLE_RECOMMENDED_LENGTH} tegn" in page


def test_new_article_is_bylined_to_the_journalist_writing_it(client, journalist):
    own = PersonFactory(name="Kari Skribent", user=journalist)
    page = client.get(ADD_URL).content.decode()
    byline = page[page.index('name="byline_set-0-person"') :]
    byline = byline[: byline.index("</select>")]
    [chosen] = [option for option in elements(byline, "option") if "selected" in option["attrs"]]
    assert (chosen["attrs"]["value"], chosen["text"]) == (str(own.pk), "Kari Skribent")


def test_lead_photo_shows_its_thumbnail_and_caption(client, journalist):
    photo = ImageFactory(caption="Bystyret i møte.", credit="NTB")
    article = ArticleFactory(lead_image=photo, created_by=journalist)
    page = client.get(change_url(article)).content.decode()
    [current] = elements(page, "div", id="id_lead_image_current")
    assert "Bystyret i møte." in current["text"]
    assert "Foto: NTB" in current["text"]
    [thumbnail] = [img for img in elements(page, "img") if img["attrs"]["alt"] == photo.alt_text]
    assert thumbnail["attrs"]["src"] == photo.sources["smallest"]


def test_moving_to_the_bin_stands_apart_from_publishing(client, editor):
    article = ArticleFactory(published=True)
    page = client.get(change_url(article)).content.decode()
    save_group = page[page.index('class="writing-actions__save"') :]
    save_group = save_group[: save_group.index("</div>")]
    assert 'name="_unpublish"' in save_group
    assert "deletelink" not in save_group
    [bin_link] = elements(page, "a", **{"class": "deletelink"})
    assert bin_link["text"] == "Legg i papirkurven"


def test_change_form_query_budget_with_a_full_article(
    client, journalist, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(10)
    others = ArticleFactory.create_batch(10)
    article = ArticleFactory(
        created_by=journalist,
        lead_image=ImageFactory(),
        bylines=people,
        tags=[f"Stikkord {number}" for number in range(20)],
        related=others,
    )
    # 19: includes her own autosaved draft, looked up to offer it back
    with django_assert_max_num_queries(19):
        response = client.get(change_url(article))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("selected>Stikkord") == 20
    assert all(person.name in page for person in people)


# Live preview ------------------------------------------------------------------------------


def test_preview_renders_the_seed_article_as_its_published_page(demo, client):
    client.force_login(JournalistFactory())
    seed = Article.objects.get(title__startswith="Kim Jong-un i Russland")
    answer = preview(client, title=seed.title, lead=seed.lead, body=seed.body)
    assert answer.status_code == 200
    published = client.get(seed.get_absolute_url()).content.decode()
    assert answer.json() == {"title": seed.title, "lead": seed.lead, "body_html": seed.body_html}
    assert article_body_on_page(published) == answer.json()["body_html"].strip()


def test_preview_uses_the_published_sanitiser(client, journalist):
    photo = ImageFactory(alt_text="Toget")
    body = (
        "## Mellomtittel\n\n– Et sitat.\n\n<script>alert(1)</script>\n\n"
        f"[lenke](javascript:alert(1))\n\n![Toget](bilde:{photo.pk})"
    )
    html = preview(client, body=body).json()["body_html"]
    assert "<h2>Mellomtittel</h2>" in html
    assert '<p class="dash-quote">– Et sitat.</p>' in html
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "<script" not in html and 'href="javascript' not in html
    assert "<figure>" in html and photo.sources["src"] in html


def test_preview_never_writes(client, journalist):
    article = ArticleFactory(created_by=journalist, title="Som lagret")
    with CaptureQueriesContext(connection) as queries:
        preview(client, title="Noe helt annet", body="Ny tekst.")
    assert all(query["sql"].startswith("SELECT") for query in queries.captured_queries)
    article.refresh_from_db()
    assert article.title == "Som lagret"
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    "user",
    [
        lambda: UserFactory(),  # staff, but in no newsroom group
        lambda: UserFactory(is_staff=False),
    ],
)
def test_preview_refuses_those_who_do_not_write(client, user):
    client.force_login(user())
    assert preview(client, body="Tekst.").status_code in {302, 403}


def test_preview_refuses_anonymous_and_get(client, journalist):
    assert client.get(PREVIEW_URL).status_code == 405
    client.logout()
    answer = preview(client, body="Tekst.")
    assert answer.status_code == 302 and "/login/" in answer["Location"]


def test_preview_needs_the_csrf_token(journalist):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(journalist)
    assert strict.post(PREVIEW_URL, {"body": "Tekst."}).status_code == 403


def test_preview_refuses_a_body_longer_than_an_article_may_be(client, journalist):
    answer = preview(client, body="x" * (BODY_MAX_LENGTH + 1))
    assert answer.status_code == 413
    assert answer.json()["error"] == (
        f"Brødtekst er for lang til forhåndsvisning: høyst {BODY_MAX_LENGTH} tegn."
    )
    assert preview(client, body="x" * BODY_MAX_LENGTH).status_code == 200


# Photo picker ------------------------------------------------------------------------------


def test_picker_lists_the_newest_photos_with_thumbnails(client, journalist):
    older, newer = ImageFactory(), ImageFactory()
    photos = client.get(SEARCH_URL).json()["photos"]
    assert [photo["id"] for photo in photos] == [newer.pk, older.pk]
    assert photos[0]["thumbnail"] == newer.sources["smallest"]


def test_picker_searches_caption_alt_text_and_photographer(client, journalist):
    train = ImageFactory(alt_text="Et tog i skumringen", caption="")
    ImageFactory(alt_text="En kornåker", caption="Korn")
    by_name = ImageFactory(photographer=PersonFactory(name="Fotograf Fjellstad"))
    found = {term: [p["id"] for p in client.get(SEARCH_URL, {"q": term}).json()["photos"]]
             for term in ("skumring", "fjellstad", "ingenting")}  # fmt: skip
    assert found == {"skumring": [train.pk], "fjellstad": [by_name.pk], "ingenting": []}


def test_picker_finds_one_photo_by_id(client, journalist):
    wanted = ImageFactory()
    ImageFactory()
    assert [p["id"] for p in client.get(SEARCH_URL, {"id": wanted.pk}).json()["photos"]] == [
        wanted.pk
    ]


def test_journalist_uploads_a_photo_from_the_picker(client, journalist):
    answer = client.post(
        UPLOAD_URL,
        {
            "file": SimpleUploadedFile("kø.jpg", image_files.photo_bytes(), "image/jpeg"),
            "alt_text": "Folk i kø foran valglokalet",
            "caption": "Lang kø på Grünerløkka.",
            "credit": "NTB",
        },
    )
    assert answer.status_code == 201
    photo = Image.objects.get()
    assert answer.json()["photo"]["id"] == photo.pk
    assert answer.json()["photo"]["credit"] == "Foto: NTB"
    assert photo.alt_text == "Folk i kø foran valglokalet"
    assert not photo.file.name.endswith("kø.jpg")  # stored under a random name, re-encoded
    assert LogEntry.objects.filter(object_id=str(photo.pk), user=journalist).exists()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("side.html", image_files.HTML_PAGE, "image/jpeg"),
            "Filen er SVG, HTML eller annen kode, ikke et bilde.",
        ),
        (
            SimpleUploadedFile("tekst.jpg", b"ikke et bilde", "image/jpeg"),
            "Filen er ikke et bilde vi kan bruke.",
        ),
    ],
)
def test_a_bad_upload_gets_a_norwegian_message_and_saves_nothing(
    client, journalist, upload, message
):
    answer = client.post(UPLOAD_URL, {"file": upload, "alt_text": "Noe"})
    assert answer.status_code == 400
    assert message in " ".join(answer.json()["errors"]["file"])
    assert not Image.objects.exists()


def test_an_upload_without_alt_text_is_refused_in_norwegian(client, journalist):
    file = SimpleUploadedFile("foto.jpg", image_files.photo_bytes(), "image/jpeg")
    answer = client.post(UPLOAD_URL, {"file": file, "alt_text": ""})
    assert answer.status_code == 400
    assert answer.json()["errors"]["alt_text"] == ["Feltet er påkrevet."]
    assert not Image.objects.exists()


def test_picker_needs_the_photo_permissions(client):
    client.force_login(UserFactory())  # staff without the newsroom's groups
    assert client.get(SEARCH_URL).status_code == 403
    file = SimpleUploadedFile("foto.jpg", image_files.photo_bytes(), "image/jpeg")
    assert client.post(UPLOAD_URL, {"file": file, "alt_text": "Noe"}).status_code == 403
    assert not Image.objects.exists()


def test_editor_and_journalist_both_get_the_upload_form(client):
    for role in (JournalistFactory, EditorFactory):
        client.force_login(role())
        page = client.get(ADD_URL).content.decode()
        assert f'action="{UPLOAD_URL}"' in page
