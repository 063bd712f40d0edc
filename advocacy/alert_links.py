"""Signed links in advocacy alert emails: confirm a sign-up (valid 7 days), unsubscribe (always valid).

A confirmation link carries when it was made, so one sent before an unsubscribe cannot sign the
address up again: only a sign-up made after it (with its fresh email) can. An unsubscribe link
never expires: it sits in every alert email, and an old email must still stop the alerts.
"""

import time

from django.conf import settings
from django.core import signing
from django.urls import reverse

CONFIRM_SALT = "advocacy.alerts.confirm"
CONFIRM_MAX_AGE = 60 * 60 * 24 * 7  # seven days
UNSUBSCRIBE_SALT = "advocacy.alerts.unsubscribe"


def _absolute(path):
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def confirm_url(subscriber):
    token = signing.dumps(
        {"s": subscriber.pk, "e": subscriber.email, "t": int(time.time())}, salt=CONFIRM_SALT, compress=True
    )
    return _absolute(reverse("advocacy:alerts_confirm", args=[token]))


def read_confirm_token(token):
    """(subscriber pk, email, issued at as a Unix time), or None for an expired, tampered or garbled link."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
        return int(data["s"]), str(data["e"]), int(data["t"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_url(subscriber):
    token = signing.dumps({"s": subscriber.pk, "e": subscriber.email}, salt=UNSUBSCRIBE_SALT, compress=True)
    return _absolute(reverse("advocacy:alerts_unsubscribe", args=[token]))


def read_unsubscribe_token(token):
    """(subscriber pk, email), or None for a tampered or garbled link."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["s"]), str(data["e"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
