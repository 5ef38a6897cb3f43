"""CPU time of a search request with a different two-word query each time; prints a table.

In-process, through the WSGI application as gunicorn calls it, under the production settings
with the page cache off, as the bench's search row asks: two words from bench/run.py's
SEARCH_WORDS, a different pair each request. Teasers are kept in the fragments cache after the
first round. CPU per request (time.process_time), the quietest of ``ROUNDS`` rounds' medians,
and the queries per request. With ``BENCH_PROFILE=1`` a pyinstrument profile of one more round
is printed (stderr); with ``BENCH_SQL=1`` the queries of one request.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_10000 \\
    BENCH_REDIS_URL=redis://127.0.0.1:8186/0 .venv/bin/python bench/profile_search.py

The Redis database named is emptied first.
"""

import os

import in_process
from in_process import ROUNDS, call, cpu_per_request, print_profile
from run import search_paths

in_process.start(page_cache_timeout=0)

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

QUERIES = int(os.environ.get("BENCH_SEARCH_QUERIES", "200"))


def main():
    paths = search_paths(QUERIES)
    cache.clear()
    for path in paths:
        call(path)  # the results' teasers are kept
    captured = []  # outside Django's query log, which each request resets

    def capture(execute, sql, *args):
        captured.append(sql)
        return execute(sql, *args)

    with connection.execute_wrapper(capture):
        call(paths[0])
    print(f"{len(paths)} two-word searches, teasers cached, page cache off")
    print(f"CPU µs per request (median of the quietest of {ROUNDS}): {cpu_per_request(paths):.0f}")
    print(f"queries per request: {len(captured)}")
    if os.environ.get("BENCH_SQL"):
        for sql in captured:
            print(sql)
    if os.environ.get("BENCH_PROFILE"):
        print_profile(paths)


if __name__ == "__main__":
    main()
