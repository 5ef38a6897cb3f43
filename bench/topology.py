"""make stack-test: the running stack (deploy/stack.py) checked through nginx over https.

Checks, each as the role that does it (editor and journalist from the newsroom groups, never a
superuser), all through https://127.0.0.1:8243 with the stack's own certificate:

- plain http redirects to https; pages come over HTTP/2 with HSTS from the app; a reader's
  pages, the feed, CSS and photos answer, the second reader gets the page from nginx's cache;
- an editor logs in, writes and publishes an article; anonymous readers see it on the front
  page within the micro-cache lifetime (the app's s-maxage); her next save shows on her own
  next page view at once (it reads from the primary);
- app server A is killed (SIGKILL, workers and all) under reader load: no failed request;
- the replica is stopped under reader load (half of the requests miss every cache): no
  failed request;
- a journalist uploads a photo: the original and its renditions land in the bucket and nginx
  serves them.

Then the nginx rows for docs/deploy.md: the article page from nginx's cache, from the app
servers' page cache, rendered on every request, and the same HTML as a static file served by
nginx, in the same run. `--bench-only` measures without the checks. Exit status 1 on failure.
"""

import http.cookiejar
import json
import re
import ssl
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter

import boto3
import psycopg
from common import HOST, ROOT, log, rotating_paths_script, write_report_block, wrk
from fault import ARTICLE

sys.path.insert(0, str(ROOT / "deploy"))
sys.path.insert(0, str(ROOT))
import stack

from tests.forms import form_data
from tests.image_files import photo_bytes

