"""`make bench`: how close each page comes to the framework's limit, measured with wrk against gunicorn.

    DATABASE_URL=... CACHE_URL=... python bench/bench.py --fresh-database --volume 1000

(the Makefile sets the environment: `make bench` on SQLite + local memory, `make bench DB=postgres` on
PostgreSQL + Redis). The script loads the demo with `seed_demo --volume N` into a database of its own,
collects the static files, creates a member with a current membership, starts gunicorn (2 sync
workers) on a free port, and stops it at the end, also after a failure or Ctrl-C.

Method. The limit is `/robots.txt`: a view that touches neither the database nor the cache, so it
measures what Django, gunicorn and the load generator cost on this machine at that moment. For each
page, wrk runs alternate in one process: robots, page, robots, page ... (`--rounds`, 2 by default), so
both see the same load from anything else on the machine. The ratio is the page's requests per
second summed over its runs divided by /robots.txt's summed over the runs interleaved with them (the
runs last equally long, so it is the ratio of the mean request rates). p50 is the median of the runs'
medians and p99 the worst of the runs' p99. Every URL is fetched once before it is measured (warm
caches) and must answer 200; a run with non-2xx/3xx answers or socket errors misses its target.
Requests carry `Accept-Encoding: gzip, deflate, br` as a browser's do.

Targets (ratio to /robots.txt): the anonymous landing page 0.8, every other anonymous page 0.5, a
signed-in member's landing page 0.3. The exit status is 1 when one is missed, unless `--no-strict` or
BENCH_STRICT=0.
"""

import argparse
import contextlib
import html
import io
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "/robots.txt"
MEMBER_EMAIL = "bench.member@example.org"
HEADERS = {"Accept-Encoding": "gzip, deflate, br", "User-Agent": "ala-bench"}

# (list page, the url names of its items' detail pages, what one item is called)
LISTS = [
    ("/store/", {"store:product"}, "a product"),
    ("/events/", {"events:detail"}, "an event"),
    ("/joblist/", {"joblist:detail", "joblist:detail_short"}, "a job ad"),
    ("/news/", {"news:detail"}, "a news story"),
    ("/censorship/resumes/", {"censorship:resume_detail"}, "a book résumé"),
]
HOME_TARGET, PAGE_TARGET, MEMBER_TARGET = 0.8, 0.5, 0.3


def log(message):
    print(message, file=sys.stderr, flush=True)


# --- Django: the database, the demo content and the member ---------------------------------------


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ala_site.settings")
    import django

    django.setup()
    from django.conf import settings

    if settings.DEBUG:
        raise SystemExit("bench: DEBUG is on; benchmark production settings (DEBUG=false), as `make bench` does.")


def recreate_database():
    """A fresh database (only one whose name says it is a benchmark's) and an empty cache."""
    from django.conf import settings
    from django.core.cache import cache

    db = settings.DATABASES["default"]
    name = str(db["NAME"])
    if "bench" not in Path(name).name:
        raise SystemExit(f"bench: refusing to recreate database {name!r}: its name must contain 'bench'.")
    if db["ENGINE"] == "django.db.backends.sqlite3":
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
    elif db["ENGINE"] == "django.db.backends.postgresql":
        import psycopg
        from psycopg import sql

        params = {key.lower(): db.get(key) for key in ("HOST", "PORT", "USER", "PASSWORD") if db.get(key)}
        with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    else:
        raise SystemExit(f"bench: cannot recreate a {db['ENGINE']} database.")
    cache.clear()  # a Redis database keeps section versions and pages from the last run


def load_content(volume):
    from django.core.management import call_command

    for label, command, kwargs in [
        ("migrate", "migrate", {"interactive": False, "verbosity": 0}),
        (f"seed_demo --volume {volume}", "seed_demo", {"volume": volume, "stdout": io.StringIO()}),
        ("collectstatic", "collectstatic", {"interactive": False, "verbosity": 0}),
    ]:
        started = time.monotonic()
        call_command(command, **kwargs)
        log(f"bench: {label} ({time.monotonic() - started:.0f} s)")


