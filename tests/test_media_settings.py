from newsroom.settings.media import default_storage_from_env


def test_photos_are_stored_on_local_disk_by_default():
    assert default_storage_from_env({}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert default_storage_from_env({"AWS_STORAGE_BUCKET_NAME": "  "})["BACKEND"].endswith(
        "FileSystemStorage"
    )


def test_a_bucket_name_switches_to_s3_compatible_storage_with_public_urls():
    storage = default_storage_from_env(
        {
            "AWS_STORAGE_BUCKET_NAME": "avis-bilder",
            "AWS_S3_ENDPOINT_URL": "https://s3.example.no",
            "AWS_S3_CUSTOM_DOMAIN": "bilder.example.no",
            "AWS_SECRET_ACCESS_KEY": "hemmelig",
        }
    )
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"] == {
        "bucket_name": "avis-bilder",
        "endpoint_url": "https://s3.example.no",
        "custom_domain": "bilder.example.no",
        "querystring_auth": False,
        "file_overwrite": False,
        # Photo files never change content under one name: browsers and CDNs keep them.
        "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
    }
