"""make fault: PostgreSQL and Redis blink under load; the site must answer and recover.

Uses its OWN throwaway PostgreSQL cluster (initdb in a temporary directory, port 8185) and its
own Redis (port 8187), never the shared services. gunicorn (2 sync workers, production
settings, page cache on) serves 127.0.0.1:8183 while 8 client threads request

- the article page (the same URL, so mostly served from the page cache), and
- the article page with a unique query string (a cache miss each time: needs the database).

Timeline: 4 s normal, PostgreSQL stopped for 5 s, 8 s after its restart, Redis stopped for
5 s, 4 s after its restart. Passes when nothing but 200 and 503 is ever answered, every 503 is
the styled outage page, everything answers 200 again after each restart, and the gunicorn
workers are the same processes at the end. Results go to docs/performance.md.
"""

import contextlib
import glob
import itertools
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter

from common import (
    HOST,
    gunicorn,
    log,
    manage,
    prod_env,
    redis_server,
    worker_pids,
    write_report_block,
)

PG_PORT, REDIS_PORT, PORT = 8185, 8187, 8183
ARTICLE = "/verden/2023/09/12/kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin/"
OUTAGE_PAGE = "Vi er straks tilbake"
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1]


def as_postgres(*command):
    subprocess.run(
        ["runuser", "-u", "postgres", "--", *command], check=True, stdout=subprocess.DEVNULL
    )


@contextlib.contextmanager
def own_postgres():
    data = tempfile.mkdtemp(prefix="newsroom-fault-pg-")
    shutil.chown(data, "postgres", "postgres")
    as_postgres(f"{PG_BIN}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8")
    cluster = Cluster(data)
    cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(data, ignore_errors=True)


class Cluster:
    def __init__(self, data, port=PG_PORT):
        self.data = data
        self.port = port

    def start(self):
        options = f"-p {self.port} -c listen_addresses={HOST} -k {self.data}"
        as_postgres(
            f"{PG_BIN}/pg_ctl",
            "-D",
            self.data,
            "-o",
            options,
            "-l",
            f"{self.data}/log",
            "-w",
            "start",
        )

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")


class Load:
    """Client threads recording (seconds since start, kind, status, outage page shown)."""

    def __init__(self, threads=8):
        self.results = []
        self.stopping = threading.Event()
        self.counter = itertools.count()
        self.started = time.monotonic()
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(threads)]

    def run(self, number):
        kind = "cached" if number % 2 else "uncached"
        while not self.stopping.is_set():
            path = ARTICLE if kind == "cached" else f"{ARTICLE}?v={next(self.counter)}"
            try:
                with urllib.request.urlopen(f"http://{HOST}:{PORT}{path}", timeout=10) as reply:
                    status, body = reply.status, reply.read()
            except urllib.error.HTTPError as error:
                status, body = error.code, error.read()
            except OSError:
                status, body = "no answer", b""
            self.results.append(
                (time.monotonic() - self.started, kind, status, OUTAGE_PAGE.encode() in body)
            )

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def now(self):
        return time.monotonic() - self.started

    def between(self, start, end):
        return [r for r in self.results if start <= r[0] < end]


def summary(rows):
    counts = Counter((kind, status) for _, kind, status, _ in rows)
    return ", ".join(
        f"{kind} {status}: {n}" for (kind, status), n in sorted(counts.items(), key=str)
    )


def first_success_after(load, moment, kind):
    later = [r[0] for r in load.results if r[0] >= moment and r[1] == kind and r[2] == 200]
    return min(later) - moment if later else None


def main():
    failures = []
    with own_postgres() as postgres, redis_server(REDIS_PORT) as redis:
        database = f"postgres://postgres@{HOST}:{PG_PORT}/postgres"
        env = prod_env(
            database, REDIS_URL=f"redis://{HOST}:{REDIS_PORT}/0", PAGE_CACHE_TIMEOUT=600
        )
        log("fault: migrate and load the demo content into the throwaway cluster")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo", "--verbosity", "0")
        manage(env, "generate_articles", "500")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        with gunicorn(env, PORT) as server:
            workers_before = sorted(worker_pids(server))
            with Load() as load:
                time.sleep(4)
                log("fault: stopping PostgreSQL")
                pg_down = load.now()
                postgres.stop()
                time.sleep(5)
                log("fault: starting PostgreSQL")
                pg_up = load.now()
                postgres.start()
                time.sleep(8)
                log("fault: stopping Redis")
                redis_down = load.now()
                redis.terminate()
                redis.wait()
                time.sleep(5)
                log("fault: starting Redis")
                redis_up = load.now()
                with redis_server(REDIS_PORT):
                    time.sleep(4)
                    end = load.now()
            workers_after = sorted(worker_pids(server))

    outage = load.between(pg_down + 0.5, pg_up)
    bad = [r for r in load.results if r[2] not in (200, 503) or (r[2] == 503 and not r[3])]
    if bad:
        failures.append(f"{len(bad)} answers were neither 200 nor the styled 503 page")
    if not any(r[2] == 503 for r in outage):
        failures.append("no 503 during the database outage")
    db_recovery = first_success_after(load, pg_up, "uncached")
    settled = load.between(pg_up + 3, redis_down)
    if db_recovery is None or any(r[2] != 200 for r in settled):
        failures.append("did not recover after PostgreSQL came back")
    redis_rows = load.between(redis_down, end)
    if any(r[2] != 200 for r in redis_rows):
        failures.append("errors while Redis was down or after it came back")
    if workers_before != workers_after:
        failures.append(f"workers restarted: {workers_before} → {workers_after}")

    phases = [
        ("normal", 0, pg_down),
        ("PostgreSQL stopped", pg_down, pg_up),
        ("PostgreSQL back", pg_up, redis_down),
        ("Redis stopped", redis_down, redis_up),
        ("Redis back", redis_up, end),
    ]
    lines = ["| phase | seconds | answers |", "|---|---:|---|"] + [
        f"| {name} | {stop - start:.1f} | {summary(load.between(start, stop))} |"
        for name, start, stop in phases
    ]
    verdict = "passed" if not failures else "FAILED: " + "; ".join(failures)
    write_report_block(
        "fault",
        f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, `make fault`: {verdict}.\n\n"
        + "\n".join(lines)
        + "\n\n"
        + "- First uncached 200 after PostgreSQL was started again: "
        + (f"{db_recovery:.2f} s" if db_recovery is not None else "never")
        + " after `pg_ctl start` returned.\n"
        + f"- Other answers than 200 or the styled 503 page: {len(bad)}.\n"
        + f"- gunicorn workers before and after: {workers_before} → {workers_after} "
        + f"({'same processes, no restart' if workers_before == workers_after else 'RESTARTED'}).",
    )
    log(f"fault: {verdict}")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
