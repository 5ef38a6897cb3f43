"""make stack / make stack-stop: the production topology, running on this machine.

    readers ──► nginx (https 8243, http 8200 → https)
                 ├──► gunicorn app server A (8211) ─┐
                 └──► gunicorn app server B (8212) ─┼──► PostgreSQL primary (5480)
                                                     │        └─streaming─► replica (5481)
                                                     ├──► Redis (8220)
                                                     └──► S3 API, moto (8230): photo bucket

Everything runs from this checkout's .venv and Debian's nginx, PostgreSQL 15 and Redis, as
root (PostgreSQL as the postgres user). What it starts is written to .stack/state.json as it
starts; `stop` stops exactly those processes and clusters, and nothing else. docs/deploy.md
describes the topology and compose.yaml the same picture for operators.
"""

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from common import BIN, HOST, _port_open, http_status, log, manage, prod_env, wait_until  # noqa: E402
from fault import PG_BIN, Cluster, as_postgres  # noqa: E402

RUN = ROOT / ".stack"
STATE = RUN / "state.json"
CERT, KEY = RUN / "tls" / "cert.pem", RUN / "tls" / "key.pem"
NGINX_CONF = RUN / "nginx.conf"
PORTS = {
    "http": 8200,
    "https": 8243,
    "app_a": 8211,
    "app_b": 8212,
    "redis": 8220,
    "s3": 8230,
    "primary": 5480,
    "replica": 5481,
}
APP_SERVERS = ("app_a", "app_b")
SITE = f"https://{HOST}:{PORTS['https']}"
BUCKET = "newsroom-photos"
S3_KEYS = {"AWS_ACCESS_KEY_ID": "stack", "AWS_SECRET_ACCESS_KEY": "stack-secret"}
DATABASE = "newsroom"
COLLEAGUES = {"redaktor": "Redaktør", "journalist": "Journalist"}
NGINX_USER = "www-data"


def database_url(name):
    return f"postgres://postgres@{HOST}:{PORTS[name]}/{DATABASE}"


def app_env(state):
    """Production settings as both app servers run them: one secret, one database, one cache."""
    env = prod_env(
        database_url("primary"),
        DATABASE_REPLICA_URL=database_url("replica"),
        REDIS_URL=f"redis://{HOST}:{PORTS['redis']}/0",
        ALLOWED_HOSTS=f"{HOST},localhost",
        SITE_URL=SITE,
        SECURE_SSL_REDIRECT="true",
        TRUSTED_PROXY_COUNT=1,
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=f"http://{HOST}:{PORTS['s3']}",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_DEFAULT_ACL="public-read",
        # Photo URLs name the site itself: nginx serves /media/ from the bucket.
        AWS_S3_CUSTOM_DOMAIN=f"{HOST}:{PORTS['https']}",
        AWS_LOCATION="media",
        LOG_LEVEL="WARNING",
        **S3_KEYS,
    )
    env["SECRET_KEY"] = state["secret_key"]
    return env


# --- the state file: what this stack started -------------------------------------------------


def load_state():
    return json.loads(STATE.read_text(encoding="utf-8")) if STATE.exists() else None


def save_state(state):
    STATE.write_text(json.dumps(state, indent=2), encoding="utf-8")
    STATE.chmod(0o600)  # it holds the colleagues' passwords and the secret key


def spawn(state, name, command, **options):
    """A process that outlives this script, in its own session, logged to .stack/logs/."""
    log_file = open(RUN / "logs" / f"{name}.log", "ab")  # noqa: SIM115 - the child keeps it
    process = subprocess.Popen(
        command, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True, **options
    )
    state["processes"][name] = {"pid": process.pid, "marker": str(command[0])}
    save_state(state)
    return process.pid


def is_ours(entry):
    """The pid still runs the program we started (not a recycled pid)."""
    try:
        command = Path(f"/proc/{entry['pid']}/cmdline").read_bytes().replace(b"\0", b" ")
    except OSError:
        return False
    return Path(entry["marker"]).name.encode() in command


