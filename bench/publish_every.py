"""Publish a new article every few seconds, as the newsroom does on a busy day (bench/run.py).

Run under the server's own settings and Redis, so each publication moves the page cache's
generation exactly as a save in the admin does. Arguments: interval and total seconds.
"""

import sys
import time

import django

django.setup()

from django.utils import timezone  # noqa: E402

from articles.models import Article, Section  # noqa: E402


def main(interval, seconds):
    section = Section.objects.order_by("position").first()
    deadline = time.monotonic() + seconds
    count = 0
    while time.monotonic() < deadline:
        count += 1
        stamp = time.time_ns()
        Article.objects.create(
            title=f"Nyhet under last {count}",
            slug=f"nyhet-under-last-{stamp}",
            section=section,
            lead="Publisert mens lesere henter forsiden.",
            body="Saken oppdateres.",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
        )
        time.sleep(max(0.0, min(interval, deadline - time.monotonic())))
    print(count)


if __name__ == "__main__":
    main(float(sys.argv[1]), float(sys.argv[2]))
