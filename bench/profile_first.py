"""CPU time of an article nobody has read yet, with the page cache on; prints a table.

In-process, through the WSGI application as gunicorn calls it, under the production settings
with the page cache on, as the bench's first-render row asks: every request another article,
older than the 2,020 newest (the rows the bench reads warm), so the page cache misses, the
article's own pieces miss and the page is stored. The footer's teasers are kept as they would
be a few seconds into that row: ``BENCH_FIRST_WARM`` (100) other old articles are read first.
Each of ``BENCH_FIRST_ROUNDS`` (5) rounds reads ``BENCH_FIRST_ARTICLES`` (200) articles no
round read before; CPU per request (time.process_time), the quietest round's median, queries
and the database's milliseconds per request (the driver's wall time around each query).
With ``BENCH_PROFILE=1`` a pyinstrument profile of one more round is printed (stderr).

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/newsroom_bench_10000 \\
    BENCH_REDIS_URL=redis://127.0.0.1:8186/0 .venv/bin/python bench/profile_first.py

The Redis database named is emptied first.
"""

import os
import statistics
import time

import in_process
from in_process import ROUNDS, call, print_profile

in_process.start(page_cache_timeout=600)

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402

from articles.models import Article  # noqa: E402
from ops.generations import forget_local_state  # noqa: E402

ARTICLES = int(os.environ.get("BENCH_FIRST_ARTICLES", "200"))
WARM = int(os.environ.get("BENCH_FIRST_WARM", "100"))
# More, shorter rounds find the quiet moments of a busy machine.
ROUNDS = int(os.environ.get("BENCH_FIRST_ROUNDS", ROUNDS))
SKIPPED = 2020  # the bench's popular and warm rows


def never_read(count):
    """Paths of ``count`` published articles past the newest ``SKIPPED``, oldest last."""
    articles = Article.objects.published().order_by("-published_at")[SKIPPED : SKIPPED + count]
    return [article.get_absolute_url() for article in articles]


def cpu_per_first_render(rounds):
    """CPU microseconds per request: the lowest of the rounds' medians."""
    medians = []
    for paths in rounds:
        spent = []
        for path in paths:
            started = time.process_time()
            call(path)
            spent.append(time.process_time() - started)
        medians.append(statistics.median(spent))
    return min(medians) * 1e6


def main():
    paths = never_read(WARM + (ROUNDS + 2) * ARTICLES)
    cache.clear()
    forget_local_state()
    for path in paths[:WARM]:
        call(path)
    rounds = [paths[WARM + n * ARTICLES : WARM + (n + 1) * ARTICLES] for n in range(ROUNDS + 2)]
    queries, database = [], []

    def capture(execute, *args):
        started = time.perf_counter()
        try:
            return execute(*args)
        finally:
            database.append(time.perf_counter() - started)
            queries.append(1)

    with connection.execute_wrapper(capture):
        for path in rounds[0]:
            call(path)
    cpu = cpu_per_first_render(rounds[1:-1])
    print(f"{ARTICLES} never-read articles a round, page cache on")
    print(f"CPU µs per request (median of the quietest of {ROUNDS}): {cpu:.0f}")
    print(f"queries per request: {len(queries) / ARTICLES:.2f}")
    print(f"database ms per request: {sum(database) * 1000 / ARTICLES:.2f}")
    if os.environ.get("BENCH_PROFILE"):
        print_profile(rounds[-1])


if __name__ == "__main__":
    main()
