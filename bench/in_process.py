"""The site's WSGI application in this process, under the production settings, called as
gunicorn calls it, and the CPU time its requests take (bench/profile_hits.py,
bench/profile_pieces.py). ``start()`` comes before any import that needs Django's settings.
"""

import os
import statistics
import sys
import time

from common import HOST, prod_env

ROUNDS = 5
application = None  # the site, once start() has set Django up


def start(page_cache_timeout):
    """Django set up on ``BENCH_DATABASE_URL`` and ``BENCH_REDIS_URL``; returns the app."""
    os.environ.update(
        prod_env(
            os.environ["BENCH_DATABASE_URL"],
            REDIS_URL=os.environ["BENCH_REDIS_URL"],
            PAGE_CACHE_TIMEOUT=page_cache_timeout,
        )
    )
    import django
    from django.core.wsgi import get_wsgi_application

    django.setup()
    global application
    application = get_wsgi_application()


def wsgi_environ(path, accept_encoding=""):
    from django.test import RequestFactory

    environ = (
        RequestFactory(SERVER_NAME=HOST, HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
        .get(path)
        .environ
    )
    environ["wsgi.errors"] = sys.stderr
    if accept_encoding:
        environ["HTTP_ACCEPT_ENCODING"] = accept_encoding
    return environ


def call(path, accept_encoding=""):
    """The body of a 200 answer to ``path``; anything else raises."""
    statuses = []
    body = b"".join(
        application(wsgi_environ(path, accept_encoding), lambda s, h, *a: statuses.append(s))
    )
    if not statuses[0].startswith("200"):
        raise RuntimeError(f"{path} answered {statuses[0]}")
    return body


def cpu_per_request(paths, accept_encoding="", before_each=None):
    """CPU microseconds per request over ``paths``: the lowest of ``ROUNDS`` rounds' medians
    (time.process_time, less disturbed by other work on the machine than wall-clock rates)."""
    medians = []
    for _ in range(ROUNDS):
        spent = []
        for path in paths:
            if before_each:
                before_each(path)
            started = time.process_time()
            call(path, accept_encoding)
            spent.append(time.process_time() - started)
        medians.append(statistics.median(spent))
    return min(medians) * 1e6


def newest_articles_requested_once(count):
    """The paths of the newest ``count`` published articles, each requested once after every
    cache was emptied (the Redis database named too)."""
    from django.core.cache import cache

    from articles.models import Article
    from ops.generations import forget_local_state

    articles = Article.objects.published().order_by("-published_at")[:count]
    paths = [article.get_absolute_url() for article in articles]
    cache.clear()
    forget_local_state()
    for path in paths:
        call(path)
    return paths


def print_profile(paths):
    """A pyinstrument profile of one more round of ``paths``, on stderr (``BENCH_PROFILE=1``)."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0002)
    with profiler:
        for path in paths:
            call(path)
    print(profiler.output_text(unicode=True, color=False, show_all=False), file=sys.stderr)
