"""CPU time of an article page-cache miss whose pieces are cached; prints a table.

In-process, through the WSGI application as gunicorn calls it, under the production settings
with the page cache off (``PAGE_CACHE_TIMEOUT=0``), so every request renders the page from its
cached pieces. Each of the newest ``BENCH_PIECES_ARTICLES`` (200) articles is requested once to
fill its pieces, then each is requested again and timed: CPU time per request
(time.process_time), the quietest of ``ROUNDS`` rounds' medians, and the queries per request.
With ``BENCH_PROFILE=1`` a pyinstrument profile of one more round is printed.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_10000 \\
    BENCH_REDIS_URL=redis://127.0.0.1:8186/0 .venv/bin/python bench/profile_pieces.py

The Redis database named is emptied first.
"""

import os

import in_process
from in_process import ROUNDS, call, cpu_per_request, newest_articles_requested_once, print_profile

in_process.start(page_cache_timeout=0)

from django.db import connection  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_PIECES_ARTICLES", "200"))


def main():
    paths = newest_articles_requested_once(ARTICLES)  # their pieces are kept
    queries = []  # counted outside Django's query log, which each request resets
    with connection.execute_wrapper(lambda execute, *args: queries.append(1) or execute(*args)):
        for path in paths:
            call(path)
    print(f"{len(paths):,} articles, pieces cached, page cache off")
    print(f"CPU µs per request (median of the quietest of {ROUNDS}): {cpu_per_request(paths):.0f}")
    print(f"queries per request: {len(queries) / len(paths):.2f}")
    if os.environ.get("BENCH_PROFILE"):
        print_profile(paths)


if __name__ == "__main__":
    main()
