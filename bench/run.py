"""make bench: the production server under load, results into docs/performance.md.

Builds two PostgreSQL databases (100 and 10,000 generated articles), starts gunicorn (2 sync
workers, newsroom.settings.prod, 127.0.0.1) with its own Redis, and drives each page with wrk
beside a static file served by the same server in the same run.

Environment: BENCH_PG (server URL, default postgres://postgres@127.0.0.1:5432),
BENCH_DB_PREFIX (default newsroom_bench), BENCH_PORT (8181), BENCH_REDIS_PORT (8186),
BENCH_SECONDS (10 per measurement), BENCH_CONNECTIONS (32).
"""

import datetime
import json
import os
import platform
import subprocess
import sys

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
SIZES = (100, 10_000)
DEMO_ARTICLES = 11
PAGES = ("article", "front", "section", "search")
LABELS = {
    "static": "static file (site.css)",
    "article": "article page",
    "article_first": "article page, first render (each request another article, none cached)",
    "front": "front page",
    "section": "section front (/verden/)",
    "search": "search (/sok/?q=russland)",
}
CONTENTION_NOTE = (
    " – the machine was shared with other work, so absolute numbers are low and noisy; the"
    " ratios to the static file, measured by the same server in the same run, compare better"
)
RESULTS = ROOT / "bench" / "results"
TARGETS = {("article", "warm"): 0.7, ("article", "cold"): 0.15}


def build_database(size):
    name = f"{PREFIX}_{size}"
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = prod_env(f"{SERVER}/{name}")
    log(f"database {name}: migrate, demo content, {size - DEMO_ARTICLES} generated articles")
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--verbosity", "0")
    manage(env, "generate_articles", str(size - DEMO_ARTICLES))
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


def measure(database_url, mode, pages):
    """One gunicorn, one cache mode: the static file first, then each page."""
    flush_redis()
    env = prod_env(
        database_url,
        REDIS_URL=f"redis://{HOST}:{REDIS_PORT}/0",
        PAGE_CACHE_TIMEOUT=600 if mode == "warm" else 0,
    )
    results = {}
    with gunicorn(env, PORT) as server:
        for name in ("static", *PAGES):
            page = pages[name]
            if page["status"] != 200:
                results[name] = None
                continue
            url = f"http://{HOST}:{PORT}{page['url']}"
            wrk(url, 1, connections=4)  # warm up the workers (and the page cache)
            log(f"{mode:4} {name:8} {SECONDS} s at {CONNECTIONS} connections")
            results[name] = wrk(url, SECONDS, connections=CONNECTIONS)
        if mode == "cold":
            log(f"{mode:4} article_first {SECONDS} s at {CONNECTIONS} connections")
            script = rotating_paths_script(pages["article_paths"], RESULTS / "first-render.lua")
            url = f"http://{HOST}:{PORT}/"
            results["article_first"] = wrk(url, SECONDS, connections=CONNECTIONS, script=script)
        memory = [rss_mib(pid) for pid in worker_pids(server)]
    return results, memory


def row(label, result, static, target=None):
    if result is None:
        return f"| {label} | not yet (the URL does not answer 200 on this branch) | | | | |"
    ratio = result["rps"] / static["rps"]
    verdict = ""
    if target:
        verdict = f" {'✔' if ratio >= target else '✘'} (target ≥ {target})"
    return (
        f"| {label} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
        f"| {result['errors']} | {ratio:.2f}{verdict} |"
    )


def table(results, mode, size):
    static = results["static"]
    lines = [
        "| page | req/s | p50 ms | p99 ms | errors | ratio to static |",
        "|---|---:|---:|---:|---:|---:|",
        row(LABELS["static"] + " (same server, same run)", static, static),
    ]
    for name in PAGES:
        lines.append(row(LABELS[name], results[name], static, TARGETS.get((name, mode))))
    if "article_first" in results:
        lines.append(row(LABELS["article_first"], results["article_first"], static))
    return "\n".join(lines)


