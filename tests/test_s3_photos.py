"""Photos in an S3-compatible bucket: a real S3 API (moto's server) on a port of its own.

The storage is configured exactly as production configures it from the environment
(newsroom/settings/media.py); only the endpoint is the local server.
"""

import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from articles import images
from articles.models import Image
from newsroom.settings.media import MEDIA_CACHE_CONTROL, default_storage_from_env
from tests import image_files
from tests.factories import ArticleFactory, EditorFactory

pytestmark = [pytest.mark.s3, pytest.mark.django_db]
MOTO_SERVER = Path(sys.executable).with_name("moto_server")
KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint():
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our own virtualenv's moto_server
        [MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
            assert time.monotonic() < deadline, "moto_server did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings, monkeypatch):
    """A new bucket as the site's photo storage; its S3 client to look inside."""
    for name, value in KEYS.items():
        monkeypatch.setenv(name, value)
    name = f"bilder-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **_keys())
    client.create_bucket(Bucket=name)
    storage = default_storage_from_env(
        {
            "AWS_STORAGE_BUCKET_NAME": name,
            "AWS_S3_ENDPOINT_URL": s3_endpoint,
            "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_DEFAULT_ACL": "public-read",
        }
    )
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    client.bucket_name = name
    return client


def _keys():
    return {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def keys_in(bucket):
    listing = bucket.list_objects_v2(Bucket=bucket.bucket_name)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def upload_as_journalist(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # renditions follow the commit
        response = client.post(
            "/admin/articles/image/add/",
            {
                "file": SimpleUploadedFile(
                    "IMG_0042.jpg", image_files.photo_bytes(), content_type="image/jpeg"
                ),
                "alt_text": "Statsministeren på talerstolen",
                "caption": "Talen i Stortinget.",
                "credit": "NTB",
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get()


def test_a_journalists_upload_and_its_renditions_land_in_the_bucket(
    client, journalist, bucket, django_capture_on_commit_callbacks
):
    image = upload_as_journalist(client, django_capture_on_commit_callbacks)

    expected = [
        image.file.name,
        *images.rendition_names(image.file.name, image.renditions["widths"]),
    ]
    assert keys_in(bucket) == sorted(expected)
    stored = bucket.head_object(Bucket=bucket.bucket_name, Key=image.file.name)
    assert stored["CacheControl"] == MEDIA_CACHE_CONTROL
    assert stored["ContentType"] == "image/jpeg"


def test_the_article_page_links_to_photos_the_bucket_serves(
    client, journalist, bucket, django_capture_on_commit_callbacks
):
    image = upload_as_journalist(client, django_capture_on_commit_callbacks)
    article = ArticleFactory(published=True, lead_image=image, title="Talen")
    client.logout()

    page = client.get(article.get_absolute_url()).content.decode()
    url = image.sources["smallest"]
    assert url.startswith(f"{bucket.meta.endpoint_url}/{bucket.bucket_name}/versjoner/")
    assert url in page
    with urllib.request.urlopen(url, timeout=10) as served:  # noqa: S310 - the local server
        assert served.headers["Content-Type"] == "image/jpeg"
        assert served.headers["Cache-Control"] == MEDIA_CACHE_CONTROL
        assert served.read(3) == b"\xff\xd8\xff"


def test_an_editor_deleting_a_photo_removes_its_files_from_the_bucket(
    client, journalist, bucket, django_capture_on_commit_callbacks
):
    image = upload_as_journalist(client, django_capture_on_commit_callbacks)
    assert keys_in(bucket)
    client.force_login(EditorFactory())

    with django_capture_on_commit_callbacks(execute=True):
        deleted = client.post(f"/admin/articles/image/{image.pk}/delete/", {"post": "yes"})

    assert deleted.status_code == 302
    assert not Image.objects.exists()
    assert keys_in(bucket) == []
