"""Where uploaded photos live: local files by default, an S3-compatible bucket when configured."""

S3_OPTIONS_FROM_ENV = {
    "endpoint_url": "AWS_S3_ENDPOINT_URL",
    "region_name": "AWS_S3_REGION_NAME",
    "custom_domain": "AWS_S3_CUSTOM_DOMAIN",
    "location": "AWS_LOCATION",
    # "public-read" where the provider grants public access per object (moto, many S3
    # look-alikes); on AWS itself a bucket policy or the CDN in front grants it instead.
    "default_acl": "AWS_DEFAULT_ACL",
}

# Every photo file keeps its content for life: an upload gets a new random name and its
# renditions are named after it, so what a URL shows never changes.
MEDIA_CACHE_CONTROL = "public, max-age=31536000, immutable"


def default_storage_from_env(environ):
    """The STORAGES["default"] entry; S3 needs the optional extra: pip install -e '.[s3]'."""
    bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # Photos on a news site are public: plain URLs that a CDN and browsers can cache.
        "querystring_auth": False,
        "file_overwrite": False,
        "object_parameters": {"CacheControl": MEDIA_CACHE_CONTROL},
    }
    for option, variable in S3_OPTIONS_FROM_ENV.items():
        if environ.get(variable):
            options[option] = environ[variable]
    # Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, read by boto3 itself.
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