def main():
    started = datetime.datetime.now(datetime.UTC)
    load_before = os.getloadavg()
    sections = []
    inspections = {}
    runs = {}
    memory = {}
    with redis_server(REDIS_PORT):
        for size in SIZES:
            database_url = build_database(size)
            profile_to = RESULTS / "profile-cold-article.txt"
            RESULTS.mkdir(exist_ok=True)
            inspections[size] = inspect_pages(
                database_url, profile_to if size == max(SIZES) else None
            )
            pages = {
                name: {"url": url, **inspections[size]["pages"][name]}
                for name, url in inspections[size]["urls"].items()
            }
            pages["article_paths"] = inspections[size]["article_paths"]
            for mode in ("cold", "warm"):
                runs[size, mode], memory[size, mode] = measure(database_url, mode, pages)

    big, small = max(SIZES), min(SIZES)
    sections.append(
        f"Run {started:%Y-%m-%d %H:%M} UTC on {platform.node()} ({os.cpu_count()} cores, "
        f"Python {platform.python_version()}); load average before the run "
        f"{load_before[0]:.1f} / {load_before[1]:.1f} / {load_before[2]:.1f}"
        f"{CONTENTION_NOTE if load_before[0] > 1 else ''}."
        f" gunicorn 2 sync workers, wrk {CONNECTIONS} connections for {SECONDS} s per row, "
        "PostgreSQL 15 and Redis on the same machine."
    )
    for mode, title in (("warm", "Warm page cache"), ("cold", "Cold: page cache off")):
        sections.append(f"### {title}, {big:,} articles\n\n{table(runs[big, mode], mode, big)}")
    small_table = table(runs[small, "cold"], "cold", small)
    sections.append(f"### Cold: page cache off, {small} articles\n\n{small_table}")

    lines = [
        "| page | queries at 100 | queries at 10,000 | database ms at 100 "
        "| database ms at 10,000 | cold req/s at 100 | cold req/s at 10,000 "
        "| cold p99 ms at 100 | cold p99 ms at 10,000 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in PAGES:
        small_run, big_run = runs[small, "cold"][name], runs[big, "cold"][name]
        if small_run is None or big_run is None:
            lines.append(f"| {LABELS[name]} | not yet | | | | | | | |")
            continue
        few, many = inspections[small]["pages"][name], inspections[big]["pages"][name]
        lines.append(
            f"| {LABELS[name]} | {few['queries']} | {many['queries']} "
            f"| {few['db_ms']:.1f} | {many['db_ms']:.1f} | {small_run['rps']:.0f} "
            f"| {big_run['rps']:.0f} | {small_run['p99']:.1f} | {big_run['p99']:.1f} |"
        )
    cost_lines = [
        "| page | CPU ms at 100 | CPU ms at 10,000 | ratio to the static file at 10,000 |",
        "|---|---:|---:|---:|",
    ]
    static_cpu = inspections[big]["pages"]["static"]["cpu_ms"]
    for name in ("static", "article", "article_first", *PAGES[1:]):
        few, many = inspections[small]["pages"][name], inspections[big]["pages"][name]
        if many["status"] != 200:
            cost_lines.append(f"| {LABELS[name]} | not yet | | |")
            continue
        cost_lines.append(
            f"| {LABELS[name]} | {few['cpu_ms']:.2f} | {many['cpu_ms']:.2f} "
            f"| {static_cpu / many['cpu_ms']:.3f} |"
        )
    sections.append(
        "### Cost of one uncached request in the worker (CPU time, in-process)\n\n"
        "CPU time is less disturbed by other work on the machine than wall-clock rates. "
        "Median of 21 requests through the WSGI application, without gunicorn's own "
        "per-request work (which adds the same to every row).\n\n" + "\n".join(cost_lines)
    )
    sections.append(
        "### 100 vs 10,000 articles (uncached)\n\n"
        "Database ms: median time PostgreSQL spent on one request's queries (21 requests, "
        "in-process).\n\n" + "\n".join(lines)
    )

    memory_lines = [
        f"- {mode}, {size:,} articles: "
        + ", ".join(f"{mib:.0f} MiB" for mib in memory[size, mode])
        for size, mode in sorted(memory)
    ]
    sections.append("### Memory per worker (RSS after the run)\n\n" + "\n".join(memory_lines))

    profile = inspections[big]["profile"]
    shares = "\n".join(f"| {label} | {share:.0%} |" for label, share in profile["shares"].items())
    sections.append(
        f"### Where the cold article page's time goes (pyinstrument, {profile['requests']} "
        f"requests, {profile['ms_per_request']:.1f} ms each under the profiler)\n\n"
        "| part | share of samples |\n|---|---:|\n" + shares + "\n\n"
        "Full call tree: `bench/results/profile-cold-article.txt` (not committed)."
    )
    write_report_block("bench", "\n\n".join(sections))
    log("wrote docs/performance.md")


if __name__ == "__main__":
    sys.exit(main())