def end_process(state, name, sig=signal.SIGTERM, seconds=15):
    entry = state["processes"].pop(name, None)
    save_state(state)
    if not entry or not is_ours(entry):
        return
    with contextlib.suppress(ProcessLookupError):
        os.kill(entry["pid"], sig)
    deadline = time.monotonic() + seconds
    while is_ours(entry) and time.monotonic() < deadline:
        time.sleep(0.1)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(entry["pid"], os.WNOHANG)
    if is_ours(entry):
        os.kill(entry["pid"], signal.SIGKILL)


# --- the parts ---------------------------------------------------------------------------


def make_certificate():
    """A self-signed certificate for 127.0.0.1 and localhost, made here, never committed."""
    CERT.parent.mkdir(parents=True, exist_ok=True)
    if CERT.exists():
        return
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost",
         "-keyout", str(KEY), "-out", str(CERT)],
        check=True, capture_output=True,
    )  # fmt: skip
    KEY.chmod(0o600)


def cluster_dir(name):
    data = RUN / f"pg-{name}"
    data.mkdir(mode=0o700)
    shutil.chown(data, "postgres", "postgres")
    return data


def start_databases(state):
    primary = cluster_dir("primary")
    as_postgres(f"{PG_BIN}/initdb", "-D", str(primary), "-A", "trust", "-U", "postgres", "-E",
                "UTF8", "--locale", "C.UTF-8")  # fmt: skip
    # Streaming replication: wal_level replica is PostgreSQL 15's default; said for the reader.
    with (primary / "postgresql.conf").open("a") as conf:
        conf.write("wal_level = replica\nmax_wal_senders = 5\nhot_standby = on\n")
    state["clusters"]["primary"] = str(primary)
    save_state(state)
    Cluster(str(primary), PORTS["primary"]).start()
    as_postgres(f"{PG_BIN}/createdb", "-h", HOST, "-p", str(PORTS["primary"]), "-U",
                "postgres", DATABASE)  # fmt: skip
    replica = cluster_dir("replica")
    state["clusters"]["replica"] = str(replica)
    save_state(state)
    as_postgres(f"{PG_BIN}/pg_basebackup", "-h", HOST, "-p", str(PORTS["primary"]), "-U",
                "postgres", "-D", str(replica), "-R", "-X", "stream")  # fmt: skip
    start_replica(state)


def start_replica(state):
    Cluster(state["clusters"]["replica"], PORTS["replica"]).start()


def stop_replica(state):
    Cluster(state["clusters"]["replica"], PORTS["replica"]).stop()


def start_redis(state):
    spawn(state, "redis", ["redis-server", "--bind", HOST, "--port", str(PORTS["redis"]),
                           "--save", "", "--appendonly", "no"])  # fmt: skip
    wait_until(lambda: _port_open(PORTS["redis"]), what="redis")


def start_s3(state):
    spawn(state, "s3", [str(BIN / "moto_server"), "-H", HOST, "-p", str(PORTS["s3"])])
    wait_until(lambda: _port_open(PORTS["s3"]), what="the S3 server")
    import boto3

    boto3.client(
        "s3",
        endpoint_url=f"http://{HOST}:{PORTS['s3']}",
        region_name="us-east-1",
        aws_access_key_id=S3_KEYS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=S3_KEYS["AWS_SECRET_ACCESS_KEY"],
    ).create_bucket(Bucket=BUCKET)


COLLEAGUES_SCRIPT = """
import json, sys
from django.contrib.auth.models import Group, User
for username, (role, password) in json.load(sys.stdin).items():
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
"""


def prepare_site(state):
    env = app_env(state)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "load_demo", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    colleagues = {name: (role, state["passwords"][name]) for name, role in COLLEAGUES.items()}
    subprocess.run(
        [BIN / "python", "manage.py", "shell", "-c", COLLEAGUES_SCRIPT],
        cwd=ROOT, env=env, input=json.dumps(colleagues), text=True, check=True,
    )  # fmt: skip


def start_app(state, name):
    port = PORTS[name]
    spawn(
        state,
        name,
        [str(BIN / "gunicorn"), "newsroom.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2",
         "--no-control-socket", "--log-level", "warning", "--graceful-timeout", "10"],
        cwd=ROOT, env=app_env(state),
    )  # fmt: skip
    wait_until(lambda: http_status(f"http://{HOST}:{port}/healthz") == 200, what=name)