def create_member():
    """A member with a current membership and a fresh random password: (email, password)."""
    from django.utils import timezone

    from membership.models import Membership, MembershipTerm, MembershipType, User, add_years

    password = secrets.token_urlsafe(18)
    user, _ = User.objects.get_or_create(
        email=MEMBER_EMAIL,
        defaults={"first_name": "Bench", "last_name": "Member", "email_verified_at": timezone.now()},
    )
    user.set_password(password)
    user.save()
    kind = MembershipType.objects.filter(is_active=True).order_by("order", "pk").first()
    if kind is None:
        raise SystemExit("bench: no membership type offered; did seed_demo run?")
    starts_on = timezone.localdate() - timedelta(days=30)
    ends_on = add_years(starts_on, 1) - timedelta(days=1)
    membership, _ = Membership.objects.update_or_create(
        user=user,
        defaults={
            "membership_type": kind,
            "status": Membership.Status.ACTIVE,
            "member_since": starts_on,
            "expires_on": ends_on,
        },
    )
    membership.terms.all().delete()
    MembershipTerm.objects.create(
        membership=membership,
        membership_type=kind,
        dues=kind.annual_dues,
        status=MembershipTerm.Status.STARTED,
        starts_on=starts_on,
        ends_on=ends_on,
        paid_at=timezone.now(),
    )
    if not Membership.objects.current().filter(pk=membership.pk).exists():
        raise SystemExit("bench: the bench member's membership is not current.")
    return user.email, password


def machine(args):
    from django.conf import settings
    from django.db import connection

    cpu = platform.processor() or "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import django

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        elif connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
        else:
            database = connection.vendor
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache
    from django.core.cache.backends.redis import RedisCache

    django_cache = caches["default"]
    if isinstance(django_cache, RedisCache):
        cache = "Redis"
        with contextlib.suppress(Exception):  # the version is a detail of the report
            cache += " " + django_cache._cache.get_client(write=False).info("server")["redis_version"]
    elif isinstance(django_cache, LocMemCache):
        cache = "local memory"
    else:
        cache = settings.CACHES["default"]["BACKEND"]
    import gunicorn

    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout.split()
    return [
        f"CPU: {cpu}, {os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}",
        f"Python {platform.python_version()}, Django {django.get_version()}, gunicorn {gunicorn.__version__} "
        f"({args.workers} sync workers)",
        f"Database: {database}; cache: {cache}; volume: seed_demo --volume {args.volume}",
        f"Load: wrk {wrk_version[1] if len(wrk_version) > 1 else '?'}, {args.threads} threads, "
        f"{args.connections} connections, {args.seconds:g} s per run, {args.rounds} rounds per page",
    ]


