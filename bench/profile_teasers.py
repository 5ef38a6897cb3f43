"""CPU per rendered teaser in every look, and the HTML they make (for a before/after check).

Run under the production settings against a benchmark database:
    bench/profile_teasers.py [--count 500] [--save FILE | --compare FILE] [--profile LOOK]
Prints process CPU ms per teaser for each look, the fastest of ``--repeat`` runs, and Python
calls per teaser (articles/teasers.py ``render``, its two queries included).
"""

import argparse
import cProfile
import json
import pstats
import sys
import time

import django

django.setup()

from articles.models import Article  # noqa: E402
from articles.teasers import Look, render  # noqa: E402


def rows(count):
    """The newest ``count`` articles and every one with a photo (the generated archive has few)."""
    published = Article.objects.published()
    newest = list(published.listed()[:count])
    pictured = published.filter(lead_image__isnull=False).exclude(pk__in=[r.pk for r in newest])
    return newest + list(pictured.listed())


def render_look(listed, look):
    return render([(row.pk, row, look) for row in listed])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--save")
    parser.add_argument("--compare")
    parser.add_argument("--profile")
    args = parser.parse_args()
    listed = rows(args.count)
    render_look(listed, Look.FRONT)  # templates compiled, URL resolver built
    html = {}
    for look in Look:
        spent = None
        for _ in range(args.repeat):  # the fastest run: the least disturbed by other processes
            start = time.process_time()
            rendered = render_look(listed, look)
            spent = min(spent or float("inf"), time.process_time() - start)
        html[look.name] = {str(pk): text for pk, text in rendered.items()}
        calls = cProfile.Profile()
        calls.runcall(render_look, listed, look)
        # Python calls do not vary with the load of a shared machine as CPU time does.
        count = pstats.Stats(calls).total_calls
        per_teaser = f"{spent * 1000 / len(rendered):.3f} ms, {count / len(rendered):.0f} calls"
        print(f"{look.name:14} {per_teaser} per teaser")
    if args.profile:
        profiler = cProfile.Profile(time.process_time)
        profiler.runcall(render_look, listed, Look[args.profile])
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    if args.save:
        with open(args.save, "w") as out:
            json.dump(html, out)
    if args.compare:
        with open(args.compare) as before:
            expected = json.load(before)
        differing = [
            (look, pk)
            for look, teasers in expected.items()
            for pk, text in teasers.items()
            if text != html[look].get(pk)
        ]
        print(f"{len(differing)} teasers differ", differing[:5])
        sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
