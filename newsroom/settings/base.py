"""Settings shared by every environment; each value can be set from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url

from . import media, replica

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The one origin of every absolute link we hand out (canonical links, og:url, JSON-LD, feeds,
# sitemaps, robots.txt, security.txt): any host name ALLOWED_HOSTS lets through ("news.example.",
# "NEWS.EXAMPLE", a port) must not end up in what search engines and feed readers keep.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "csp",
    "articles",
    "ops",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ops.middleware.SecurityHeadersMiddleware",
    # django-csp's, building the policy once instead of on every response.
    "ops.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses (brotli or gzip) what the page cache below marks public, and only that (BREACH).
    "ops.middleware.PublicCompressionMiddleware",
    # 304 for conditional requests, for cached and freshly rendered pages alike.
    "ops.middleware.ConditionalGetMiddleware",
    "ops.pagecache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's LocaleMiddleware, without reading the request for a site in one language.
    "ops.middleware.SingleLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's MessageMiddleware, building the messages' storage only for a request that uses it.
    "ops.middleware.LazyMessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "articles.context_processors.site",
            ],
        },
    },
]

# PostgreSQL's parallel workers made a person's page slower, not faster, on a 2-core server
# (two workers: 37-53 ms, none: 8-12 ms at 100,000 articles); a larger server may allow some.
DATABASE_PARALLEL_WORKERS = int(os.environ.get("DATABASE_PARALLEL_WORKERS", "0"))


# A reused connection is checked with a round trip (SELECT 1) only when its socket has something
# to read (the server said goodbye) or it passed no check for this many seconds
# (newsroom/postgresql/base.py); Django's own check costs one round trip per request.
DATABASE_HEALTH_CHECK_SECONDS = 5

# The article page's and the teasers' queries are prepared on each PostgreSQL connection
# (ops/compiled.py, ``prepared=True``): PostgreSQL then no longer plans them on every request.
# Off behind a pooler in transaction mode that does not keep prepared statements apart
# (PgBouncer before 1.21, or without max_prepared_statements).
DATABASE_PREPARED_STATEMENTS = os.environ.get("DATABASE_PREPARED_STATEMENTS", "on") != "off"


def with_site_settings(database):
    """The database with the site's backend, and its settings for each PostgreSQL session."""
    if database["ENGINE"] == "django.db.backends.postgresql":
        database["ENGINE"] = "newsroom.postgresql"
        database.setdefault("OPTIONS", {})["options"] = (
            f"-c max_parallel_workers_per_gather={DATABASE_PARALLEL_WORKERS}"
        )
    return database


DATABASES = {
    "default": with_site_settings(
        dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
            conn_health_checks=True,
        )
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The listings' index carries extra columns for PostgreSQL's index-only walks (articles/models.py);
# SQLite, the development default, builds it without them, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# Reader pages read from a streaming replica when one is named (newsroom/db_router.py, see
# docs/deploy.md): the admin, writes and a browser's next seconds after a write read from the
# primary, and so does everyone while the replica does not answer.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
REPLICA_WRITE_WINDOW = int(os.environ.get("REPLICA_WRITE_WINDOW", "10"))
REPLICA_RETRY_SECONDS = 10
REPLICA_EXCLUDED_PATHS = ["/admin/", "/healthz", "/forhandsvisning/"]
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = with_site_settings(
        replica.replica_database(
            DATABASE_REPLICA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"]
        )
    )
    DATABASE_ROUTERS = [replica.ROUTER]
    MIDDLEWARE = replica.with_replica_reads(MIDDLEWARE)

# django-axes first: it refuses a locked-out login before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", "Norsk bokmål")]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
# Fills the few admin strings Django's own nb catalogue lacks (compiled .mo is committed).
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": media.default_storage_from_env(os.environ),
    "staticfiles": {"BACKEND": "ops.static_files.StaticFilesStorage"},
}
# Django serves MEDIA_ROOT itself only where nothing else can (development, `make run`);
# production serves photos from a bucket, a CDN or the web server in front.
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
# Served with every photo file (by Django, and by the bucket through its object parameters):
# a file's name never gets other content, so browsers and CDNs keep it for a year.
MEDIA_CACHE_CONTROL = media.MEDIA_CACHE_CONTROL

