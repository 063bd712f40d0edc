"""Signed unsubscribe links in job alert emails (one per saved search; they never expire).

The token names the saved search and its owner, signed with the site's secret, so the link
works without signing in and cannot be altered to stop someone else's alerts. It never
expires: it sits in every alert email, and an old email must still stop the alerts.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

UNSUBSCRIBE_SALT = "joblist.alerts.unsubscribe"


def unsubscribe_url(saved_search):
    token = signing.dumps({"s": saved_search.pk, "u": saved_search.user_id}, salt=UNSUBSCRIBE_SALT, compress=True)
    return f"{settings.SITE_URL.rstrip('/')}{reverse('joblist:unsubscribe', args=[token])}"


def read_unsubscribe_token(token):
    """(saved search pk, user pk), or None for a tampered or garbled link."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        return int(data["s"]), int(data["u"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
