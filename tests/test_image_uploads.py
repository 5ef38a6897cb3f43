import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, ImageCms
from PIL import Image as PillowImage

from articles.images import UploadRefused, sanitise_upload
from articles.models import Image
from tests import image_files
from tests.factories import PersonFactory


def upload(data, name="bilde.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored(content_file):
    content_file.seek(0)
    picture = PillowImage.open(io.BytesIO(content_file.read()))
    picture.load()
    return picture


@pytest.mark.parametrize(
    ("data", "name", "expected"),
    [
        (image_files.png_declaring(30000, 30000), "liten.png", "for mange piksler"),
        (image_files.SVG_WITH_SCRIPT, "logo.svg", "SVG, HTML eller annen kode"),
        (image_files.SVG_WITH_SCRIPT, "logo.jpg", "SVG, HTML eller annen kode"),
        (image_files.HTML_PAGE, "bilde.jpg", "SVG, HTML eller annen kode"),
        (b"GIF89a ikke egentlig et bilde", "bilde.gif", "ikke et bilde vi kan bruke"),
        (b"%PDF-1.7\n", "bilde.jpg", "ikke et bilde vi kan bruke"),
        (image_files.jpeg_with_zip_appended(), "bilde.jpg", "kode eller en annen fil"),
        (image_files.jpeg_with_html_comment(), "bilde.jpg", "kode eller en annen fil"),
        (image_files.jpeg_with_html_appended(), "bilde.jpg", "kode eller en annen fil"),
        (image_files.photo_bytes()[:-200], "avbrutt.jpg", "skadet eller ufullstendig"),
    ],
    ids=[
        "png-bomb", "svg-script", "svg-named-jpg", "html-named-jpg", "fake-gif", "pdf",
        "jpeg-zip-polyglot", "jpeg-html-comment", "jpeg-html-appended", "truncated",
    ],
)  # fmt: skip
def test_bad_uploads_are_refused_with_a_norwegian_message(data, name, expected):
    with pytest.raises(UploadRefused) as refused:
        sanitise_upload(upload(data, name))
    assert expected in refused.value.messages[0]


def test_upload_over_the_byte_limit_is_refused_before_decoding(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 10_000
    data = image_files.photo_bytes(2000, 2000, quality=95)
    assert len(data) > 10_000
    with pytest.raises(UploadRefused, match="for stor"):
        sanitise_upload(upload(data))


def test_upload_over_the_pixel_limit_is_refused(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 100 * 100
    with pytest.raises(UploadRefused, match="for mange piksler"):
        sanitise_upload(upload(image_files.photo_bytes(101, 100)))
    assert sanitise_upload(upload(image_files.photo_bytes(100, 100)))


@pytest.mark.parametrize(
    ("fmt", "mode", "stored_format", "extension"),
    [
        ("JPEG", "RGB", "JPEG", "jpg"),
        ("PNG", "RGBA", "PNG", "png"),
        ("WEBP", "RGB", "WEBP", "webp"),
        ("GIF", "P", "PNG", "png"),
    ],
)
def test_accepted_formats_are_reencoded_under_a_random_name(fmt, mode, stored_format, extension):
    data = image_files.photo_bytes(120, 80, fmt=fmt, mode=mode, color=1 if mode == "P" else "red")
    clean = sanitise_upload(upload(data, name="Statsministerens hemmelige møte.jpg"))
    assert clean.name.endswith(f".{extension}")
    assert "hemmelige" not in clean.name
    assert len(clean.name) == 32 + 1 + len(extension)
    assert stored(clean).format == stored_format
    assert stored(clean).size == (120, 80)


def test_format_is_detected_by_decoding_not_by_name():
    png = image_files.photo_bytes(50, 40, fmt="PNG")
    clean = sanitise_upload(upload(png, name="feilnavn.jpg"))
    assert stored(clean).format == "PNG"
    assert clean.name.endswith(".png")


def test_exif_and_gps_are_stripped_and_orientation_kept():
    data = image_files.photo_with_gps_and_orientation(width=400, height=200)
    assert image_files.CAMERA_MAKE.encode() in data
    clean = sanitise_upload(upload(data))
    clean.seek(0)
    raw = clean.read()
    assert image_files.CAMERA_MAKE.encode() not in raw
    assert b"Tatt hjemme" not in raw
    assert b"Exif\x00\x00" not in raw
    picture = stored(clean)
    assert not picture.getexif()
    assert not picture.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    assert "comment" not in picture.info
    # Orientation 6 means "turn 90° clockwise to view": the red left half ends up on top.
    assert picture.size == (200, 400)
    top, bottom = picture.getpixel((100, 5)), picture.getpixel((100, 395))
    assert top[0] > 200 and top[1] < 60  # red
    assert bottom[0] > 200 and bottom[1] > 200  # white


@pytest.mark.parametrize("with_profile", [False, True], ids=["no-profile", "mismatched-profile"])
def test_cmyk_photo_is_stored_as_rgb_with_its_colours(with_profile):
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    options = {"icc_profile": profile} if with_profile else {}
    data = image_files.photo_bytes(mode="CMYK", color=(0, 255, 255, 0), **options)
    picture = stored(sanitise_upload(upload(data)))
    assert picture.mode == "RGB"
    assert "icc_profile" not in picture.info
    red, green, blue = picture.getpixel((10, 10))
    assert red > 200 and green < 60 and blue < 60


def test_photo_with_ordinary_xmp_metadata_is_accepted_and_the_xmp_dropped():
    data = image_files.photo_bytes(xmp=image_files.XMP_PACKET)
    assert b"GPSLatitude" in data
    clean = sanitise_upload(upload(data))
    clean.seek(0)
    assert b"GPSLatitude" not in clean.read()
    assert "xmp" not in stored(clean).info


@pytest.mark.django_db
def test_admin_refuses_an_svg_with_a_clear_message(admin_client):
    response = admin_client.post(
        "/admin/articles/image/add/",
        {"file": upload(image_files.SVG_WITH_SCRIPT, "bilde.jpg"), "alt_text": "Logo"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Filen er SVG, HTML eller annen kode, ikke et bilde." in page
    assert not Image.objects.exists()


@pytest.mark.django_db
def test_admin_upload_stores_a_clean_image_with_renditions(
    admin_client, settings, django_capture_on_commit_callbacks
):
    photographer = PersonFactory(name="Tom Fotograf")
    with django_capture_on_commit_callbacks(execute=True):  # renditions follow the commit
        response = admin_client.post(
            "/admin/articles/image/add/",
            {
                "file": upload(
                    image_files.photo_with_gps_and_orientation(1400, 700), "IMG_0001.jpg"
                ),
                "alt_text": "Kim Jong-un går av toget",
                "caption": "Kim ankommer.",
                "photographer": photographer.pk,
                "credit": "NTB",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    image = Image.objects.get()
    assert "IMG_0001" not in image.file.name
    assert (image.width, image.height) == (700, 1400)
    assert image.credit_line == "Foto: Tom Fotograf / NTB"
    assert image.renditions["widths"] == [320, 640]
    listing = admin_client.get("/admin/articles/image/").content.decode()
    assert image.sources["smallest"] in listing
    assert b"Hemmelig" not in (settings.MEDIA_ROOT / image.file.name).read_bytes()


@pytest.mark.django_db
def test_portrait_uploads_go_through_the_same_checks(admin_client):
    person = PersonFactory(name="Kari Portrett")
    form = {"name": person.name, "slug": person.slug, "kind": "person", "title": "journalist"}
    refused = admin_client.post(
        f"/admin/articles/person/{person.pk}/change/",
        {**form, "photo": upload(image_files.HTML_PAGE, "portrett.jpg")},
    )
    assert "Filen er SVG, HTML eller annen kode" in refused.content.decode()
    accepted = admin_client.post(
        f"/admin/articles/person/{person.pk}/change/",
        {**form, "photo": upload(image_files.photo_with_gps_and_orientation(), "kari.jpg")},
    )
    assert accepted.status_code == 302
    person.refresh_from_db()
    assert "kari" not in person.photo.name
    assert image_files.CAMERA_MAKE.encode() not in person.photo.read()