# The largest form Django reads (files not counted). An article body may be 200 000 characters
# (articles.models.BODY_MAX_LENGTH); percent-encoded, a Norwegian letter takes 6 bytes and an
# en dash 9, so 10 MB fits the longest body with room for the rest of the form. Bigger
# requests get the 413 page (ops.views.bad_request). The proxy in front must allow as much.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Photo uploads (articles/images.py): checked before anything is decoded.
IMAGE_UPLOAD_MAX_BYTES = int(os.environ.get("IMAGE_UPLOAD_MAX_BYTES", 15_000_000))
IMAGE_UPLOAD_MAX_PIXELS = int(os.environ.get("IMAGE_UPLOAD_MAX_PIXELS", 50_000_000))
IMAGE_RENDITION_WIDTHS = [320, 640, 960, 1280]

# import_articles refuses a file larger than this before reading it (one article is a few KB).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", 1_000_000))

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Tag slugs go through Unidecode so that "Nord-Korea" and "Bånd" get ASCII slugs.
TAGGIT_STRIP_UNICODE_WHEN_SLUGIFYING = True
TAGGIT_CASE_INSENSITIVE = True
# Tags are separated by commas only: quotes belong to the name («Sa "nei" til EU»).
TAGGIT_TAGS_FROM_STRING = "articles.text.tag_names_from_string"
TAGGIT_STRING_FROM_TAGS = "articles.text.string_from_tags"

NEWSROOM = {
    "SITE_NAME": os.environ.get("SITE_NAME", "Dagsavisen"),
    "EDITOR_IN_CHIEF": os.environ.get("EDITOR_IN_CHIEF", "Kari Nordmann"),
    "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "tips@example.no"),
    "RELATED_LINKS": 6,
}

# Redis when REDIS_URL is set (shared by all workers); otherwise each process's own memory.
# An unreachable Redis is treated as an empty cache: pages render from the database.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "ops.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "newsroom",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    }

# Each worker's own copies of what it read from the shared cache: the section menu and the next
# scheduled publication (ops/pagecache.py). The generation counters keep their copies on
# themselves (ops/generations.py).
CACHES["local"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "local",
    "OPTIONS": {"MAX_ENTRIES": 300},
}
# And its most recently requested pages, up to this many bytes of HTML (plain, brotli and gzip),
# kept unpickled so a warm page costs no trip to Redis and no decoding. Each worker's memory
# grows by up to this much: 64 MiB holds some 2,400 article pages.
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(64 * 1024 * 1024)))
CACHES["pages"] = {
    "BACKEND": "ops.cache_backends.LocalObjectCache",
    "LOCATION": "pages",
    "OPTIONS": {"MAX_BYTES": PAGE_CACHE_LOCAL_BYTES},
}

# And objects it reads often and never changes, kept as they are (unpickled): the newest
# articles «Mer fra Dagsavisen» ranks (articles/fragments.py), some 100 kB.
CACHES["objects"] = {
    "BACKEND": "ops.cache_backends.LocalObjectCache",
    "LOCATION": "objects",
    "OPTIONS": {"MAX_BYTES": 4 * 1024 * 1024},
}

# The article page's fragments (articles/fragments.py) are kept in each worker's own memory:
# their keys carry versions, so a copy is never stale, and reading one costs no trip to Redis.
# An article page leaves about ten (its text, meta tags, footer and the footer's teasers): the
# default keeps the pieces of several hundred articles read in turn, a few kB each.
CACHES["fragments"] = {
    "BACKEND": "ops.cache_backends.FragmentCache",
    "LOCATION": "fragments",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FRAGMENT_CACHE_ENTRIES", "6000"))},
}

