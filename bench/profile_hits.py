"""CPU time of a page-cache hit, from this worker's memory and from Redis; prints a table.

In-process, through the WSGI application as gunicorn calls it, under the production settings
with the page cache on. Renders each of the newest ``BENCH_HIT_ARTICLES`` (2,000) articles once,
then asks for them again: in turn (as the bench's warm row does), one page over and over, and
with this worker's copy forgotten before each request (a hit from Redis). Each without
Accept-Encoding (as wrk asks) and as a browser asks (brotli). CPU time per request
(time.process_time) is less disturbed by other work on the machine than wall-clock rates; each
row is measured in ``ROUNDS`` rounds and the quietest round's median is shown.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_10000 \\
    BENCH_REDIS_URL=redis://127.0.0.1:8186/0 .venv/bin/python bench/profile_hits.py

The Redis database named is emptied first.
"""

import os

import in_process
from in_process import ROUNDS, cpu_per_request, newest_articles_requested_once

in_process.start(page_cache_timeout=600)

from django.templatetags.static import static  # noqa: E402

from ops import pagecache  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_HIT_ARTICLES", "2000"))
BROWSER = "gzip, deflate, br"


def forget_this_workers_copy(path):
    pagecache.local_pages().delete(pagecache.page_key(wsgi_request(path)))


def wsgi_request(path):
    from django.core.handlers.wsgi import WSGIRequest

    return WSGIRequest(in_process.wsgi_environ(path))


def main():
    paths = newest_articles_requested_once(ARTICLES)  # in Redis and this worker's memory
    one = paths[0]
    rows = [
        ("static file (site.css, whitenoise)", [static("css/site.css")] * 200, None),
        (f"{len(paths):,} articles in turn", paths, None),
        ("one article again and again (from memory)", [one] * 200, None),
        ("one article, this worker's copy forgotten (from Redis)", [one] * 200,
         forget_this_workers_copy),
    ]  # fmt: skip
    print(f"{len(paths):,} articles; CPU µs per request (median of the quietest of {ROUNDS})\n")
    print("| request | no Accept-Encoding | brotli |")
    print("|---|---:|---:|")
    for label, row_paths, before_each in rows:
        plain = cpu_per_request(row_paths, "", before_each)
        brotli = cpu_per_request(row_paths, BROWSER, before_each)
        print(f"| {label} | {plain:.0f} | {brotli:.0f} |")


if __name__ == "__main__":
    main()
