"""`make load`: does the site hold a crowd? 64 connections for 60 s against gunicorn, no error allowed.

    python bench/load_test.py [--db sqlite|postgres] [--seconds 60] [--connections 64]

The script makes a fresh database (SQLite file var/load.sqlite3, or the PostgreSQL database load_db
with Redis db 12 as the cache), loads `seed_demo --volume 1000`, collects the static files and starts
gunicorn (2 sync workers, DEBUG off, PAYMENT_ALLOW_DUMMY=true) on a free port; it stops it at the
end, also after a failure or Ctrl-C.

The load: one wrk per URL, all at once, sharing the connections (16 on the landing page, 8 on each
list page: /store/, /events/, /joblist/, /news/, /censorship/resumes/, and 8 sending the advocacy
alert sign-up form). The form is a real submission: a CSRF cookie and token from a GET first
(bench/load.lua), a new email address each time, so each one writes a subscriber and queues an email.
The form's rate limit (10 per address in 10 minutes) would soon answer 429 to one address: the server
runs with TRUST_X_FORWARDED_FOR=true, as behind a proxy, and each POST carries its own
X-Forwarded-For address, so the limit is exercised (a cache add and incr per POST) without refusing.

Printed per URL: requests, requests per second, answers that were not 2xx/3xx, socket errors
(connect, read, write, timeout), p50 and p99. wrk waits up to 10 s for an answer (a browser waits
longer); slower counts as a timeout. The exit status is 1 on any 5xx, any other non-2xx/3xx answer,
any socket error, or when a sign-up answered with success was not recorded (or more were recorded
than answered plus those in flight when wrk stopped).
"""

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
LUA = str(ROOT / "bench" / "load.lua")
POSTGRES = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379"

FORM = "/advocacy/alerts/"
# (path, share of the connections); the form is POSTed, the rest are GETs.
TARGETS = [("/", 2), ("/store/", 1), ("/events/", 1), ("/joblist/", 1), ("/news/", 1), ("/censorship/resumes/", 1)]
FORM_SHARE = 1


def log(message):
    print(message, flush=True)


def stack(db):
    """DATABASE_URL and CACHE_URL of the stack under test."""
    if db == "postgres":
        return {"DATABASE_URL": f"{POSTGRES}/load_db", "CACHE_URL": f"{REDIS}/12", "CONN_MAX_AGE": "60"}
    return {"DATABASE_URL": f"sqlite:///{VAR / 'load.sqlite3'}", "CACHE_URL": "locmemcache://load"}


def server_env(urls, port, static_root):
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "CACHE_URL")}
    env.update(
        DEBUG="false",
        SECRET_KEY="load-test-only-not-secret",
        SECURE_COOKIES="false",
        PAYMENT_ALLOW_DUMMY="true",
        TRUST_X_FORWARDED_FOR="true",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SITE_URL=f"http://127.0.0.1:{port}",
        STATIC_ROOT=str(static_root),
        TASKS_BACKEND="database",
        LOG_LEVEL="WARNING",
        **urls,
    )
    return env


def manage(env, *args, quiet=True):
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def fresh_database(database_url):
    """An empty database: the SQLite file removed, or the PostgreSQL database dropped and created."""
    if database_url.startswith("sqlite:///"):
        path = Path(database_url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg

    name = database_url.rsplit("/", 1)[1]
    server = database_url.rsplit("/", 1)[0]
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def empty_redis(cache_url):
    if cache_url.startswith("redis://"):
        import redis

        redis.Redis.from_url(cache_url).flushdb()


def prepare(env, volume):
    """Fresh database with the demo content (and `volume` generated rows of each kind), static files."""
    started = time.monotonic()
    fresh_database(env["DATABASE_URL"])
    empty_redis(env["CACHE_URL"])
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "seed_demo", *(["--volume", str(volume)] if volume else []))
    manage(env, "collectstatic", "--noinput", "-v0")
    log(f"Database ready in {time.monotonic() - started:.0f} s (seed_demo --volume {volume}).")


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, data=None, headers=None, cookies=None, timeout=15):
    """(status, headers, body text, seconds); HTTP errors are answers too, not exceptions."""
    handlers = [NoRedirect()]
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    opener = urllib.request.build_opener(*handlers)
    body = None if data is None else urllib.parse.urlencode(data).encode()
    request = urllib.request.Request(url, data=body, headers=headers or {})
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=timeout) as response:
            status, answer_headers, text = response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        status, answer_headers, text = error.code, error.headers, error.read()
    return status, answer_headers, text.decode("utf-8", "replace"), time.perf_counter() - started


def csrf_pair(base, path=FORM):
    """A CSRF cookie and a form token that goes with it, from a GET of the form as a browser would."""
    cookies = CookieJar()
    status, _headers, body, _seconds = fetch(base + path, cookies=cookies)
    if status != 200:
        raise SystemExit(f"GET {path} answered {status}: cannot get a CSRF token")
    cookie = next((c.value for c in cookies if c.name == "csrftoken"), None)
    marker = 'name="csrfmiddlewaretoken" value="'
    if cookie is None or marker not in body:
        raise SystemExit(f"GET {path} gave no CSRF cookie or token")
    token = body.split(marker, 1)[1].split('"', 1)[0]
    return cookie, token


