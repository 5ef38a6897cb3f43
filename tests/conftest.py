import os
import threading
import time

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread

# Playwright's sync API runs an event loop in the test thread; Django must still allow ORM use.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# The demo photos' renditions, made once per test run: each loading of the demo content would
# otherwise encode every photo again (the first loading still makes them with the real code).
_demo_renditions = {}


@pytest.fixture(autouse=True)
def _demo_renditions_made_once(monkeypatch):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from articles import images

    make_renditions = images.make_renditions

    def made_once(original_name):
        if not original_name.startswith("bilder/demo/"):
            return make_renditions(original_name)
        if original_name not in _demo_renditions:
            widths = make_renditions(original_name)
            files = {}
            for name in images.rendition_names(original_name, widths):
                with default_storage.open(name, "rb") as rendition:
                    files[name] = rendition.read()
            _demo_renditions[original_name] = widths, files
        widths, files = _demo_renditions[original_name]
        for name, data in files.items():
            if not default_storage.exists(name):
                default_storage.save(name, ContentFile(data))
        return widths

    monkeypatch.setattr(images, "make_renditions", made_once)


@pytest.fixture
def demo(db):
    """The demo content of `make run`: sections, people, photos and articles."""
    from django.core.management import call_command

    from articles.demo import DEMO_FIXTURES

    call_command("loaddata", *DEMO_FIXTURES, verbosity=0)


@pytest.fixture
def demo_site(live_server):
    """A live server with the demo content and its photo files, as `make run` serves it."""
    from django.core.management import call_command

    call_command("load_demo", verbosity=0)
    return live_server


@pytest.fixture
def editor(client):
    """A «Redaktør», logged in on the test client."""
    from tests.factories import EditorFactory

    user = EditorFactory()
    client.force_login(user)
    return user


@pytest.fixture
def journalist(client):
    """A «Journalist», logged in on the test client."""
    from tests.factories import JournalistFactory

    user = JournalistFactory()
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with a cold cache, so query budgets count the cache's own lookups."""
    from django.conf import settings
    from django.core.cache import caches

    from ops.generations import forget_local_state

    for alias in settings.CACHES:  # the shared cache and each worker's own copies
        caches[alias].clear()
    forget_local_state()  # and the counters' copies, kept on the counters


@pytest.fixture
def page_cache(settings):
    """Whole pages cached for anonymous readers (ten minutes), starting and ending empty in the
    shared cache and in this worker's own memory."""
    from django.core.cache import cache

    from ops.generations import forget_local_state

    settings.PAGE_CACHE_TIMEOUT = 600
    cache.clear()
    forget_local_state()
    yield
    cache.clear()
    forget_local_state()


@pytest.fixture(autouse=True)
def _no_outage_in_progress():
    """Each test starts with the database answering, as far as ops.outage knows."""
    from ops.outage import outage_log

    outage_log.started_at, outage_log.refused = None, 0


class OneRequestAtATimeOnSharedSQLite(ThreadedWSGIServer):
    """The live server shares the test's in-memory SQLite connection between its request
    threads. A query calling one of Django's Python SQL functions (the admin's date hierarchy)
    holds SQLite's lock while it waits for the GIL, which another thread binding parameters holds
    while it waits for SQLite's lock: both hang for ever. On a shared connection, requests run one
    at a time; connections (and keep-alive) still get a thread each."""

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, connections_override=connections_override, **kwargs)
        self.one_at_a_time = threading.Lock() if connections_override else None

    def set_app(self, application):
        if self.one_at_a_time is None:
            return super().set_app(application)

        def answered_alone(environ, start_response):
            with self.one_at_a_time:
                response = application(environ, start_response)
                try:
                    return [b"".join(response)]
                finally:
                    if hasattr(response, "close"):
                        response.close()

        return super().set_app(answered_alone)


LiveServerThread.server_class = OneRequestAtATimeOnSharedSQLite


CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.hookimpl(trylast=True)
@pytest.fixture(autouse=True)
def _windows_closed_before_the_database_is_emptied(request):
    """The article form sends heartbeats and autosaves by itself, and a goodbye when it closes.
    Every window a browser test opened is closed, and its last requests answered, before the
    live server's database is emptied for the next test."""
    if not {"live_server", "browser"} <= set(request.fixturenames):
        yield
        return
    browser = request.getfixturevalue("browser")
    request.getfixturevalue("live_server")
    yield
    for context in browser.contexts:
        context.close()
    time.sleep(0.5)


def pytest_collection_modifyitems(config, items):
    # Browser tests run against a live server, which flushes the database afterwards (removing
    # what data migrations made); run them last, as Django runs TransactionTestCases last.
    items.sort(key=lambda item: "browser" in item.keywords)
    if os.path.exists(CHROMIUM):
        return
    skip = pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM} (make browser-deps)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nb-NO", "timezone_id": "Europe/Oslo"}
