"""Production: every secret and host from the environment, https only.

Required: SECRET_KEY, ALLOWED_HOSTS, SITE_URL (the origin of every absolute link, such as
https://www.dagsavisen.no). Optional: DATABASE_URL, REDIS_URL, CSRF_TRUSTED_ORIGINS,
SECURE_SSL_REDIRECT (default true), SECURE_PROXY_SSL_HEADER (default true, see below).
"""

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env_bool, env_list

for _name in ("SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"):
    if not os.environ.get(_name, "").strip():
        raise ImproperlyConfigured(
            f"{_name} must be set in the environment for newsroom.settings.prod "
            "(see .env.example); refusing to start without it."
        )

SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
SITE_URL = os.environ["SITE_URL"].strip().rstrip("/")
_site = urlsplit(SITE_URL)
if _site.scheme not in ("http", "https") or not _site.netloc or _site.path or _site.query:
    raise ImproperlyConfigured(
        f"SITE_URL must be an origin such as https://www.dagsavisen.no, not {SITE_URL!r}."
    )
DEBUG = False

# Browsers remember for a year to use https only, for subdomains too, and we may be preloaded.
SECURE_HSTS_SECONDS = 31_536_000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# Load balancers probe the health check over plain http on the internal port.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# Behind a TLS-terminating proxy (nginx, a load balancer, a CDN) Django sees plain http; the
# proxy says the original scheme in X-Forwarded-Proto. Trust that header ONLY when the proxy
# always sets or overwrites it and clients cannot reach gunicorn directly; otherwise set
# SECURE_PROXY_SSL_HEADER=false.
if env_bool("SECURE_PROXY_SSL_HEADER", True):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
