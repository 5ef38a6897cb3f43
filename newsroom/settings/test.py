from .dev import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests render pages without running collectstatic first.
# Photos need real files (tests/conftest.py points MEDIA_ROOT at a temporary directory).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Client.login() authenticates without a request, which django-axes refuses; the login
# throttling tests switch it back on.
AXES_ENABLED = False
# Pages are rendered fresh in tests (the cache outlives each test's rolled-back database);
# tests/test_page_cache.py switches the page cache on.
PAGE_CACHE_TIMEOUT = 0
# Tests that want the demo accounts switch them on (tests/test_demo.py).
DEMO_ACCOUNTS = False
# Absolute links name the test client's own host.
SITE_URL = "http://testserver"
# The replica router's tests read through a second alias: the same test database (a mirror).
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
