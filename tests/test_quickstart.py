"""The README's quick start as a new user meets it: a clean clone, `make run`, the admin.

Runs the real commands in a fresh clone of this repository (its committed state), with its
own virtual environment and SQLite database, so an install step that only works on a
developer's machine fails here.
"""

import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 600

pytestmark = [
    pytest.mark.quickstart,
    pytest.mark.skipif(shutil.which("git") is None, reason="needs git"),
    pytest.mark.skipif(
        bool(os.environ.get("DATABASE_URL")),
        reason="the quick start runs on its own SQLite database; run once, without DATABASE_URL",
    ),
]

# Every line `make run` may print before the server listens: what a user should read.
EXPECTED_OUTPUT = [
    r"Creating the virtual environment in \.venv/ with .+",
    r"Installing the site's dependencies \(pyproject\.toml\)",
    r"Preparing the database",
    r"Demoinnholdet er lastet: \d+ artikler i \d+ seksjoner\.",
    r"Databasen har allerede artikler; demoinnholdet lastes ikke på nytt\.",
    r"Database: .+",
    r"Kontoer for å prøve redaksjonen \(bare i utvikling\):",
    r"  (Journalist|Redaktør) +brukernavn: \S+ +passord: \S+",
    r"Passordene vises bare nå\. Nye passord: .+",
    r"Serving http://127\.0\.0\.1:\d+/ \(admin: http://127\.0\.0\.1:\d+/admin/\); "
    r"Ctrl\+C stops it",
    r"\[[^]]+\] \[\d+\] \[INFO\] (Starting gunicorn [\d.]+|Listening at: \S+ \(\d+\))",
]
ACCOUNT = re.compile(r"^  (?P<role>Journalist|Redaktør) +brukernavn: (?P<username>\S+) +"
                     r"passord: (?P<password>\S+)$")  # fmt: skip


def user_environment(**extra):
    """The environment of a user's shell: none of this test run's Django settings."""
    dropped = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV"}
    # Under `make test` the outer make's variables would make the inner one announce itself.
    dropped |= {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"}
    env = {name: value for name, value in os.environ.items() if name not in dropped}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return {**env, **extra}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    target = tmp_path_factory.mktemp("quickstart") / "newsroom"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True)
    return target


class Server:
    def __init__(self, clone, port):
        self.lines = []
        self.listening = threading.Event()
        self.process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=user_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self.read, daemon=True).start()

    def read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if "Listening at:" in line:
                self.listening.set()

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(clone):
    port = free_port()
    running = Server(clone, port)
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not running.listening.wait(1):
            failed = running.process.poll() is not None
            if failed or time.monotonic() > deadline:
                pytest.fail("`make run` did not start:\n" + "\n".join(running.lines))
        time.sleep(1)  # the workers boot after the socket listens
        running.url = f"http://127.0.0.1:{port}"
        yield running
    finally:
        running.stop()


def output_until_listening(server):
    lines = []
    for line in server.lines:
        lines.append(line)
        if "Listening at:" in line:
            return lines
    return lines


def test_make_run_prints_only_what_a_user_should_read(server):
    unexpected = [
        line
        for line in output_until_listening(server)
        if not any(re.fullmatch(pattern, line) for pattern in EXPECTED_OUTPUT)
    ]
    assert unexpected == []


def test_make_run_serves_the_reference_article(server):
    path = "/verden/2023/09/12/kim-jong-un-i-russland-for-a-sikre-seg-tettere-band-med-putin/"
    with urllib.request.urlopen(server.url + path, timeout=30) as response:
        page = response.read().decode()
    assert "Mer fra Dagsavisen" in page


def log_in(base_url, username, password):
    """Log in to the admin as a browser would; returns the admin index page's HTML."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    login_url = base_url + "/admin/login/?next=/admin/"
    form = opener.open(login_url, timeout=30).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": username,
            "password": password,
            "next": "/admin/",
        }
    ).encode()
    request = urllib.request.Request(login_url, data=data, headers={"Referer": login_url})
    return opener.open(request, timeout=30).read().decode()


def test_printed_demo_accounts_log_in_to_the_admin(server):
    accounts = [m.groupdict() for line in server.lines if (m := ACCOUNT.match(line))]
    assert {account["role"] for account in accounts} == {"Journalist", "Redaktør"}
    for account in accounts:
        index = log_in(server.url, account["username"], account["password"])
        assert "Logg ut" in index, account["username"]


def run_manage(clone, *args, **env):
    return subprocess.run(
        [str(clone / ".venv" / "bin" / "python"), "manage.py", *args],
        cwd=clone,
        env=user_environment(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_no_demo_accounts_under_production_settings(clone, server, tmp_path):
    production = {
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": "quickstart-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "www.example.no",
        "SITE_URL": "https://www.example.no",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    for command in (["migrate", "--noinput", "--verbosity", "0"], ["load_demo"]):
        result = run_manage(clone, *command, **production)
        assert result.returncode == 0, result.stdout + result.stderr
    assert "passord" not in result.stdout
    users = run_manage(
        clone,
        "shell",
        "--verbosity",
        "0",
        "-c",
        "from django.contrib.auth import get_user_model; print(get_user_model().objects.count())",
        **production,
    )
    assert users.stdout.strip() == "0", users.stdout + users.stderr


def test_loaddata_on_an_empty_database_prints_no_traceback(clone, server, tmp_path):
    fresh = {"DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
             "MEDIA_ROOT": str(tmp_path / "media")}  # fmt: skip
    run_manage(clone, "migrate", "--noinput", "--verbosity", "0", **fresh)
    result = run_manage(clone, "loaddata", "sections", "people", "images", "articles", **fresh)
    assert result.returncode == 0, result.stderr
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    assert len(output.strip().splitlines()) <= 2, output
