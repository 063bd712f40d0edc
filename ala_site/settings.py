"""Settings for the portal, read from the environment (see the README's table).

Defaults are safe for production: DEBUG is off unless asked for, and then a
SECRET_KEY must be given. `make run` sets DEBUG=true for local development.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional, for local overrides

DEBUG = env.bool("DEBUG", default=False)

# No key in code for production. Without one (and without DEBUG) the key stays empty: commands
# that sign nothing (makemigrations, check, collectstatic) still run, while Django refuses the first
# use of the empty key and ala_site/wsgi.py refuses to start serving without it.
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "insecure-development-key-only-used-when-DEBUG-is-on"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
# Third-party script origins are deployment configuration, never content: an editor who could set a
# script address could run code in a superuser's browser. Loaded only after analytics consent.
ANALYTICS_SCRIPT_URL = env.str("ANALYTICS_SCRIPT_URL", default="")
if ANALYTICS_SCRIPT_URL and not ANALYTICS_SCRIPT_URL.startswith("https://"):
    raise ImproperlyConfigured("ANALYTICS_SCRIPT_URL must be an https:// address.")
# Set when a proxy in front appends the client's address to X-Forwarded-For (rate limits use it).
TRUST_X_FORWARDED_FOR = env.bool("TRUST_X_FORWARDED_FOR", default=False)

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "ala_site.apps.LoginLockoutsConfig",  # django-axes, under a readable name
    "django_tasks",
    "django_tasks_db",
    "ala_site",
    "membership",
    "payments",
    "store",
    "events",
    "joblist",
    "advocacy",
    "censorship",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "ala_site.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML is compressed here rather than by the proxy, so every deployment gets it: Django's
    # gzip pads each response with random bytes (since 4.2), which defeats BREACH-style guessing
    # of the CSRF token from compressed sizes. Static files come precompressed (gzip and brotli).
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "ala_site.page_cache.PageCacheMiddleware",  # shared anonymous pages (see its docstring for the order)
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "ala_site.consent.ConsentCSPMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: a view the database fails under answers a friendly 503 (ala_site/middleware.py).
    "ala_site.middleware.DatabaseOutageMiddleware",
]

ROOT_URLCONF = "ala_site.urls"
WSGI_APPLICATION = "ala_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "ala_site.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite is the default database, so it must hold under gunicorn's concurrent workers: WAL lets
    # readers go on while one writes; a writer waits up to the timeout for the lock rather than
    # failing with "database is locked"; IMMEDIATE takes the write lock when a transaction begins,
    # so a transaction that reads and then writes never deadlocks against another one half-way.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env.int("SQLITE_BUSY_TIMEOUT", default=20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
# A new connection per request (PostgreSQL's handshake, SQLite's file and pragmas) costs more than
# most pages: keep each worker's connection a minute by default.
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
# A persistent connection (CONN_MAX_AGE > 0) is checked before each request reuses it, so after the
# database restarts the next request reconnects instead of failing on a dead connection.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://ala")}
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
    # Redis is optional at runtime: while it is unreachable a cache call is a miss, and pages are
    # served from the database (ala_site/cache.py: short timeouts, a circuit breaker, fail-open).
    CACHES["default"]["BACKEND"] = "ala_site.cache.ResilientRedisCache"
# How long a landing-page section may be served from cache; content edits bump
# a version and show at once, so this only bounds the work after a restart.
SECTION_CACHE_SECONDS = env.int("SECTION_CACHE_SECONDS", default=600)
# How long a whole anonymous page may be replayed (ala_site/page_cache.py); edits renew pages at
# once and clock-driven changes announce their moment, so this bounds only the unforeseen.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

AUTH_USER_MODEL = "membership.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses logins while an account/address is locked out
    "membership.lockout.AddressLockoutBackend",  # refuses logins from an address that failed too often
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force protection: 5 failed logins for one email from one address lock it for 15 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_USERNAME_CALLABLE = "membership.lockout.lockout_username"  # the login form posts the email as "username"
# The same client address as the rate limits (X-Forwarded-For only with TRUST_X_FORWARDED_FOR).
AXES_CLIENT_IP_CALLABLE = "membership.lockout.lockout_address"
# Credential stuffing: failed logins from one address across all emails, before a 15-minute lock.
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "America/Chicago"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="American Library Association <no-reply@ala.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# /.well-known/security.txt: where to report a vulnerability (mailto: or https:); empty: the site's email.
SECURITY_CONTACT = env.str("SECURITY_CONTACT", default="")

# Background tasks (django-tasks): email is queued in the request and sent by a worker (see
# ala_site/emails.py). "database" keeps the queue in the database for `manage.py db_worker`, which
# retries failed sends; "immediate" runs each task at once in the process that queues it (a failed
# send is logged, never raised into the page, and not retried). Production defaults to the
# database queue: a slow or down mail server must not hold up or fail a page.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate" if DEBUG else "database")
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND={TASKS_BACKEND!r}: use one of {', '.join(TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}

# Cookie consent: bump the version when the cookie policy changes, and everyone is asked again.
COOKIE_CONSENT_VERSION = env.int("COOKIE_CONSENT_VERSION", default=1)
COOKIE_CONSENT_NAME = "ala_consent"

# Members are offered "Renew" from this many days before their membership ends (and after it lapses).
MEMBERSHIP_RENEWAL_WINDOW_DAYS = env.int("MEMBERSHIP_RENEWAL_WINDOW_DAYS", default=60)

# Challenge reports (censorship): attachments live outside MEDIA_ROOT, never served publicly; the
# reporter's contact details are blanked this many days after a report arrives
# (`manage.py purge_report_contacts`); new reports are announced (without their content) to the
# Intellectual Freedom staff group and to REPORT_NOTIFY_EMAILS.
REPORT_ATTACHMENTS_ROOT = env.path("REPORT_ATTACHMENTS_ROOT", default=VAR_DIR / "private" / "report-attachments")
REPORT_ATTACHMENT_MAX_BYTES = env.int("REPORT_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
REPORT_CONTACT_RETENTION_DAYS = env.int("REPORT_CONTACT_RETENTION_DAYS", default=365)
REPORT_NOTIFY_EMAILS = env.list("REPORT_NOTIFY_EMAILS", default=[])

# Security headers. No inline scripts or styles anywhere, the admin included.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}
# Payments (django-payments; the store's Payment model). PAYMENT_VARIANT picks the provider:
# "dummy" (the default, for development and tests: a form where you choose the outcome) or
# "stripe" (production: needs STRIPE_SECRET_KEY, and STRIPE_WEBHOOK_SECRET for the webhook that
# Stripe calls at SITE_URL/payments/process/stripe/). With DEBUG off "dummy" is refused unless
# PAYMENT_ALLOW_DUMMY=true (a test, CI or staging server), and `manage.py check --deploy` warns on it.
PAYMENT_MODEL = "store.Payment"
PAYMENT_VARIANT = env.str("PAYMENT_VARIANT", default="dummy")
PAYMENT_VARIANTS = {"dummy": ("payments.dummy.DummyProvider", {})}
if env.str("STRIPE_SECRET_KEY", default=""):
    PAYMENT_VARIANTS["stripe"] = (
        "payments.stripe.StripeProviderV3",
        {"api_key": env.str("STRIPE_SECRET_KEY"), "endpoint_secret": env.str("STRIPE_WEBHOOK_SECRET", default=None)},
    )
    # The checkout form's redirect chain ends on Stripe's hosted page.
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["form-action"].append("https://checkout.stripe.com")
if PAYMENT_VARIANT not in PAYMENT_VARIANTS:
    raise ImproperlyConfigured(f"PAYMENT_VARIANT={PAYMENT_VARIANT!r} is not set up (stripe needs STRIPE_SECRET_KEY).")
# With DEBUG off the dummy provider is refused where it would take payments: gunicorn does not start
# (ala_site/wsgi.py) and `check --deploy` fails (ala_site/checks.py). Commands that take no payment
# (makemigrations, collectstatic, migrate) still run, as they do without a SECRET_KEY.
PAYMENT_ALLOW_DUMMY = env.bool("PAYMENT_ALLOW_DUMMY", default=False)
# Absolute links the provider sends buyers back to are built on SITE_URL.
PAYMENT_HOST = SITE_URL.split("://", 1)[-1]
PAYMENT_USES_SSL = SITE_URL.startswith("https://")

# Browser features the site never uses are switched off for it and anything it embeds. Payment
# happens on the provider's own page, so the Payment Request API is off too.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), browsing-topics=()"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # An https:// SITE_URL redirects plain HTTP to HTTPS here too (behind the proxy, which sets
    # X-Forwarded-Proto); /healthz stays reachable over HTTP for load balancers' probes.
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SITE_URL.startswith("https://"))
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # Joining browsers' HSTS preload list is hard to undo (every subdomain must serve HTTPS for good),
    # so it is opted into with SECURE_HSTS_PRELOAD=true; off, check --deploy is not asked to nag.
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