# --- HTTP: the server, discovery, login ----------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, cookies=None, data=None, headers=None):
    """(status, body, response headers) without following redirects."""
    handlers = [NoRedirect()]
    if cookies is not None:
        handlers.append(urllib.request.HTTPCookieProcessor(cookies))
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, data=data, headers={"User-Agent": HEADERS["User-Agent"], **(headers or {})})
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read().decode("utf-8", "replace"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace"), error.headers


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on a free port, stopped on exit whatever happens."""

    def __init__(self, workers, log_path):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        gunicorn = Path(sys.executable).parent / "gunicorn"
        env = {**os.environ, "SITE_URL": self.base}
        self.log_file = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [str(gunicorn) if gunicorn.exists() else "gunicorn", "ala_site.wsgi"]
            + ["--bind", f"127.0.0.1:{self.port}", "--workers", str(workers), "--worker-class", "sync"],
            cwd=ROOT,
            env=env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout=60):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited ({self.process.returncode}):\n{self.log_tail()}")
            try:
                if fetch(self.base + BASELINE)[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"bench: gunicorn did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines=30):
        self.log_file.flush()
        return "\n".join(Path(self.log_path).read_text(errors="replace").splitlines()[-lines:])

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def first_item(base, list_path, view_names):
    """The first link on the list page that Django resolves to one of its items' detail view."""
    from django.urls import Resolver404, resolve

    status, body, _ = fetch(base + list_path)
    if status != 200:
        raise SystemExit(f"bench: {list_path} answered {status}.")
    parser = Links()
    parser.feed(body)
    for href in parser.hrefs:
        parts = urllib.parse.urlsplit(urllib.parse.urljoin(base + list_path, href))
        if f"{parts.scheme}://{parts.netloc}" != base:
            continue
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        if match.view_name in view_names:
            return parts.path
    raise SystemExit(f"bench: no link to {' or '.join(sorted(view_names))} on {list_path}.")


def sitemap_section(base):
    """The product section of the sitemap index (or its first section); None for a single sitemap."""
    status, body, _ = fetch(base + "/sitemap.xml")
    if status != 200:
        raise SystemExit(f"bench: /sitemap.xml answered {status}.")
    if "<sitemapindex" not in body:
        return None
    paths = []
    for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", body):
        parts = urllib.parse.urlsplit(html.unescape(loc))
        paths.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    if not paths:
        raise SystemExit("bench: the sitemap index lists no section.")
    return next((path for path in paths if "store" in path), paths[0])


def log_in(base, email, password):
    """A session cookie from a real POST to the login form: the Cookie header wrk will send."""
    jar = CookieJar()
    status, body, _ = fetch(base + "/accounts/login/", cookies=jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token:
        raise SystemExit(f"bench: the login page answered {status} without a CSRF token.")
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1), "username": email, "password": password})
    status, _, headers = fetch(
        base + "/accounts/login/",
        cookies=jar,
        data=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Referer": base + "/accounts/login/"},
    )
    cookies = {cookie.name: cookie.value for cookie in jar}
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"bench: logging in answered {status} (expected a redirect with a session cookie).")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


# --- wrk -----------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url, args, cookie=None):
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{args.seconds:g}s", "--timeout", "10s"]
    command.append("--latency")
    for name, value in {**HEADERS, **({"Cookie": cookie} if cookie else {})}.items():
        command += ["-H", f"{name}: {value}"]
    output = subprocess.run([*command, url], capture_output=True, text=True)
    if output.returncode != 0:
        raise SystemExit(f"bench: wrk failed on {url}:\n{output.stderr or output.stdout}")
    return parse_wrk(output.stdout)


def parse_wrk(text):
    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.MULTILINE)
        return float(found.group(1)) * UNITS[found.group(2)] if found else float("nan")

    rate = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.MULTILINE)
    if not rate:
        raise SystemExit(f"bench: cannot read wrk's output:\n{text}")
    errors = 0
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    if non_2xx:
        errors += int(non_2xx.group(1))
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    return {"rps": float(rate.group(1)), "p50": latency(50), "p99": latency(99), "errors": errors}