def kill_app(state, name):
    """The app server dies at once, workers and all, as a crashed machine would."""
    entry = state["processes"][name]
    workers = subprocess.run(
        ["pgrep", "-P", str(entry["pid"])], capture_output=True, text=True, check=False
    ).stdout.split()
    for pid in [entry["pid"], *map(int, workers)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    end_process(state, name, seconds=5)


def render_nginx_conf():
    template = (ROOT / "deploy" / "nginx.conf.template").read_text(encoding="utf-8")
    values = {
        "USER": NGINX_USER,
        "RUN": str(RUN),
        "SERVER_NAME": f"{HOST} localhost",
        "TLS": str(CERT.parent),
        "HTTP_LISTEN": f"{HOST}:{PORTS['http']}",
        "HTTPS_LISTEN": f"{HOST}:{PORTS['https']}",
        "HTTPS_PORT_SUFFIX": f":{PORTS['https']}",
        "APP_A": f"{HOST}:{PORTS['app_a']}",
        "APP_B": f"{HOST}:{PORTS['app_b']}",
        "STATIC_ROOT": str(ROOT / "staticfiles"),
        "MEDIA_ORIGIN": f"http://{HOST}:{PORTS['s3']}/{BUCKET}/media/",
    }
    for name, value in values.items():
        template = template.replace("{{" + name + "}}", str(value))
    NGINX_CONF.write_text(template, encoding="utf-8")


def start_nginx(state):
    render_nginx_conf()
    for part in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "cache", "media"):
        (RUN / "nginx" / part).mkdir(parents=True, exist_ok=True)
        shutil.chown(RUN / "nginx" / part, NGINX_USER)
    nginx = [
        "nginx",
        "-p",
        str(RUN),
        "-c",
        str(NGINX_CONF),
        "-e",
        str(RUN / "logs" / "nginx-error.log"),
    ]
    subprocess.run([*nginx, "-t", "-q"], check=True)
    subprocess.run(nginx, check=True)  # forks into the background and writes .stack/nginx.pid
    pid = int((RUN / "nginx.pid").read_text())
    state["processes"]["nginx"] = {"pid": pid, "marker": "nginx"}
    save_state(state)
    wait_until(lambda: _port_open(PORTS["https"]), what="nginx")


# --- start and stop ----------------------------------------------------------------------


def start():
    if load_state():
        sys.exit("The stack is already running (.stack/state.json): make stack-stop first.")
    busy = [f"{name} {port}" for name, port in PORTS.items() if _port_open(port)]
    if busy:
        sys.exit(f"Ports in use, not starting: {', '.join(busy)}")
    (RUN / "logs").mkdir(parents=True, exist_ok=True)
    make_certificate()
    state = {
        "processes": {},
        "clusters": {},
        "secret_key": secrets.token_urlsafe(50),
        "passwords": {name: secrets.token_urlsafe(12) for name in COLLEAGUES},
        "site": SITE,
        "ports": PORTS,
    }
    save_state(state)
    try:
        log("stack: PostgreSQL primary and its replica (pg_basebackup -R)")
        start_databases(state)
        log("stack: Redis and the S3 server")
        start_redis(state)
        start_s3(state)
        log("stack: migrate, demo content (photos into the bucket), collectstatic, colleagues")
        prepare_site(state)
        log("stack: two gunicorn app servers and nginx")
        for name in APP_SERVERS:
            start_app(state, name)
        start_nginx(state)
    except BaseException:
        log("stack: start failed; stopping what was started")
        stop()
        raise
    log(f"stack: up at {SITE}/ (admin: {SITE}/admin/, users {', '.join(COLLEAGUES)}; "
        f"passwords in {STATE.relative_to(ROOT)}); make stack-stop stops it")  # fmt: skip


def stop():
    state = load_state()
    if state is None:
        log("stack: nothing to stop (no .stack/state.json)")
        return
    if "nginx" in state["processes"]:
        end_process(state, "nginx", sig=signal.SIGQUIT)
    for name in ("app_a", "app_b", "s3", "redis"):
        end_process(state, name)
    for name in ("replica", "primary"):
        data = state["clusters"].pop(name, None)
        if data:
            Cluster(data, PORTS[name]).stop()
            shutil.rmtree(data, ignore_errors=True)
        save_state(state)
    STATE.unlink()
    log("stack: stopped")


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "start"
    {"start": start, "stop": stop}[command]()


if __name__ == "__main__":
    main()
