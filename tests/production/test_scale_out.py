"""Two app servers on one PostgreSQL and one Redis behave as one site.

Runs only where DATABASE_URL is PostgreSQL and CACHE_URL is Redis (CI's PostgreSQL leg, which
sets REQUIRE_SCALE_OUT=1 so that a missing service fails instead of skipping). It creates a fresh
database on DATABASE_URL's server, migrates and seeds it, starts two gunicorn processes on two
ports with production settings (DEBUG off) sharing that database and one Redis database
(SCALE_OUT_REDIS_DB, 14 unless set), and drives them over real HTTP with cookie jars, as browsers
behind a load balancer would: each step may land on either server. Everything it made is removed
afterwards, whatever happened.
"""

import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import environ
import pytest

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct horse battery staple 42"
STARTUP_SECONDS = 60

# Variables of the test run's own environment the servers must not inherit (each is set below).
SETTINGS_VARIABLES = {
    "DATABASE_URL",
    "CACHE_URL",
    "DEBUG",
    "SECRET_KEY",
    "SITE_URL",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_SSL_REDIRECT",
    "SECURE_COOKIES",
    "PAYMENT_VARIANT",
    "PAYMENT_ALLOW_DUMMY",
    "STRIPE_SECRET_KEY",
    "TASKS_BACKEND",
    "STATIC_ROOT",
    "MEDIA_ROOT",
    "REPORT_ATTACHMENTS_ROOT",
    "TRUST_X_FORWARDED_FOR",
    "AXES_FAILURE_LIMIT",
    "LOGIN_ADDRESS_FAILURE_LIMIT",
    "CONN_MAX_AGE",
}

# Seeds what the scenarios need. Passwords are stored with few PBKDF2 iterations so that the many
# failed logins below stay fast; Django verifies with the stored count and, at the first successful
# login, hashes the password again at full strength (as it does for any outdated hash).
SEED = """
import json, django
django.setup()
from decimal import Decimal
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from ala_site.models import AlertBanner
from membership.models import User
from store.models import Product

password = {password!r}
quick = PBKDF2PasswordHasher()
quick.iterations = 1000

def user(email, **extra):
    made = User.objects.create_user(email, None, first_name="Scale", last_name="Out", **extra)
    made.password = quick.encode(password, quick.salt())
    made.save(update_fields=["password"])

user("admin@scale.example", is_staff=True, is_superuser=True)
for name in ["buyer", "locked", "stuffed1", "stuffed2", "stuffed3", "stuffed4", "stuffed5"]:
    user(f"{{name}}@scale.example")
banner = AlertBanner.objects.create(message="Scale-out banner, first version", level="info")
product = Product.objects.create(
    title="Scale-Out Poster", slug="scale-out-poster", short_description="A poster for two servers.",
    price=Decimal("18.00"), stock=5, is_published=True,
)
print(json.dumps({{"banner": banner.pk, "product": product.pk}}))
"""


def services():
    """(database URL, cache URL) to scale out on, or the reason there are none."""
    database_url = os.environ.get("DATABASE_URL", "")
    cache_url = os.environ.get("CACHE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://", "pgsql://")):
        return None, "DATABASE_URL is not PostgreSQL: the scale-out test needs a database both servers share"
    if not cache_url.startswith(("redis://", "rediss://")):
        return None, "CACHE_URL is not Redis: the scale-out test needs a cache both servers share"
    return (database_url, cache_url), ""


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def tail(path, lines=40):
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


class Database:
    """A scratch database beside DATABASE_URL's, made and dropped through the server's own one."""

    def __init__(self, database_url, name):
        import psycopg

        self.psycopg = psycopg
        config = environ.Env.db_url_config(database_url)
        self.connect_args = {
            "host": config["HOST"] or None,
            "port": config["PORT"] or None,
            "user": config["USER"] or None,
            "password": config["PASSWORD"] or None,
            "dbname": "postgres",
            "autocommit": True,
        }
        self.name = name
        parts = urlsplit(database_url)
        self.url = parts._replace(path=f"/{name}").geturl()

    def _execute(self, statement):
        with self.psycopg.connect(**self.connect_args) as connection:
            connection.execute(statement)

    def create(self):
        self._execute(f'CREATE DATABASE "{self.name}"')

    def drop(self):
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


