"""Start-up refusals and the production configuration `manage.py check --deploy` accepts.

Without a SECRET_KEY the site never serves, yet commands that sign nothing still run; the dummy
payment provider is refused with DEBUG off unless allowed on purpose (gunicorn does not start and
check --deploy fails), yet commands that take no payment still run; a production configuration
passes `check --deploy` without a single warning.
"""

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Everything the settings read that a test run's own environment (TEST_ENV, CI, a DATABASE_URL)
# might carry: each test states what it needs.
SETTINGS_VARIABLES = (
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "CACHE_URL",
    "PAYMENT_VARIANT",
    "PAYMENT_ALLOW_DUMMY",
    "STRIPE_SECRET_KEY",
    "STRIPE_WEBHOOK_SECRET",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_PRELOAD",
    "SECURE_HSTS_SECONDS",
    "SECURE_COOKIES",
    "TASKS_BACKEND",
)


def run(*args, **variables):
    env = {key: value for key, value in os.environ.items() if key not in SETTINGS_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "ala_site.settings"
    env["DEBUG"] = "false"  # production's default, whatever a local .env says
    env["PAYMENT_ALLOW_DUMMY"] = "true"  # unless a test says otherwise
    # Set by the browser tests' conftest for the live server; never in a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(variables)
    env = {key: value for key, value in env.items() if value is not None}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def production(**variables):
    """A production server's environment: a real key, HTTPS, Stripe, Redis."""
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    settings = {
        "SECRET_KEY": "".join(secrets.choice(alphabet) for _ in range(50)),
        "DEBUG": "false",
        "ALLOWED_HOSTS": "ala.example",
        "SITE_URL": "https://ala.example",
        "CACHE_URL": "redis://127.0.0.1:6379/14",  # read lazily: check needs no Redis running
        "PAYMENT_VARIANT": "stripe",
        "STRIPE_SECRET_KEY": "sk_test_not_a_real_key",
        "STRIPE_WEBHOOK_SECRET": "whsec_not_a_real_secret",
        "PAYMENT_ALLOW_DUMMY": None,
    }
    settings.update(variables)
    return settings


SHOW = "import django; django.setup(); from django.conf import settings as s; print({})"


def test_makemigrations_check_runs_without_a_secret_key():
    result = run("manage.py", "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "No changes detected" in result.stdout


def test_the_web_application_refuses_to_start_without_a_secret_key():
    result = run("-c", "import ala_site.wsgi")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


# The dummy payment provider ------------------------------------------------------------------


def test_debug_off_refuses_the_dummy_payment_provider_without_the_flag():
    for command in (("-c", "import ala_site.wsgi"), ("manage.py", "check", "--deploy")):
        result = run(*command, SECRET_KEY="x" * 50, PAYMENT_ALLOW_DUMMY=None)
        assert result.returncode != 0, command
        assert ("ImproperlyConfigured" if "-c" in command else "ala_site.E002") in result.stderr
        assert "PAYMENT_VARIANT=dummy" in result.stderr
        assert "PAYMENT_ALLOW_DUMMY=true" in result.stderr
        assert "PAYMENT_VARIANT=stripe" in result.stderr


def test_an_explicit_false_refuses_it_too():
    result = run("manage.py", "check", "--deploy", SECRET_KEY="x" * 50, PAYMENT_ALLOW_DUMMY="false")
    assert result.returncode != 0
    assert "PAYMENT_ALLOW_DUMMY=true" in result.stderr


def test_commands_that_take_no_payment_run_without_the_flag():
    # A fresh checkout with nothing set (DEBUG off, no key, no flag) can still check its migrations.
    result = run("manage.py", "makemigrations", "--check", "--dry-run", PAYMENT_ALLOW_DUMMY=None)
    assert result.returncode == 0, result.stderr
    assert run("manage.py", "check", PAYMENT_ALLOW_DUMMY=None).returncode == 0


def test_the_flag_or_debug_lets_the_dummy_provider_run():
    allowed = run("-c", SHOW.format("s.PAYMENT_VARIANT"), SECRET_KEY="x" * 50, PAYMENT_ALLOW_DUMMY="true")
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stdout.split() == ["dummy"]

    development = run("-c", SHOW.format("s.PAYMENT_VARIANT"), DEBUG="true", PAYMENT_ALLOW_DUMMY=None)
    assert development.returncode == 0, development.stderr
    assert development.stdout.split() == ["dummy"]


def test_stripe_needs_no_flag():
    result = run("-c", SHOW.format("s.PAYMENT_VARIANT"), **production())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["stripe"]


# check --deploy ------------------------------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = run("manage.py", "check", "--deploy", **production())
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr
    assert "WARNINGS" not in result.stdout + result.stderr


def test_check_deploy_still_warns_about_a_per_process_cache_and_the_allowed_dummy_provider():
    result = run(
        "manage.py",
        "check",
        "--deploy",
        **production(CACHE_URL="locmemcache://", PAYMENT_VARIANT="dummy", PAYMENT_ALLOW_DUMMY="true"),
    )
    assert result.returncode == 0, result.stderr
    assert "ala_site.W001" in result.stderr  # rate limits per process
    assert "store.W001" in result.stderr  # the dummy provider, allowed yet still named


def test_hsts_preload_is_off_by_default_and_switched_on_by_the_environment():
    shown = SHOW.format("s.SECURE_HSTS_PRELOAD, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT")

    default = run("-c", shown, **production())
    assert default.returncode == 0, default.stderr
    assert default.stdout.split() == ["False", "True", "True"]

    preload = run("-c", shown, **production(SECURE_HSTS_PRELOAD="true"))
    assert preload.returncode == 0, preload.stderr
    assert preload.stdout.split() == ["True", "True", "True"]

    # Preloading on passes the deploy check on its own merits (nothing silenced).
    checked = run("manage.py", "check", "--deploy", **production(SECURE_HSTS_PRELOAD="true"))
    assert checked.returncode == 0, checked.stderr
    assert "System check identified no issues (0 silenced)" in checked.stdout


def test_an_explicit_ssl_redirect_false_is_warned_about():
    result = run("manage.py", "check", "--deploy", **production(SECURE_SSL_REDIRECT="false"))
    assert "security.W008" in result.stderr


# What the settings do to responses -------------------------------------------------------------


def test_the_hsts_header_carries_preload_only_when_asked(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = False
    header = client.get("/healthz", secure=True).headers["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains"

    settings.SECURE_HSTS_PRELOAD = True
    client.handler.load_middleware()  # SecurityMiddleware reads its settings when built
    header = client.get("/healthz", secure=True).headers["Strict-Transport-Security"]
    assert header == "max-age=31536000; includeSubDomains; preload"


def test_the_https_redirect_spares_the_health_check(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True  # what an https:// SITE_URL turns on (the exemption is the real one)
    response = client.get("/membership/?page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/membership/?page=2"
    # Behind the proxy, which says the visitor came over HTTPS, nothing is redirected.
    assert client.get("/membership/", headers={"X-Forwarded-Proto": "https"}).status_code == 200
    assert client.get("/healthz").status_code == 200