SITE = stack.SITE
DEPLOY_DOC = ROOT / "docs" / "deploy.md"
MICRO_CACHE_SECONDS = 60  # PAGE_CACHE_CONTROL["s_maxage"]
# A worker trusts its copy of the page generation for a second (PAGE_CACHE_GENERATION_MEMO),
# and the first reader after the micro-cache expires gets the stored copy while nginx fetches
# the new one (stale-while-revalidate): a few seconds on top of the lifetime.
MICRO_CACHE_SLACK = 5
# Served from nginx's cache: fresh, or the stored copy while one request refreshes it.
FROM_NGINX_CACHE = {"HIT", "UPDATING", "STALE", "REVALIDATED"}
SECONDS = 8
TLS = ssl.create_default_context(cafile=str(stack.CERT))


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Visitor:
    """One browser: its own cookies, no automatic redirects."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPSHandler(context=TLS),
            urllib.request.HTTPCookieProcessor(self.cookies),
            _NoRedirects,
        )

    def request(self, path, data=None, headers=None):
        url = path if path.startswith("http") else SITE + path
        headers = {"Origin": SITE, "Referer": url, **(headers or {})}
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def page(self, path):
        status, headers, body = self.request(path)
        return status, headers, body.decode("utf-8", "replace")

    def post(self, path, fields):
        return self.request(path, urllib.parse.urlencode(fields, doseq=True).encode())

    def post_multipart(self, path, fields, files):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{item}\r\n".encode()
                )
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        content_type = f"multipart/form-data; boundary={boundary}"
        return self.request(path, body, {"Content-Type": content_type})

    def log_in(self, username, password):
        status, _, html = self.page("/admin/login/")
        fields = form_data(html, "login-form", username=username, password=password)
        status, headers, _ = self.post("/admin/login/?next=/admin/", fields)
        if status != 302 or headers["Location"] != "/admin/":
            raise AssertionError(f"{username} could not log in ({status})")


class Checks:
    def __init__(self):
        self.results = []

    def check(self, what, passed, detail=""):
        self.results.append((what, bool(passed), detail))
        log(f"{'PASS' if passed else 'FAIL'}: {what}{f' ({detail})' if detail else ''}")

    @property
    def failed(self):
        return [what for what, passed, _ in self.results if not passed]


class ReaderLoad:
    """Anonymous readers through nginx: cached pages, and pages that miss every cache."""

    def __init__(self, threads=6):
        self.statuses = Counter()
        self.failures = []
        self.stopping = threading.Event()
        self.counter = iter(range(10**9))
        self.threads = [threading.Thread(target=self.run, args=(n,)) for n in range(threads)]

    def run(self, number):
        visitor = Visitor()
        while not self.stopping.is_set():
            if number % 2:
                path = ARTICLE if number % 4 == 1 else "/"
            else:  # a new query string: nginx and the page cache miss, the database answers
                path = f"{ARTICLE}?lest={next(self.counter)}"
            try:
                status, _, _ = visitor.request(path)
            except OSError as error:
                status = type(error).__name__
            self.statuses[status] += 1
            if status != 200:
                self.failures.append((path, status))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def summary(self):
        return ", ".join(f"{status}: {n}" for status, n in sorted(self.statuses.items(), key=str))


def check_front_door(checks):
    status, headers, _ = Visitor().request(f"http://{HOST}:{stack.PORTS['http']}/verden/")
    checks.check(
        "http redirects to https",
        status == 301 and headers["Location"] == f"{SITE}/verden/",
        f"{status} {headers.get('Location')}",
    )
    version = subprocess.run(
        ["curl", "-s", "-o", "/dev/null", "-w", "%{http_version}", "--cacert", str(stack.CERT),
         f"{SITE}/"],
        capture_output=True, text=True, check=False,
    ).stdout  # fmt: skip
    checks.check("pages come over HTTP/2", version == "2", f"HTTP/{version}")


def check_reader_journey(checks):
    reader = Visitor()
    status, headers, front = reader.page("/")
    checks.check(
        "front page over https with HSTS from the app",
        status == 200 and "max-age=31536000" in headers.get("Strict-Transport-Security", ""),
    )
    pages = [ARTICLE, "/verden/", "/sok/?q=russland", "/rss/"]
    statuses = [reader.request(path)[0] for path in pages]
    checks.check("article, section, search and feed answer", statuses == [200] * 4, statuses)
    second = Visitor().request(ARTICLE)[1].get("X-Cache")
    checks.check(
        "the next reader gets the article from nginx's cache",
        second in FROM_NGINX_CACHE,
        second,
    )
    css = re.search(r'href="(/static/css/site\.[0-9a-f]+\.css)"', front).group(1)
    status, headers, _ = reader.request(css, headers={"Accept-Encoding": "gzip"})
    checks.check(
        "CSS served by nginx, gzipped, kept for a year",
        status == 200
        and headers.get("Content-Encoding") == "gzip"
        and "immutable" in headers.get("Cache-Control", ""),
    )
    photo = re.search(rf'src="({re.escape(SITE)}/media/[^"]+)"', front).group(1)
    status, headers, _ = reader.request(photo)
    checks.check(
        "photos come from the bucket through nginx, kept for a year",
        status == 200 and "immutable" in headers.get("Cache-Control", ""),
        photo,
    )


def section_id(visitor, name):
    """What the admin's section autocomplete offers for ``name``, as the browser asks it."""
    query = urllib.parse.urlencode(
        {"term": name, "app_label": "articles", "model_name": "article", "field_name": "section"}
    )
    _, _, answer = visitor.request(f"/admin/autocomplete/?{query}")
    return next(r["id"] for r in json.loads(answer)["results"] if r["text"] == name)


