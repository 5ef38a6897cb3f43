"""Shared pieces of the benchmark and fault scripts: servers on 127.0.0.1, wrk, the report."""

import contextlib
import os
import re
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
REPORT = ROOT / "docs" / "performance.md"
HOST = "127.0.0.1"


def prod_env(database_url, **extra):
    """newsroom.settings.prod as it runs behind the TLS proxy, but spoken to in plain http."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.prod",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": f"https://{HOST}",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
        "LOG_LEVEL": "ERROR",
        **{key: str(value) for key, value in extra.items()},
    }


def manage(env, *args):
    subprocess.run([BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True)


def http_status(url, timeout=5):
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until(predicate, seconds=30, what="service"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds} s")


@contextlib.contextmanager
def redis_server(port):
    process = subprocess.Popen(
        ["redis-server", "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_until(lambda: _port_open(port), what=f"redis on {port}")
        yield process
    finally:
        stop(process)


@contextlib.contextmanager
def gunicorn(env, port, workers=2):
    process = subprocess.Popen(
        [
            BIN / "gunicorn",
            "newsroom.wsgi",
            "--bind",
            f"{HOST}:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until(lambda: http_status(f"http://{HOST}:{port}/healthz") == 200, what="gunicorn")
        yield process
    finally:
        stop(process)


def worker_pids(process):
    result = subprocess.run(
        ["pgrep", "-P", str(process.pid)], capture_output=True, text=True, check=False
    )
    return [int(pid) for pid in result.stdout.split()]


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _port_open(port):
    import socket

    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((HOST, port)) == 0


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text):
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def wrk(url, seconds, connections=32, threads=2, script=None):
    """Requests/s, p50 and p99 in ms, and errors: socket errors plus every answer that is not
    the expected 200 (a redirect is an error too), counted by the script's response hook."""
    options = ["-s", str(script)] if script else []
    # A slow answer is measured, not dropped: wrk's own timeout (2 s) would count it as an
    # error and leave it out of the percentiles.
    timing = [f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
    result = subprocess.run(
        ["wrk", *timing, "--latency", *options, url],
        capture_output=True,
        text=True,
        check=True,
        timeout=seconds + 60,
    )
    out = result.stdout
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.MULTILINE))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    if script:  # the script reports every answer but 200 on a line of its own
        wrong = len(re.findall(r"^unexpected status \d+$", out, re.MULTILINE))
    else:
        non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        wrong = int(non_2xx.group(1)) if non_2xx else 0
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(percentiles["50"]),
        "p99": _ms(percentiles["99"]),
        "errors": errors + wrong,
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),
        "used_up": "paths used up" in out,
    }


# Every request says it came through the TLS proxy; every answer but 200 is reported (wrk itself
# counts only 4xx and 5xx). (A done() hook that gathers counters from the threads slowed wrk to a
# crawl here: hence one line per answer.) Two ways through the list:
# - in turn: each thread walks the whole list from its own starting point, round and round;
# - once: the threads share the list out (thread i asks for paths i, i + threads, ...), so no
#   path is asked for twice, and a thread whose share is used up stops and says so. wrk still
#   divides by the whole duration, so the rate is then a lower bound.
ROTATING_PATHS_LUA = """
local paths = {%s}
local suffix = %s
local once = %s
local thread_count = %d
local threads = 0
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end
function init(args)
  step = 0
  math.randomseed(first * 7919 + os.time())
  wrk.headers["X-Forwarded-Proto"] = "https"
end
function request()
  local index
  if once then
    index = first + step * thread_count
    if index + thread_count >= #paths then
      if index < #paths then io.write("paths used up\\n") end
      wrk.thread:stop()
      index = math.min(index, #paths - 1)  -- its answer is never read: the thread stops
    end
  else
    index = (first * 7919 + step) %% #paths
  end
  step = step + 1
  local path = paths[index + 1]
  if suffix ~= "" then
    path = path .. suffix .. math.random(1, 1000000000)
  end
  return wrk.format("GET", path)
end
function response(status, headers, body)
  if status ~= 200 then
    io.write("unexpected status " .. status .. "\\n")
  end
end
"""


def rotating_paths_script(paths, destination, random_suffix="", once=False, threads=2):
    """A wrk script asking for ``paths`` in turn (``once``: each at most once, shared out among
    the ``threads``). ``random_suffix`` (e.g. ``?fbclid=``) is followed by a random number on
    every request."""
    quoted = ",".join(f'"{path}"' for path in paths)
    script = ROTATING_PATHS_LUA % (quoted, f'"{random_suffix}"', str(once).lower(), threads)
    destination.write_text(script, encoding="utf-8")
    return destination


def write_report_block(name, text, report_file=REPORT):
    """Replace the block between <!-- name:start --> and <!-- name:end --> in the report."""
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    report = report_file.read_text(encoding="utf-8") if report_file.exists() else ""
    block = f"{start}\n{text.strip()}\n{end}"
    if start in report and end in report:
        before, rest = report.split(start, 1)
        report = before + block + rest.split(end, 1)[1]
    else:
        report = report.rstrip() + "\n\n" + block + "\n"
    report_file.write_text(report, encoding="utf-8")


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)
