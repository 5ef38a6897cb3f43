"""Absolute links on the site's one origin (``SITE_URL``), whatever Host the request named."""

from urllib.parse import urljoin, urlsplit

from django.conf import settings


def absolute_url(url):
    """``url`` (a path, or already absolute, e.g. a photo in a bucket) on ``SITE_URL``."""
    return urljoin(f"{settings.SITE_URL}/", url)


def site_protocol():
    return urlsplit(settings.SITE_URL).scheme


def site_domain():
    return urlsplit(settings.SITE_URL).netloc
