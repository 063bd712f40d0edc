"""What a visitor does through the test client: join, confirm the address, log in, check out and pay.

The store's checkout is driven the way a buyer drives it (POST the billing form, then the
dummy provider's form), so these tests also catch a break between membership and store.
"""

import re
from datetime import timedelta

from django.contrib.auth.base_user import BaseUserManager
from django.core import mail
from django.test import TestCase
from django.utils import timezone

from membership.models import add_years

PASSWORD = "Shelves-and-stacks-2026"
EMAIL = "mina.okafor@example.org"
CHECK_EMAIL_PAGE = "/membership/join/check-email/"
VERIFY_LINK = re.compile(r"https?://[^/\s]+(/membership/verify/[^/\s]+/)")


def one_year_from(day):
    """The last day of a one-year term starting on `day`."""
    return add_years(day, 1) - timedelta(days=1)


def today():
    return timezone.localdate()


def long_date(day):
    """How pages and emails print a date: "March 5, 2027"."""
    return f"{day:%B} {day.day}, {day.year}"


def join_data(membership_type, /, **overrides):
    data = {
        "account-email": EMAIL,
        "account-first_name": "Mina",
        "account-last_name": "Okafor",
        "account-password1": PASSWORD,
        "account-password2": PASSWORD,
        "membership_type": str(membership_type.pk),
        "confirm_eligibility": "on",
        "accept_code_of_conduct": "on",
        "news_emails": "on",
        "advocacy_emails": "on",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def billing_data(**overrides):
    return {
        "name": "Mina Okafor",
        "email": "mina.okafor@example.org",
        "address_line1": "225 N Michigan Ave",
        "address_line2": "",
        "city": "Chicago",
        "region": "IL",
        "postal_code": "60601",
        "country": "United States",
        "website": "",
        **overrides,
    }


def checkout(client, checkout_url, **billing):
    """POST the billing form; returns the pay link the store redirects to."""
    assert checkout_url.startswith("/store/checkout/?pending="), checkout_url
    response = client.post(checkout_url, billing_data(**billing))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert "/pay/" in response["Location"], response["Location"]
    return response["Location"]


def pay(client, pay_link, status="confirmed"):
    """Answer the dummy provider's form ("confirmed" pays); returns the redirect after paying."""
    response = client.post(pay_link, {"status": status, "fraud_status": "accept", "gateway_response": "3ds-disabled"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def checkout_and_pay(client, checkout_url, status="confirmed", **billing):
    return pay(client, checkout(client, checkout_url, **billing), status=status)


def verify_link_in_outbox(to=None):
    """The path of the newest confirmation link emailed (to `to`, when given)."""
    for message in reversed(mail.outbox):
        if to is not None and message.to != [to]:
            continue
        found = VERIFY_LINK.search(message.body)
        if found:
            return found.group(1)
    raise AssertionError(f"no verification link in {[m.subject for m in mail.outbox]}")


def join_as_visitor(client, membership_type, /, **overrides):
    """Post the join form logged out (its emails go out as the transaction commits)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/membership/join/", join_data(membership_type, **overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == CHECK_EMAIL_PAGE
    return response


def confirm_address(client, to=EMAIL):
    """Open the newest confirmation link emailed to `to`; returns the response."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.get(verify_link_in_outbox(to=to))


def log_in(client, email=EMAIL, password=PASSWORD):
    response = client.post("/accounts/login/", {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()[:2000]


def start_paying_dues(client):
    """The account page's "Pay your dues" button; returns where it leads (the checkout)."""
    response = client.post("/membership/pay/")
    assert response.status_code == 302
    return response["Location"]


def join_confirm_and_log_in(client, membership_type, /, **overrides):
    """A visitor joins, opens the emailed link and logs in; returns the checkout for the dues."""
    join_as_visitor(client, membership_type, **overrides)
    email = BaseUserManager.normalize_email(overrides.get("account-email", EMAIL))
    confirm_address(client, to=email)
    log_in(client, email)
    return start_paying_dues(client)