class Gunicorn:
    """gunicorn on 127.0.0.1:port with 2 sync workers; its output goes to log_path."""

    def __init__(self, env, port, log_path, workers=2):
        self.port, self.log_path = port, log_path
        self.base = f"http://127.0.0.1:{port}"
        self.log_file = open(log_path, "w")  # noqa: SIM115 (closed in stop())
        command = [GUNICORN, "ala_site.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
        command += ["--worker-class", "sync", "--timeout", "60", "--graceful-timeout", "5", "--no-control-socket"]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self.log_file, stderr=subprocess.STDOUT)

    def wait_ready(self, path="/robots.txt", timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            with contextlib.suppress(OSError):
                if fetch(self.base + path, timeout=5)[0] == 200:
                    return
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def worker_pids(self):
        result = subprocess.run(["ps", "-o", "pid=", "--ppid", str(self.process.pid)], capture_output=True, text=True)
        return sorted(int(pid) for pid in result.stdout.split())

    def log_text(self):
        if not self.log_file.closed:
            self.log_file.flush()
        return Path(self.log_path).read_text(errors="replace")

    def log_tail(self, lines=30):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def run_wrk(url, connections, seconds, *script_args):
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--timeout", "10s", "-s", LUA, url, "--"]
    return subprocess.Popen([*command, *script_args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_result(process, label):
    stdout, stderr = process.communicate()
    for line in stdout.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line.removeprefix("RESULT "))
    raise SystemExit(f"wrk on {label} gave no result:\n{stdout}\n{stderr}")


def count_sign_ups(env):
    code = "from advocacy.models import AlertSubscriber; "
    code += "print(AlertSubscriber.objects.filter(email__startswith='load-').count())"
    return int(manage(env, "shell", "-c", code).strip().splitlines()[-1])


def table(rows, seconds):
    header = f"{'request':<26} {'requests':>9} {'req/s':>7} {'non-2xx/3xx':>11} {'5xx':>5} {'socket err':>10} "
    header += f"{'p50 ms':>8} {'p99 ms':>8}"
    lines = [header, "-" * len(header)]
    for label, result in rows:
        statuses = {int(code): count for code, count in result["status"].items()}
        bad = sum(count for code, count in statuses.items() if not 200 <= code < 400)
        server_errors = sum(count for code, count in statuses.items() if code >= 500)
        socket_errors = sum(result["errors"][kind] for kind in ("connect", "read", "write", "timeout"))
        lines.append(
            f"{label:<26} {result['requests']:>9} {result['requests'] / seconds:>7.1f} {bad:>11} {server_errors:>5} "
            f"{socket_errors:>10} {result['p50'] / 1000:>8.1f} {result['p99'] / 1000:>8.1f}"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default=os.environ.get("DB", "sqlite"))
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--volume", type=int, default=1000)
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        raise SystemExit("wrk is missing: apt-get install -y wrk (`make load` installs it).")
    shares = sum(share for _path, share in TARGETS) + FORM_SHARE
    per_share = args.connections // shares
    if per_share < 1:
        raise SystemExit(f"--connections must be at least {shares}")

    VAR.mkdir(exist_ok=True)
    port = free_port()
    urls = stack(args.db)
    env = server_env(urls, port, VAR / "load-static")
    log(f"Load test on {args.db}: {urls['DATABASE_URL']}, cache {urls['CACHE_URL']}")
    prepare(env, args.volume)
    server = Gunicorn(env, port, VAR / f"load-gunicorn-{args.db}.log")
    try:
        server.wait_ready()
        base = server.base
        for path, _share in TARGETS:  # warm: every page answers 200 before it is measured
            status = fetch(base + path)[0]
            if status != 200:
                raise SystemExit(f"GET {path} answered {status} before the load")
        cookie, token = csrf_pair(base)

        connections = [(path, share * per_share) for path, share in TARGETS]
        form_connections = args.connections - sum(count for _path, count in connections)
        log(
            f"wrk: {args.connections} connections for {args.seconds:g} s "
            f"({', '.join(f'{path} {count}' for path, count in connections)}, POST {FORM} {form_connections}), "
            f"gunicorn 2 sync workers on port {port}"
        )
        runs = [(f"GET {path}", run_wrk(base + path, count, args.seconds, "GET")) for path, count in connections]
        runs.append((f"POST {FORM}", run_wrk(base + FORM, form_connections, args.seconds, "POST", cookie, token)))
        rows = [(label, wrk_result(process, label)) for label, process in runs]
    finally:
        server.stop()

    log(table(rows, args.seconds))
    total = sum(result["requests"] for _label, result in rows)
    log(f"Total: {total} requests, {total / args.seconds:.1f} req/s.")

    failures = []
    for label, result in rows:
        for code, count in result["status"].items():
            if not 200 <= int(code) < 400:
                failures.append(f"{label}: {count} answers {code}")
        for kind, count in result["errors"].items():
            if kind != "status" and count:
                failures.append(f"{label}: {count} socket {kind} errors")
    form = rows[-1][1]
    successes = sum(count for code, count in form["status"].items() if int(code) == 302)
    recorded = count_sign_ups(env)
    log(f"Sign-ups answered with success (302): {successes}; recorded in the database: {recorded}.")
    # wrk stops with up to one request in flight per connection: those are recorded but never
    # counted as answered. A success that was not recorded would be a false success.
    if recorded < successes:
        failures.append(f"{successes} sign-ups answered as done but only {recorded} recorded")
    elif recorded > successes + form_connections:
        failures.append(
            f"{recorded} sign-ups recorded: more than the {successes} answered and {form_connections} in flight"
        )
    if "Traceback" in server.log_text():
        failures.append(f"gunicorn logged a traceback (see {server.log_path})")
    if failures:
        log("FAILED:\n  " + "\n  ".join(failures))
        return 1
    log("OK: no 5xx, no other error answer, no socket error.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
