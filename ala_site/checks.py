"""Project checks for `manage.py check --deploy`."""

from django.conf import settings
from django.core import checks

PER_PROCESS_CACHES = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
}


@checks.register(checks.Tags.caches, deploy=True)
def check_shared_cache(app_configs, **kwargs):
    """Rate limits and login lockouts count in the cache: a per-process one multiplies them."""
    backend = settings.CACHES["default"]["BACKEND"]
    if not settings.DEBUG and backend in PER_PROCESS_CACHES:
        return [
            checks.Warning(
                "The cache is local to each process, so rate limits and login lockouts multiply by the "
                "number of workers (a limit of 5 lets 10 through with two), and content edits show late.",
                hint="Set CACHE_URL to a shared cache, e.g. redis://127.0.0.1:6379/1.",
                id="ala_site.W001",
            )
        ]
    return []


DUMMY_PAYMENTS_REFUSED = (
    "PAYMENT_VARIANT=dummy lets buyers mark their own orders paid, so it is refused when DEBUG is off: "
    "set PAYMENT_VARIANT=stripe and STRIPE_SECRET_KEY, or PAYMENT_ALLOW_DUMMY=true on a test or staging server."
)


def dummy_payments_refused():
    return settings.PAYMENT_VARIANT == "dummy" and not settings.DEBUG and not settings.PAYMENT_ALLOW_DUMMY


@checks.register(checks.Tags.security, deploy=True)
def check_dummy_payments(app_configs, **kwargs):
    """A server that would serve with the dummy provider (ala_site/wsgi.py refuses to start too)."""
    if dummy_payments_refused():
        return [checks.Error(DUMMY_PAYMENTS_REFUSED, id="ala_site.E002")]
    return []