def measure(base, page, args):
    """Alternate /robots.txt and the page, `rounds` times each; the page's figures against the limit."""
    robots, runs = [], []
    for _ in range(args.rounds):
        robots.append(wrk(base + BASELINE, args))
        runs.append(wrk(base + page["path"], args, page.get("cookie")))
        log(
            f"bench:   {page['label']}: {runs[-1]['rps']:.0f} req/s against {robots[-1]['rps']:.0f}"
            + (f", {runs[-1]['errors']} errors" if runs[-1]["errors"] else "")
        )
    ratio = sum(run["rps"] for run in runs) / sum(run["rps"] for run in robots)
    errors = sum(run["errors"] for run in runs)
    return {
        **page,
        "rps": statistics.fmean(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": max(run["p99"] for run in runs),
        "robots_rps": statistics.fmean(run["rps"] for run in robots),
        "robots": robots,
        "ratio": ratio,
        "errors": errors,
        "met": ratio >= page["target"] and errors == 0,
    }


def table(results):
    lines = [
        "| page | req/s | p50 ms | p99 ms | /robots.txt req/s | ratio | target | met |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    robots = [run for result in results for run in result["robots"]]
    if robots:
        lines.append(
            f"| `{BASELINE}` (the limit) | {statistics.fmean(r['rps'] for r in robots):.0f} "
            f"| {statistics.median(r['p50'] for r in robots):.1f} | {max(r['p99'] for r in robots):.1f} "
            "| | 1.00 | | |"
        )
    for result in results:
        met = "yes" if result["met"] else "**no**"
        if result["errors"]:
            met += f" ({result['errors']} errors)"
        lines.append(
            f"| {result['label']} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} "
            f"| {result['robots_rps']:.0f} | {result['ratio']:.2f} | {result['target']:.1f} | {met} |"
        )
    return "\n".join(lines)


# --- main ----------------------------------------------------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh-database", action="store_true", help="drop and recreate the (bench) database")
    parser.add_argument("--skip-setup", action="store_true", help="keep the database as it is: no migrate or seed")
    parser.add_argument("--volume", type=int, default=1000, help="seed_demo --volume (default 1000)")
    parser.add_argument("--seconds", type=float, default=5, help="length of one wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="runs of each page, each after a /robots.txt run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--only", nargs="*", default=[], help="measure only pages whose label contains one of these")
    parser.add_argument("--no-strict", action="store_true", help="exit 0 even when a target is missed")
    args = parser.parse_args()
    strict = not args.no_strict and os.environ.get("BENCH_STRICT", "1") not in ("0", "false", "no")
    if shutil.which("wrk") is None:
        raise SystemExit("bench: wrk is missing (apt-get install -y wrk; `make bench` installs it).")

    # make's SIGTERM (or a closed terminal) ends the run through `finally`, so gunicorn stops too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(129))
    setup_django()
    if args.fresh_database and not args.skip_setup:
        recreate_database()
    if not args.skip_setup:
        load_content(args.volume)
    email, password = create_member()
    about = machine(args)
    from django.db import connections

    connections.close_all()

    (ROOT / "var").mkdir(exist_ok=True)
    server = Server(args.workers, ROOT / "var" / "bench-gunicorn.log")
    try:
        server.wait_ready()
        log(f"bench: gunicorn at {server.base}")
        pages = [{"label": "`/`", "path": "/", "target": HOME_TARGET}]
        details = []
        for list_path, view_names, item in LISTS:
            pages.append({"label": f"`{list_path}`", "path": list_path, "target": PAGE_TARGET})
            path = first_item(server.base, list_path, view_names)
            details.append({"label": f"{item} `{path}`", "path": path, "target": PAGE_TARGET})
        pages += details
        pages.append({"label": "`/donate/`", "path": "/donate/", "target": PAGE_TARGET})
        pages.append({"label": "`/sitemap.xml`", "path": "/sitemap.xml", "target": PAGE_TARGET})
        section = sitemap_section(server.base)
        if section:
            pages.append({"label": f"a sitemap section `{section}`", "path": section, "target": PAGE_TARGET})
        cookie = log_in(server.base, email, password)
        pages.append({"label": "`/` signed in (member)", "path": "/", "cookie": cookie, "target": MEMBER_TARGET})
        if args.only:
            pages = [page for page in pages if any(word in page["label"] for word in args.only)]

        results = []
        for page in pages:
            headers = {**HEADERS, **({"Cookie": page["cookie"]} if page.get("cookie") else {})}
            status, _, _ = fetch(server.base + page["path"], headers=headers)  # warm the caches
            if status != 200:
                raise SystemExit(f"bench: {page['label']} answered {status} before the measurement.")
            results.append(measure(server.base, page, args))
        if server.process.poll() is not None:
            raise SystemExit(f"bench: gunicorn died during the run:\n{server.log_tail()}")
    finally:
        server.stop()

    print()
    print("\n".join(about))
    print(f"Load average after the run: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print()
    print(table(results))
    missed = [result["label"] for result in results if not result["met"]]
    print()
    if missed:
        print(f"Targets missed: {', '.join(missed)}.")
    else:
        print("All targets met.")
    return 1 if missed and strict else 0


if __name__ == "__main__":
    sys.exit(main())