class Redis:
    """The cache database both servers use: emptied before and after (it holds only this test's cache)."""

    def __init__(self, cache_url, db):
        import redis

        parts = urlsplit(cache_url)
        self.url = parts._replace(path=f"/{db}", query="").geturl()
        self.client = redis.Redis.from_url(self.url)

    def flush(self):
        self.client.flushdb()


class Cluster:
    def __init__(self, a, b, seeded):
        self.a, self.b = a, b
        self.banner = seeded["banner"]
        self.product = seeded["product"]


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    found, reason = services()
    if found is None:
        if os.environ.get("REQUIRE_SCALE_OUT") == "1":
            pytest.fail(f"REQUIRE_SCALE_OUT=1 but {reason}")
        pytest.skip(reason)
    database_url, cache_url = found
    work = tmp_path_factory.mktemp("scale-out")
    database = Database(database_url, f"scaleout_{os.getpid()}")
    cache = Redis(cache_url, os.environ.get("SCALE_OUT_REDIS_DB", "14"))
    ports = [free_port(), free_port()]
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env.update(
        DJANGO_SETTINGS_MODULE="ala_site.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        SITE_URL=f"http://127.0.0.1:{ports[0]}",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_COOKIES="false",
        PAYMENT_ALLOW_DUMMY="true",
        DATABASE_URL=database.url,
        CACHE_URL=cache.url,
        STATIC_ROOT=str(work / "static"),
        MEDIA_ROOT=str(work / "media"),
        REPORT_ATTACHMENTS_ROOT=str(work / "private"),
        # The proxy's part: each simulated visitor is told apart by the address it "forwards".
        TRUST_X_FORWARDED_FOR="true",
        LOGIN_ADDRESS_FAILURE_LIMIT="4",
    )
    servers = []

    def manage(*args, **kwargs):
        return subprocess.Popen(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            **kwargs,
        )

    def finish(process, what):
        output, _ = process.communicate(timeout=240)
        assert process.returncode == 0, f"{what} failed:\n{output[-4000:]}"
        return output

    try:
        database.create()
        cache.flush()
        # The two slow steps share the machine's cores.
        migrate = manage("migrate", "--noinput", "-v0")
        collect = manage("collectstatic", "--noinput", "-v0")
        finish(migrate, "migrate")
        seed = subprocess.run(
            [sys.executable, "-c", SEED.format(password=PASSWORD)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert seed.returncode == 0, seed.stderr[-4000:]
        seeded = json.loads(seed.stdout.strip().splitlines()[-1])
        finish(collect, "collectstatic")

        for port in ports:
            log = open(work / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed with the server)
            process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "ala_site.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "--timeout",
                    "60",
                    "--access-logfile",
                    "-",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            servers.append((process, log))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        wait_until_serving(servers, bases)
        yield Cluster(bases[0], bases[1], seeded)
    finally:
        for process, log in servers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGINT)  # gunicorn's quick shutdown
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
            log.close()
        database.drop()
        cache.flush()


def wait_until_serving(servers, bases):
    import requests

    deadline = time.monotonic() + STARTUP_SECONDS
    for (process, log), base in zip(servers, bases, strict=True):
        while True:
            if process.poll() is not None:
                pytest.fail(f"gunicorn on {base} exited ({process.returncode}):\n{tail(log.name)}")
            try:
                if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass  # not listening yet, or still loading the application
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn on {base} did not answer /healthz in {STARTUP_SECONDS} s:\n{tail(log.name)}")
            time.sleep(0.2)


# A visitor: a cookie jar and the client address the proxy would forward ---------------------------


class FormParser(HTMLParser):
    """Every form of a page: its action, method and the fields a browser would submit by default."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms = []
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"attrs": attrs, "fields": {}, "names": set()})
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            form["names"].add(name)
            kind = attrs.get("type", "text").lower()
            if kind in ("submit", "button", "image", "reset", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            form["fields"][name] = attrs.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif tag == "select" and name:
            form["names"].add(name)
            self._select = name
            form["fields"].setdefault(name, None)
        elif tag == "option" and self._select:
            if "selected" in attrs or form["fields"].get(self._select) is None:
                form["fields"][self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            form["names"].add(name)
            self._textarea = name
            form["fields"][name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


class Visitor:
    def __init__(self, address):
        import requests

        self.http = requests.Session()
        # What the proxy in front appends; the servers trust it (TRUST_X_FORWARDED_FOR).
        self.http.headers["X-Forwarded-For"] = address

    def get(self, url, **kwargs):
        return self.http.get(url, allow_redirects=False, timeout=30, **kwargs)

    def submit(self, url, field, changes=None, value=None):
        """Fill in the form of page `url` that has `field` (equal to `value`, if given) and send it."""
        page = self.get(url)
        assert page.status_code == 200, (url, page.status_code, page.text[:2000])
        parser = FormParser()
        parser.feed(page.text)
        forms = [
            form
            for form in parser.forms
            if field in form["names"] and (value is None or form["fields"].get(field) == value)
        ]
        assert forms, f"no form with {field} on {url}"
        form = forms[0]
        assert "csrfmiddlewaretoken" in form["fields"], f"the form on {url} has no CSRF token"
        data = {**form["fields"], **(changes or {})}
        action = urljoin(url, form["attrs"].get("action") or url)
        return self.http.post(action, data=data, allow_redirects=False, timeout=30)

    def log_in(self, base, email, password=PASSWORD):
        return self.submit(f"{base}/accounts/login/", "password", {"username": email, "password": password})


def said(response):
    """What a failed assertion shows: the status, the page's title and heading."""
    found = re.search(r"<title>(.*?)</title>.*?<h1[^>]*>(.*?)</h1>", response.text, re.S)
    return f"{response.status_code} {response.url}: " + (" / ".join(found.groups()) if found else response.text[:300])


def is_signed_in(visitor, base, email):
    response = visitor.get(f"{base}/membership/account/")
    return response.status_code == 200 and email in response.text


# The scenarios ---------------------------------------------------------------------------------


def test_a_login_through_one_server_is_valid_on_the_other(cluster):
    visitor = Visitor("203.0.113.10")
    email = "buyer@scale.example"
    assert not is_signed_in(visitor, cluster.b, email)

    response = visitor.log_in(cluster.a, email)
    assert response.status_code == 302, response.text[:2000]

    assert is_signed_in(visitor, cluster.b, email)
    assert is_signed_in(visitor, cluster.a, email)

    # Logging out on the second ends the session on the first as well.
    token = visitor.http.cookies.get("csrftoken")
    response = visitor.http.post(
        f"{cluster.b}/accounts/logout/", data={"csrfmiddlewaretoken": token}, allow_redirects=False, timeout=30
    )
    assert response.status_code == 302
    assert not is_signed_in(visitor, cluster.a, email)


def test_an_admin_edit_through_one_server_shows_on_the_others_landing_page_at_once(cluster):
    reader = Visitor("203.0.113.21")  # anonymous: the landing page comes from the shared page cache
    first = reader.get(f"{cluster.a}/")
    assert first.status_code == 200
    assert "Scale-out banner, first version" in first.text
    assert "Scale-out banner, first version" in reader.get(f"{cluster.a}/").text  # now cached on A

    staff = Visitor("203.0.113.20")
    assert staff.log_in(cluster.b, "admin@scale.example").status_code == 302
    change = f"{cluster.b}/admin/ala_site/alertbanner/{cluster.banner}/change/"
    edited = staff.submit(change, "message", {"message": "Scale-out banner, edited on B"})
    assert edited.status_code == 302, edited.text[:3000]

    after = reader.get(f"{cluster.a}/")
    assert after.status_code == 200
    assert "Scale-out banner, edited on B" in after.text
    assert "first version" not in after.text


def test_an_order_paid_through_one_server_is_visible_through_the_other(cluster):
    buyer = Visitor("203.0.113.30")
    email = "buyer@scale.example"
    assert buyer.log_in(cluster.a, email).status_code == 302

    # The cart (in the session) is filled on B and checked out on A.
    added = buyer.submit(f"{cluster.b}/store/scale-out-poster/", "quantity", {"quantity": "2"})
    assert added.status_code == 302, added.text[:2000]
    checkout = buyer.submit(
        f"{cluster.a}/store/checkout/",
        "address_line1",
        {
            "name": "Scale Out",
            "email": email,
            "address_line1": "50 E Huron St",
            "city": "Chicago",
            "region": "IL",
            "postal_code": "60611",
            "country": "United States",
        },
    )
    assert checkout.status_code == 302, checkout.text[:3000]
    pay_link = urljoin(cluster.a, checkout.headers["Location"])
    reference = urlsplit(pay_link).path.rstrip("/").split("/")[-2]
    assert reference.startswith("ALA-")

    # The test payment is approved on A...
    paid = buyer.submit(pay_link, "status", value="confirmed")
    assert paid.status_code == 302, paid.text[:3000]

    # ...and the buyer's order page on B says so.
    order = buyer.get(f"{cluster.b}/store/orders/{reference}/")
    assert order.status_code == 200, order.text[:2000]
    assert reference in order.text
    assert "Paid" in order.text
    # A stranger sees nothing of it on either server.
    stranger = Visitor("203.0.113.31")
    assert stranger.get(f"{cluster.a}/store/orders/{reference}/").status_code == 404


def test_rate_limits_count_across_both_servers(cluster):
    visitor = Visitor("203.0.113.40")
    statuses = []
    for attempt in range(6):  # the reset form allows 5 per address in 10 minutes
        base = (cluster.a, cluster.b)[attempt % 2]
        response = visitor.submit(f"{base}/accounts/password_reset/", "email", {"email": "buyer@scale.example"})
        statuses.append(response.status_code)
    assert statuses == [302] * 5 + [429], statuses
    assert "Please slow down" in response.text
    # Another address is not held back.
    other = Visitor("203.0.113.41")
    response = other.submit(f"{cluster.b}/accounts/password_reset/", "email", {"email": "buyer@scale.example"})
    assert response.status_code == 302


def test_failed_logins_split_between_the_servers_lock_the_account(cluster):
    visitor = Visitor("203.0.113.50")
    email = "locked@scale.example"
    for attempt in range(4):  # AXES_FAILURE_LIMIT: the 5th failure per email and address locks
        base = (cluster.a, cluster.b)[attempt % 2]
        response = visitor.log_in(base, email, password=f"wrong {attempt}")
        assert response.status_code == 200, said(response)  # the form again, with its error
    response = visitor.log_in(cluster.a, email, password="wrong 4")
    assert response.status_code == 429, said(response)
    for base in (cluster.b, cluster.a):
        response = visitor.log_in(base, email)  # the right password, too late
        assert response.status_code == 429, said(response)
        assert "Too many failed log-ins" in response.text
        assert not is_signed_in(visitor, base, email)


def test_failed_logins_for_many_emails_split_between_the_servers_lock_the_address(cluster):
    visitor = Visitor("203.0.113.60")
    for number in range(1, 5):  # LOGIN_ADDRESS_FAILURE_LIMIT=4 here, counted in Redis
        base = (cluster.a, cluster.b)[number % 2]
        response = visitor.log_in(base, f"stuffed{number}@scale.example", password="wrong")
        assert response.status_code == 200, said(response)
    response = visitor.log_in(cluster.a, "stuffed5@scale.example")  # an untried email, the right password
    assert response.status_code == 429, said(response)
    assert "Too many failed log-ins" in response.text
