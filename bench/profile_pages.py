"""Query counts per page, and a pyinstrument profile of an article's first render.

Run by bench/run.py under the production settings with the page cache off; prints JSON.
Requests go through the WSGI application itself, as gunicorn would call it.
"""

import io
import json
import statistics
import sys
import time
from collections import Counter

import django

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article  # noqa: E402

REFERENCE_SLUG = "kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin"
CATEGORIES = [
    ("database (ORM, psycopg)", ("django/db/", "psycopg")),
    ("templates", ("django/template/", "django/templatetags/", "/templatetags/")),
    ("CSP header", ("/csp/",)),
    ("page cache and security middleware", ("/ops/",)),
    ("our code (views, models, markup)", ("/articles/",)),
    ("Django request handling, URLs, i18n", ("django/",)),
]
application = get_wsgi_application()


def wsgi_environ(url):
    path, _, query = url.partition("?")
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8181",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.url_scheme": "http",
    }


def call(url):
    status = []
    body = b"".join(application(wsgi_environ(url), lambda s, h, *a: status.append(s)))
    return int(status[0].split()[0]), len(body)


def page_html(url):
    """The page as a reader gets it, for the static copy bench/run.py serves beside it."""
    return b"".join(application(wsgi_environ(url), lambda s, h, *a: None)).decode()


def urls():
    article = Article.objects.for_page().get(slug=REFERENCE_SLUG)
    byline = article.byline_set.select_related("person").first()
    tag = article.tags.first()
    return {
        "static": static("css/site.css"),
        "article": article.get_absolute_url(),
        "article_first": article.get_absolute_url(),
        "front": "/",
        "section": article.section.get_absolute_url(),
        "tag": f"/tema/{tag.slug}/",
        "person": byline.person.get_absolute_url(),
        "search": "/sok/?q=russland",
    }


def article_paths(count=10_000):
    """The newest published articles' paths, for a run that asks for each only once."""
    articles = (
        Article.objects.published()
        .for_fragment_keys()
        .select_related("section")
        .order_by("-published_at")
    )
    return [article.get_absolute_url() for article in articles[:count]]


def forget_fragments():
    """The article's own pieces and its teasers; the section menu stays, as in a worker that
    has served other pages."""
    caches["fragments"].clear()


def query_counts(pages, repeats=21):
    """Queries per page, and the median time the database spent on them per request.

    ``article_first`` is the article page with nothing cached (its fragments emptied before
    each request): what the first reader after an edit of that article costs.
    """
    counts = {}
    for name, url in pages.items():
        first_render = name == "article_first"
        call(url)
        timings, cpu = [], []
        for _ in range(repeats):
            if first_render:
                forget_fragments()
            started = time.process_time()
            with CaptureQueriesContext(connection) as queries:
                status, size = call(url)
            cpu.append(time.process_time() - started)
            timings.append(sum(float(query["time"]) for query in queries.captured_queries))
        counts[name] = {
            "status": status,
            "queries": len(queries),
            "bytes": size,
            "db_ms": statistics.median(timings) * 1000,
            "cpu_ms": statistics.median(cpu) * 1000,
        }
    return counts


def profile(paths, output):
    """Each request another article nobody has read in this process: first renders."""
    from pyinstrument import Profiler

    call(paths[-1])
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for path in paths[:-1]:
        call(path)
    session = profiler.stop()
    requests = len(paths) - 1
    output.write_text(profiler.output_text(unicode=True, color=False), encoding="utf-8")
    shares = Counter()
    stack = [session.root_frame()]
    while stack:
        frame = stack.pop()
        stack.extend(frame.children)
        # pyinstrument's "[self]" nodes carry no file: the time is their parent's own.
        owner = frame.parent if frame.function == "[self]" and frame.parent else frame
        path = (owner.file_path or "").replace("\\", "/")
        category = next(
            (label for label, needles in CATEGORIES if any(n in path for n in needles)),
            "other (Python, WSGI)",
        )
        shares[category] += frame.total_self_time
    total = sum(shares.values())
    return {
        "requests": requests,
        "ms_per_request": session.duration * 1000 / requests,
        "shares": {label: share / total for label, share in shares.most_common()},
    }


if __name__ == "__main__":
    pages = urls()
    paths = article_paths()
    result = {
        "urls": pages,
        "pages": query_counts(pages),
        "article_paths": paths,
        "article_html": page_html(pages["article"]),
    }
    if len(sys.argv) > 1:
        from pathlib import Path

        # The oldest of the listed articles: the wrk rows never reach them in this process.
        result["profile"] = profile(paths[-201:], Path(sys.argv[1]))
    print(json.dumps(result))