def check_editor_publishes(checks, state):
    editor = Visitor()
    editor.log_in("redaktor", state["passwords"]["redaktor"])
    _, _, form = editor.page("/admin/articles/article/add/")
    title = f"Stortinget vedtok budsjettet {uuid.uuid4().hex[:6]}"
    fields = form_data(
        form,
        "article_form",
        title=title,
        slug=title.lower().replace(" ", "-"),
        section=section_id(editor, "Innenriks"),
        lead="Et flertall sto bak budsjettet etter lange forhandlinger.",
        body="Budsjettet ble vedtatt sent i kveld.",
        _publish="1",
    )
    status, _, _ = editor.post("/admin/articles/article/add/", fields)
    checks.check("an editor publishes a new article", status == 302, status)

    published = time.monotonic()
    seen_after = None
    while time.monotonic() - published < MICRO_CACHE_SECONDS + 15:
        if title in Visitor().page("/")[2]:
            seen_after = time.monotonic() - published
            break
        time.sleep(1)
    checks.check(
        f"readers see it on the front page within the micro-cache lifetime "
        f"({MICRO_CACHE_SECONDS} s + {MICRO_CACHE_SLACK} s for one refresh)",
        seen_after is not None and seen_after <= MICRO_CACHE_SECONDS + MICRO_CACHE_SLACK,
        f"after {seen_after:.0f} s" if seen_after is not None else "never",
    )

    slug = fields["slug"]
    _, _, front = Visitor().page("/")
    article_path = re.search(rf'href="([^"]*/{slug}/)"', front).group(1)
    _, _, listing = editor.page("/admin/articles/article/")
    change = re.search(rf'href="(/admin/articles/article/\d+/change/)[^"]*">{title}<', listing)
    _, _, form = editor.page(change.group(1))
    new_title = f"{title} og skattene"
    status, _, _ = editor.post(change.group(1), form_data(form, "article_form", title=new_title))
    _, _, page = editor.page(article_path)
    checks.check(
        "the editor's save shows on her next page view at once",
        status == 302 and new_title in page,
        article_path,
    )
    with psycopg.connect(
        stack.database_url("replica").replace("postgres://", "postgresql://")
    ) as replica:
        time.sleep(1)
        copied = replica.execute(
            "SELECT count(*) FROM articles_article WHERE title = %s", [new_title]
        ).fetchone()[0]
    checks.check("the replica streams the primary's writes", copied == 1)


def check_app_server_killed(checks, state):
    with ReaderLoad() as load:
        time.sleep(3)
        log("stack-test: killing app server A")
        stack.kill_app(state, "app_a")
        time.sleep(SECONDS)
    checks.check(
        "app server A killed under load: no failed reader request",
        not load.failures and sum(load.statuses.values()) > 0,
        load.summary(),
    )
    stack.start_app(state, "app_a")


def replica_fallbacks():
    """Lines the app servers logged when a worker found the replica down (newsroom/db_router)."""
    logs = [stack.RUN / "logs" / f"{name}.log" for name in stack.APP_SERVERS]
    return sum(path.read_text(errors="replace").count("Replica unavailable") for path in logs)


def check_replica_stopped(checks, state):
    fallbacks = replica_fallbacks()
    with ReaderLoad() as load:
        time.sleep(3)
        log("stack-test: stopping the replica")
        stack.stop_replica(state)
        time.sleep(SECONDS)
    checks.check(
        "replica stopped under load: no failed reader request",
        not load.failures and sum(load.statuses.values()) > 0,
        load.summary(),
    )
    checks.check(
        "the workers found the replica down and read from the primary",
        replica_fallbacks() > fallbacks,
        f"{replica_fallbacks() - fallbacks} workers said so in their log",
    )
    stack.start_replica(state)


def bucket_keys():
    client = boto3.client(
        "s3",
        endpoint_url=f"http://{HOST}:{stack.PORTS['s3']}",
        region_name="us-east-1",
        aws_access_key_id=stack.S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=stack.S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    )
    listing = client.list_objects_v2(Bucket=stack.BUCKET, Prefix="media/")
    return {item["Key"] for item in listing.get("Contents", [])}