# Whole pages for anonymous readers (ops/pagecache.py). Seconds a page stays in the server
# cache; edits make it stale at once through a generation counter. A per-process cache cannot
# tell the other workers about an edit, so its pages live only briefly. 0 turns it off.
PAGE_CACHE_TIMEOUT = int(os.environ.get("PAGE_CACHE_TIMEOUT", "600" if REDIS_URL else "30"))
# Each worker also keeps its most requested pages in memory and trusts its copy of the
# generation counter for a second, so a warm page costs no trip to Redis; an edit saved
# through another worker reaches this one at most that second later.
PAGE_CACHE_GENERATION_MEMO = 1.0
# What browsers and a CDN in front may keep: short, then served stale while refetching.
PAGE_CACHE_CONTROL = {
    "max_age": 30,
    "s_maxage": 60,
    "stale_while_revalidate": 30,
    "stale_if_error": 86_400,
}
# When pages next change without a save (a scheduled article going live): cached pages and
# what CDNs keep expire then. What a save makes stale is decided by articles/freshness.py.
PAGE_CACHE_NEXT_CHANGE = "articles.freshness.next_scheduled_change"
# Parts of the article page kept across page-cache invalidations (articles/fragments.py):
# the article itself until it or a section, person, photo or tag changes (the timeout only
# bounds memory), and "Mer fra Dagsavisen" for at most this many seconds. Without Redis the
# workers cannot tell each other about such changes, so both are kept only briefly.
ARTICLE_FRAGMENT_TIMEOUT = int(
    os.environ.get("ARTICLE_FRAGMENT_TIMEOUT", "86400" if REDIS_URL else "30")
)
FOOTER_LINKS_TIMEOUT = int(os.environ.get("FOOTER_LINKS_TIMEOUT", "300" if REDIS_URL else "30"))
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/healthz"]
# Right after a change (a publication, an edit), the previous copy of a page is served for at
# most this many seconds while one request renders the new one; never after an article was
# withdrawn (articles/freshness.py decides which changes allow it).
PAGE_CACHE_GRACE = 5
# Query parameters only analytics read: a shared link carrying them is the same page, from the
# same cache entry. "utm_*" covers every name starting with "utm_". Any other parameter is part
# of the page's key (docs/performance.md).
PAGE_CACHE_IGNORED_PARAMETERS = [
    "utm_*",  # Google Analytics campaign tags (utm_source, utm_medium, utm_campaign, ...)
    "fbclid",  # Facebook
    "gclid",  # Google Ads
    "dclid",  # Google Display & Video
    "gbraid",  # Google Ads (iOS)
    "wbraid",  # Google Ads (iOS)
    "msclkid",  # Microsoft Advertising
    "mc_cid",  # Mailchimp campaign
    "mc_eid",  # Mailchimp subscriber
    "_ga",  # Google Analytics cross-domain linker
    "_gl",  # Google Analytics cross-domain linker
    "igshid",  # Instagram
    "ref_src",  # Twitter/X
    "ref_url",  # Twitter/X
    "twclid",  # Twitter/X Ads
    "yclid",  # Yandex
    "_hsenc",  # HubSpot
    "_hsmi",  # HubSpot
    "mkt_tok",  # Marketo
]

# Security headers on every response (production adds HSTS, TLS redirect and secure cookies).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The admin reads the CSRF token from its forms, never from the cookie, so scripts need not.
CSRF_COOKIE_HTTPONLY = True

# Pages load nothing but our own CSS, images and fonts; nothing may frame them. connect-src
# 'self': the admin's autocomplete fetches JSON, and tools such as Lighthouse fetch
# robots.txt from the page. JSON-LD <script type="application/ld+json"> blocks are data, not
# scripts: CSP allows them.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "manifest-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}

# Admin login throttling: 5 wrong passwords for one user from one address lock that pair out
# for 15 minutes, even with the right password. Per pair, so a colleague on the same office
# network is not locked out with them, nor can a stranger lock an editor out from elsewhere.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts made while locked out do not restart the 15 minutes: otherwise anyone sharing the
# office address could keep a colleague locked out for as long as they kept trying.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "ops/lockout.html"
AXES_CLIENT_IP_CALLABLE = "ops.client_ip.client_ip_address"
# Not a version banner at the start of every command and worker.
AXES_VERBOSE = False

# Demo accounts with printed passwords: never outside a developer's machine (settings/dev.py).
DEMO_ACCOUNTS = False
# How many proxies in front of gunicorn append to X-Forwarded-For (0: use the socket address).
# Never more than really sit in front: a client reaching gunicorn directly could otherwise
# name a new address in the header on every attempt and never be locked out.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# /.well-known/security.txt (RFC 9116). Without a fixed date, Expires rolls 180 days ahead.
SECURITY_CONTACT_EMAIL = os.environ.get("SECURITY_CONTACT_EMAIL", "sikkerhet@example.no")
SECURITY_TXT_EXPIRES = (
    datetime.datetime.fromisoformat(os.environ["SECURITY_TXT_EXPIRES"])
    if os.environ.get("SECURITY_TXT_EXPIRES")
    else None
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A database outage is logged once by ops.outage, not with a traceback per request.
    "filters": {"without_outage_responses": {"()": "ops.outage.WithoutOutageResponses"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["without_outage_responses"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
