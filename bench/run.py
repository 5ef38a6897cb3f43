"""make bench: what readers get from the production server, results into docs/performance.md.

Builds PostgreSQL databases of 100, BENCH_ARTICLES and BENCH_FLAT_ARTICLES generated articles
(the largest only for the in-process table: are queries and database time flat?), starts its own
Redis and gunicorn (2 sync workers, newsroom.settings.prod, 127.0.0.1), and drives each kind
of request with wrk beside the same article's HTML served as a static file by the same server
in the same run. Every request says it came through the TLS proxy (X-Forwarded-Proto); every
answer but 200 counts as an error.

Two servers: page cache on (what readers get: first renders of never-read articles, 2,000
different warm articles, shared links with tracking parameters, a publication every 10 s)
and page cache off (every request a page-cache miss with the pieces of pages cached, as just
after a publication: articles, front, section, tag, person, search with varied queries).

Environment: BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432),
BENCH_DB_PREFIX (newsroom_bench), BENCH_PORT (8181), BENCH_REDIS_PORT (8186), BENCH_SECONDS
(10 per row), BENCH_CONNECTIONS (32), BENCH_ARTICLES (10000; e.g. 2000 for a quick run),
BENCH_WARM_ARTICLES (2000), BENCH_FLAT_ARTICLES (100000; 0 leaves that size out).
"""

import concurrent.futures
import datetime
import itertools
import json
import os
import platform
import subprocess
import sys
import urllib.parse
import urllib.request

import psycopg
from common import (
    BIN,
    HOST,
    ROOT,
    gunicorn,
    log,
    manage,
    prod_env,
    redis_server,
    rotating_paths_script,
    rss_mib,
    worker_pids,
    write_report_block,
    wrk,
)

SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
PREFIX = os.environ.get("BENCH_DB_PREFIX", "newsroom_bench")
PORT = int(os.environ.get("BENCH_PORT", "8181"))
REDIS_PORT = int(os.environ.get("BENCH_REDIS_PORT", "8186"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
ARTICLES = int(os.environ.get("BENCH_ARTICLES", "10000"))
WARM_ARTICLES = int(os.environ.get("BENCH_WARM_ARTICLES", "2000"))
FLAT_ARTICLES = int(os.environ.get("BENCH_FLAT_ARTICLES", "100000"))
SIZES = sorted({100, ARTICLES, FLAT_ARTICLES} - {0})
POPULAR = 20
PIECES_ARTICLES = 200
PUBLISH_EVERY, PUBLISH_SECONDS = 10, 30
STATIC_COPY = "bench/article.html"
RESULTS = ROOT / "bench" / "results"
# Words of the generated articles (articles/management/commands/generate_articles.py) and
# words that find nothing, paired: a different query for every request.
SEARCH_WORDS = [
    "regjeringen", "budsjett", "kommune", "sykehus", "streik", "valg", "Oslo", "Bergen",
    "klima", "strøm", "skole", "politi", "rente", "boliger", "fotball", "konsert",
    "forhandlinger", "Stortinget", "fylke", "næringsliv", "Ukraina", "Russland", "Kina",
    "handel", "bompenger", "helse", "eldreomsorg", "ferje", "bibliotek", "festival",
]  # fmt: skip

# name: (label, target ratio to the static file, or None)
ROWS = {
    "static": ("the same article's HTML as a static file (whitenoise, same server)", None),
    "warm": (f"article, {WARM_ARTICLES:,} different articles in turn, page cache warm", 0.8),
    "tracking": ("shared link: article + ?utm_source=…&fbclid=<random>, page cache warm", 0.8),
    "first": ("article nobody has read yet (first render; each request another)", 0.10),
    "pieces": (
        f"article, page cache missed, its pieces cached ({PIECES_ARTICLES} articles in turn)",
        0.35,
    ),
    "front": ("front page, page cache missed", 0.10),
    "section": ("section front, page cache missed", 0.10),
    "tag": ("tag page, page cache missed", 0.10),
    "person": ("person page, page cache missed", 0.10),
    "search": ("search, a different query each request (page cache missed)", 0.08),
    "publication": (
        f"front page and {POPULAR} popular articles while an article is published every "
        f"{PUBLISH_EVERY} s (page cache on, {PUBLISH_SECONDS} s)",
        None,
    ),
}
P99_TARGET_MS = 50
CONTENTION_NOTE = (
    " The machine was shared with other work during the run, so absolute numbers are low and"
    " noisy; the ratios to the static file, measured by the same server in the same run,"
    " compare better."
)


def build_database(size):
    name = f"{PREFIX}_{size}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = prod_env(f"{SERVER}/{name}")
    log(f"database {name}: migrate, demo content, generated articles up to {size:,}")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--verbosity", "0")
    with psycopg.connect(f"{SERVER}/{name}") as connection:
        (demo,) = connection.execute("SELECT count(*) FROM articles_article").fetchone()
    manage(env, "generate_articles", str(size - demo))
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    with psycopg.connect(f"{SERVER}/{name}", autocommit=True) as connection:
        # Planner statistics, as autovacuum would have gathered them on a live site.
        connection.execute("VACUUM ANALYZE")
    return f"{SERVER}/{name}"


def inspect_pages(database_url, profile_to=None):
    env = prod_env(database_url, PAGE_CACHE_TIMEOUT=0, PYTHONPATH=ROOT)
    command = [BIN / "python", ROOT / "bench" / "profile_pages.py"]
    if profile_to:
        command.append(str(profile_to))
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def flush_redis():
    subprocess.run(["redis-cli", "-p", str(REDIS_PORT), "flushall"], capture_output=True)


def server_env(database_url, page_cache):
    return prod_env(
        database_url,
        REDIS_URL=f"redis://{HOST}:{REDIS_PORT}/0",
        PAGE_CACHE_TIMEOUT=600 if page_cache else 0,
    )


def fetch_all(paths, threads=8):
    """Each path once (to fill the page cache), several at a time; the statuses seen."""

    def fetch(path):
        request = urllib.request.Request(
            f"http://{HOST}:{PORT}{path}", headers={"X-Forwarded-Proto": "https"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - loopback
            response.read()
            return response.status

    with concurrent.futures.ThreadPoolExecutor(threads) as pool:
        return list(pool.map(fetch, paths))


def run_paths(name, paths, seconds=SECONDS, random_suffix="", once=False):
    script = rotating_paths_script(
        paths, RESULTS / f"{name}.lua", random_suffix=random_suffix, once=once
    )
    log(f"{name:12} {seconds} s at {CONNECTIONS} connections over {len(paths)} URLs")
    return wrk(f"http://{HOST}:{PORT}/", seconds, connections=CONNECTIONS, script=script)


def warm_up(paths):
    script = rotating_paths_script(paths, RESULTS / "warm-up.lua")
    wrk(f"http://{HOST}:{PORT}/", 1, connections=4, script=script)


def search_paths(count=600):
    pairs = itertools.islice(itertools.permutations(SEARCH_WORDS, 2), count)
    return [f"/sok/?q={urllib.parse.quote_plus(f'{a} {b}')}" for a, b in pairs]


def measure_cache_off(database_url, pages, article_paths):
    """Every request a page-cache miss; the pieces of pages (fragments) are cached."""
    flush_redis()
    results = {}
    static = f"/static/{STATIC_COPY}"
    with gunicorn(server_env(database_url, page_cache=False), PORT) as server:
        warm_up([static])
        results["static"] = run_paths("static-off", [static])
        pieces = article_paths[:PIECES_ARTICLES]
        fetch_all(pieces * 3)  # both workers keep the pieces in their own memory
        results["pieces"] = run_paths("pieces", pieces)
        for name in ("front", "section", "tag", "person"):
            warm_up([pages[name]["url"]])
            results[name] = run_paths(name, [pages[name]["url"]])
        queries = search_paths()
        results["search"] = run_paths("search", queries)
        memory = [rss_mib(pid) for pid in worker_pids(server)]
    return results, memory


def measure_cache_on(database_url, article_paths):
    """What readers get with the page cache on, as in production."""
    flush_redis()
    results = {}
    static = f"/static/{STATIC_COPY}"
    popular = article_paths[:POPULAR]
    spare = article_paths[POPULAR:]
    warm_count = min(WARM_ARTICLES, len(spare) // 2)
    warm, never_read = spare[:warm_count], spare[warm_count:]
    with gunicorn(server_env(database_url, page_cache=True), PORT) as server:
        warm_up([static])
        results["static"] = run_paths("static-on", [static])
        # Each never-read article asked for once: a second request would be a page-cache hit.
        results["first"] = run_paths("first", never_read, once=True)
        log(f"filling the page cache with {len(warm)} articles")
        statuses = set(fetch_all(warm))
        if statuses != {200}:
            raise RuntimeError(f"filling the page cache answered {statuses}")
        results["warm"] = run_paths("warm", warm)
        results["tracking"] = run_paths(
            "tracking", popular, random_suffix="?utm_source=facebook&utm_medium=social&fbclid="
        )
        fetch_all(["/", *popular])
        publisher = subprocess.Popen(
            [BIN / "python", ROOT / "bench" / "publish_every.py", str(PUBLISH_EVERY),
             str(PUBLISH_SECONDS)],
            env={**server_env(database_url, page_cache=True), "PYTHONPATH": str(ROOT)},
            stdout=subprocess.PIPE,
            text=True,
        )  # fmt: skip
        results["publication"] = run_paths("publication", ["/", *popular], seconds=PUBLISH_SECONDS)
        published = publisher.communicate(timeout=60)[0].strip()
        results["publication"]["published"] = int(published or 0)
        memory = [rss_mib(pid) for pid in worker_pids(server)]
    return results, memory


def row(name, result, static):
    label, target = ROWS[name]
    ratio = result["rps"] / static["rps"]
    if name == "publication":
        met = result["p99"] < P99_TARGET_MS and result["errors"] == 0
        goal = f"p99 < {P99_TARGET_MS} ms, 0 errors"
        label += f", {result['published']} publications"
    elif target is None:
        met, goal = None, ""
    else:
        met = ratio >= target and result["errors"] == 0
        goal = f"≥ {target}, 0 errors"
    verdict = "" if met is None else ("met" if met else "**not met**")
    if result.get("used_up"):  # every path asked for before the end: the rate is a floor
        label += " (every article asked for before the row's end: the rate is a floor)"
    return (
        f"| {label} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
        f"| {result['errors']} | {ratio:.3f} | {goal} | {verdict} |"
    )


def table(results):
    lines = [
        "| request | req/s | p50 ms | p99 ms | errors | ratio to static | target | |",
        "|---|---:|---:|---:|---:|---:|---|---|",
    ]
    for name in results:
        lines.append(row(name, results[name], results["static"]))
    return "\n".join(lines)


def flatness_table(inspections):
    names = ("article_first", "article", "front", "section", "tag", "person", "search")
    sizes = [f"{size:,}" for size in SIZES]
    measures = (("queries", "queries", "{}"), ("db_ms", "database ms", "{:.1f}"))
    measures += (("cpu_ms", "CPU ms", "{:.1f}"),)
    header = [f"{label} at {size}" for _, label, _ in measures for size in sizes]
    lines = [
        "| page (page cache off) | " + " | ".join(header) + " |",
        "|---|" + "---:|" * len(header),
    ]
    labels = {
        "article_first": "article, first render (its pieces emptied)",
        "article": "article, pieces cached",
        "search": "search (one query, /sok/?q=russland)",
    }
    for name in names:
        cells = [
            template.format(inspections[size]["pages"][name][key])
            for key, _, template in measures
            for size in SIZES
        ]
        lines.append(f"| {labels.get(name, name)} | " + " | ".join(cells) + " |")
    static = ["0"] * 2 * len(SIZES)
    static += [f"{inspections[size]['pages']['static']['cpu_ms']:.1f}" for size in SIZES]
    lines.append(
        "| static file (site.css, through Django and whitenoise) | " + " | ".join(static) + " |"
    )
    return "\n".join(lines)


def main():
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    inspections = {}
    RESULTS.mkdir(exist_ok=True)
    with redis_server(REDIS_PORT):
        for size in SIZES:
            log(f"inspecting pages at {size:,} articles (queries, database and CPU time)")
            inspections[size] = inspect_pages(
                build_database(size),
                RESULTS / "profile-first-render.txt" if size == ARTICLES else None,
            )
        # The rows below are served from the BENCH_ARTICLES database.
        database_url = f"{SERVER}/{PREFIX}_{ARTICLES}"
        big = inspections[ARTICLES]
        pages = {name: {"url": url, **big["pages"][name]} for name, url in big["urls"].items()}
        static_copy = ROOT / "staticfiles" / STATIC_COPY
        static_copy.parent.mkdir(parents=True, exist_ok=True)
        static_copy.write_text(big["article_html"], encoding="utf-8")
        cache_on, memory_on = measure_cache_on(database_url, big["article_paths"])
        cache_off, memory_off = measure_cache_off(database_url, pages, big["article_paths"])
    load_after = os.getloadavg()

    # The load after a run is the bench's own; only other work before it disturbs the rows.
    busy = load_before[0] > 1
    sections = [
        f"Run {started:%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}), {ARTICLES:,} articles. Load average before the "
        f"run {load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}, after it "
        f"{load_after[0]:.1f} / {load_after[1]:.1f} / {load_after[2]:.1f}."
        f"{CONTENTION_NOTE if busy else ''} gunicorn 2 sync workers, wrk {CONNECTIONS} "
        f"connections for {SECONDS} s per row (2 threads), PostgreSQL 15 and Redis on the same "
        "machine. Errors: socket errors plus every answer other than 200.",
        "### Page cache on (as in production)\n\n" + table(cache_on),
        "### Page cache off: every request a miss, the pieces of pages cached\n\n"
        + table(cache_off),
        f"### {' vs '.join(f'{size:,}' for size in SIZES)} articles, in-process "
        "(median of 21 requests)\n\n"
        "Database ms: time PostgreSQL spent on one request's queries. CPU ms: the worker's "
        "CPU time for the request, which other work on the machine disturbs less than "
        "wall-clock rates.\n\n" + flatness_table(inspections),
        "### Memory per worker (RSS after the run)\n\n"
        + f"- page cache on: {', '.join(f'{mib:.0f} MiB' for mib in memory_on)}\n"
        + f"- page cache off: {', '.join(f'{mib:.0f} MiB' for mib in memory_off)}",
    ]
    profile = big["profile"]
    shares = "\n".join(f"| {label} | {share:.0%} |" for label, share in profile["shares"].items())
    sections.append(
        f"### Where a first render's time goes (pyinstrument, {profile['requests']} "
        f"never-read articles, {profile['ms_per_request']:.1f} ms each under the profiler)\n\n"
        "| part | share of samples |\n|---|---:|\n" + shares + "\n\n"
        "Full call tree: `bench/results/profile-first-render.txt` (not committed)."
    )
    write_report_block("bench", "\n\n".join(sections))
    (RESULTS / "last-run.json").write_text(
        json.dumps({"cache_on": cache_on, "cache_off": cache_off}, indent=1), encoding="utf-8"
    )
    log("wrote docs/performance.md")


if __name__ == "__main__":
    sys.exit(main())