def check_photo_upload(checks, state):
    journalist = Visitor()
    journalist.log_in("journalist", state["passwords"]["journalist"])
    before = bucket_keys()
    _, _, form = journalist.page("/admin/articles/image/add/")
    fields = form_data(
        form, "image_form", alt_text="Stortingssalen under voteringen", credit="NTB"
    )
    status, _, _ = journalist.post_multipart(
        "/admin/articles/image/add/", fields, {"file": ("votering.jpg", photo_bytes())}
    )
    new = sorted(bucket_keys() - before)
    originals = [key for key in new if key.startswith("media/bilder/")]
    renditions = [key for key in new if key.startswith("media/versjoner/")]
    checks.check(
        "a journalist's photo and its renditions land in the bucket",
        status == 302 and len(originals) == 1 and len(renditions) >= 3,
        f"{len(originals)} original, {len(renditions)} renditions",
    )
    if renditions:
        url = f"{SITE}/{renditions[-1]}"
        status, headers, body = Visitor().request(url)
        checks.check(
            "nginx serves the new photo from the bucket",
            status == 200 and headers.get("Content-Type", "").startswith("image/") and body,
            url,
        )


def bench():
    """wrk through nginx over https; the same HTML as a static file, in the same run."""
    html = Visitor().request(ARTICLE)[2]
    static_copy = ROOT / "staticfiles" / "bench-article.html"
    static_copy.write_bytes(html)
    paths = [f"{ARTICLE}?lest=bench-{n}" for n in range(5_000)]
    script = rotating_paths_script(paths, stack.RUN / "rotating.lua")
    behind_nginx = stack.RUN / "behind-nginx.lua"  # what nginx tells the app about https
    behind_nginx.write_text('wrk.headers["X-Forwarded-Proto"] = "https"\n', encoding="utf-8")
    static = f"{SITE}/static/bench-article.html"
    app = f"http://{HOST}:{stack.PORTS['app_a']}{ARTICLE}"
    rows = [
        ("static", "the same HTML as a static file, nginx", static, None),
        ("nginx", "article page, nginx micro-cache", f"{SITE}{ARTICLE}", None),
        ("app", "article page, one app server's page cache (no nginx)", app, behind_nginx),
        ("render", "article page rendered on every request (nginx → 2 app servers)", SITE, script),
    ]
    results = {}
    try:
        for key, label, url, lua in rows:
            log(f"bench: {label}")
            results[key] = (label, wrk(url, SECONDS, connections=32, script=lua))
    finally:
        static_copy.unlink()
    static = results["static"][1]["rps"]
    lines = [
        "| what | req/s | p50 ms | p99 ms | errors | of static |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for label, result in results.values():
        lines.append(
            f"| {label} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | "
            f"{result['errors']} | {result['rps'] / static:.2f} |"
        )
    ratio = results["nginx"][1]["rps"] / static
    verdict = "met" if ratio >= 0.5 else "NOT met"
    text = (
        f"Run {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC, `make stack-test` on this "
        f"machine (2 cores shared with other work; wrk {SECONDS} s, 32 connections, https, "
        f"HTTP/1.1): warm article through nginx {ratio:.2f} of nginx's static file, target "
        f"0.5 {verdict}.\n\n" + "\n".join(lines)
    )
    write_report_block("stack-bench", text, report_file=DEPLOY_DOC)
    (stack.RUN / "bench.json").write_text(
        json.dumps({key: result for key, (_, result) in results.items()}), encoding="utf-8"
    )
    return ratio >= 0.5, text


def main():
    state = stack.load_state()
    if state is None:
        sys.exit("The stack is not running: make stack first (or make stack-test).")
    checks = Checks()
    if "--bench-only" not in sys.argv:
        started = time.monotonic()
        check_front_door(checks)
        check_reader_journey(checks)
        check_editor_publishes(checks, state)
        check_app_server_killed(checks, state)
        check_replica_stopped(checks, state)
        check_photo_upload(checks, state)
        log(f"stack-test: checks took {time.monotonic() - started:.0f} s")
    met, text = bench()
    checks.check("warm article through nginx ≥ 0.5 of the static file", met)
    print(text)
    print(
        f"\nstack-test: {len(checks.results) - len(checks.failed)} of {len(checks.results)} passed"
    )
    for what in checks.failed:
        print(f"FAILED: {what}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
