"""Signed links sent by email: confirm an address, renew a membership."""

from django.core import signing
from django.urls import reverse

VERIFY_SALT = "membership.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24 * 3  # three days
RENEW_SALT = "membership.renew"
RENEW_MAX_AGE = 60 * 60 * 24 * 45  # the reminder goes 30 days ahead; leave room after expiry


def verify_email_url(user):
    # The address is part of the token, so a link stops working if the address changes.
    token = signing.dumps({"user": user.pk, "email": user.email.lower()}, salt=VERIFY_SALT, compress=True)
    return reverse("membership:verify_email", args=[token])


def read_verify_token(token):
    """Return (user_pk, email), or None for an expired, tampered or garbled link."""
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
        return int(data["user"]), str(data["email"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def renew_url(membership):
    token = signing.dumps({"membership": membership.pk}, salt=RENEW_SALT, compress=True)
    return f"{reverse('membership:renew')}?token={token}"


def read_renew_token(token):
    try:
        return int(signing.loads(token, salt=RENEW_SALT, max_age=RENEW_MAX_AGE)["membership"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


DONATION_SALT = "membership.donation-thanks"


def donation_thanks_url(donation):
    # Signed so the page's address does not reveal how many gifts there are; who may open it is
    # decided by views.donation_thanks (the donor's session or account), not by the token alone.
    token = signing.dumps({"donation": donation.pk}, salt=DONATION_SALT, compress=True)
    return reverse("membership:donation_thanks", args=[token])


def read_donation_token(token):
    try:
        return int(signing.loads(token, salt=DONATION_SALT)["donation"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
