"""Lighthouse 12 on each kind of reader page, served as in production (make lighthouse, CI).

Starts its own gunicorn on 127.0.0.1 with newsroom.settings.prod, a fresh SQLite database
with the demo content and collected static files, runs Lighthouse (mobile, simulated
throttling) on every page in PAGES, prints the four category scores and fails when one is
below the bar: 100, except performance (95 on a loaded machine) and SEO on search results,
which are noindex on purpose. Reports (HTML and JSON) go to .lighthouse/reports/.
``--write-docs`` puts the table into docs/reader-site.md.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request

from common import HOST, ROOT, gunicorn, log, manage, prod_env

PORT = 8166
ORIGIN = f"http://{HOST}:{PORT}"
CLI = ROOT / ".lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = ROOT / ".lighthouse" / "reports"
DOCS = ROOT / "docs" / "reader-site.md"
REFERENCE_ARTICLE = (
    "/verden/2023/09/12/kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin/"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
LABELS = {
    "performance": "Performance",
    "accessibility": "Accessibility",
    "best-practices": "Best practices",
    "seo": "SEO",
}
MINIMUM = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}
# Search results carry noindex on purpose, which Lighthouse's SEO category counts against.
NOT_SCORED = {"search": {"seo"}}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


def reader_pages():
    """Name → path of each page type; the tag and person are the reference article's own."""
    with urllib.request.urlopen(ORIGIN + REFERENCE_ARTICLE, timeout=30) as response:  # noqa: S310
        article = response.read().decode()
    tag = re.search(r'href="(/tema/[^"/]+/)"', article).group(1)
    person = re.search(r'href="(/person/[^"/]+/)"', article).group(1)
    return {
        "front": "/",
        "article": REFERENCE_ARTICLE,
        "section": "/verden/",
        "tag": tag,
        "person": person,
        "search": "/sok/?q=Putin",
    }


def lighthouse(name, path, attempts=4):
    """Scores and the whole report. A run that Chromium or its trace failed (it did not start,
    or NO_NAVSTART: the trace missed the page load, seen on a freshly installed Chromium's first
    runs) is tried again, a few seconds later, up to ``attempts`` times; a low score is never
    retried."""
    output = REPORTS / name
    command = [
        "node",
        CLI,
        ORIGIN + path,
        "--quiet",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    for attempt in range(1, attempts + 1):
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=180)
        if result.returncode == 0:
            break
        log(f"  Lighthouse failed ({result.stderr.strip()[-300:]})")
        if attempt == attempts:
            raise SystemExit(f"Lighthouse could not audit {path}")
        time.sleep(2 * attempt)
    report = json.loads(output.with_suffix(".report.json").read_text(encoding="utf-8"))
    return {
        category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES
    }, report


def shortfalls(name, scores):
    return [
        category
        for category in CATEGORIES
        if category not in NOT_SCORED.get(name, set()) and scores[category] < MINIMUM[category]
    ]


def failed_audits(report, categories):
    """The audits that cost points in the given categories, for the log."""
    lines = []
    for category in categories:
        for ref in report["categories"][category]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref["weight"] and audit["score"] is not None and audit["score"] < 1:
                lines.append(f"  {category}: {audit['id']} ({audit['score']}) {audit['title']}")
    return lines


def table(results):
    header = "| page | path | " + " | ".join(LABELS[c] for c in CATEGORIES) + " |"
    rows = [header, "|" + "---|" * (len(CATEGORIES) + 2)]
    for name, (path, scores) in results.items():
        cells = [
            "(noindex)" if category in NOT_SCORED.get(name, set()) else str(scores[category])
            for category in CATEGORIES
        ]
        rows.append(f"| {name} | `{path}` | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def write_docs(text):
    start, end = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
    docs = DOCS.read_text(encoding="utf-8")
    before, rest = docs.split(start, 1)
    DOCS.write_text(before + f"{start}\n{text}\n{end}" + rest.split(end, 1)[1], encoding="utf-8")


def main():
    if not CLI.exists():
        sys.exit(f"Lighthouse is not installed in {CLI.parent.parent}; run `make lighthouse`.")
    REPORTS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        env = prod_env(
            f"sqlite:///{scratch}/db.sqlite3",
            SITE_URL=ORIGIN,
            # Plain http on loopback: no proxy in front says "https", and none may be trusted.
            SECURE_PROXY_SSL_HEADER="false",
            SERVE_MEDIA="true",
            MEDIA_ROOT=f"{scratch}/media",
        )
        log("Preparing a production-like site with the demo content")
        manage(env, "migrate", "--noinput", "--verbosity", "0")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput", "--verbosity", "0")
        results, failures = {}, []
        with gunicorn(env, PORT):
            for name, path in reader_pages().items():
                log(f"Lighthouse: {name} {path}")
                scores, report = lighthouse(name, path)
                missing = shortfalls(name, scores)
                if missing == ["performance"]:
                    # Another process hogging a core costs performance points: measure again.
                    log(f"  performance {scores['performance']}; measuring again")
                    scores, report = lighthouse(name, path)
                    missing = shortfalls(name, scores)
                results[name] = (path, scores)
                if missing:
                    failures.append(name)
                    print("\n".join(failed_audits(report, missing)))
    summary = table(results)
    print(summary)
    (REPORTS / "summary.md").write_text(summary + "\n", encoding="utf-8")
    log(f"Reports in {REPORTS} ({time.monotonic() - started:.0f} s)")
    if "--write-docs" in sys.argv[1:]:
        write_docs(summary)
    if failures:
        sys.exit(f"Below the bar: {', '.join(failures)}")


if __name__ == "__main__":
    main()
