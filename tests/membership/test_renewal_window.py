"""The account and renew pages follow the utility bar's rule: "Renew" is offered once the renewal
window opens (MEMBERSHIP_RENEWAL_WINDOW_DAYS before expiry) or after a lapse. Earlier, renewing is
allowed but not pushed: the pages say when the window opens and offer a quiet "Renew early" link."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from membership.models import Membership
from tests.html_utils import links, visible_text

from .factories import MembershipFactory
from .flows import long_date

pytestmark = pytest.mark.django_db


def member_client(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def test_outside_the_window_the_account_page_says_when_renewal_opens():
    membership = MembershipFactory(expires_in=200)
    opens = membership.expires_on - timedelta(days=60)

    response = member_client(membership).get("/membership/account/")

    text = visible_text(response.content)
    assert f"You can renew from {long_date(opens)}, 60 days before your membership ends" in text
    assert ("/membership/renew/", "Renew") not in links(response.content)
    assert ("/membership/renew/", "Renew early") in links(response.content)


def test_in_the_window_the_account_page_offers_renew():
    membership = MembershipFactory(expires_in=45)

    response = member_client(membership).get("/membership/account/")

    assert ("/membership/renew/", "Renew") in links(response.content)
    assert f"Your membership ends on {long_date(membership.expires_on)}" in visible_text(response.content)


def test_a_lapsed_member_is_offered_renew_on_the_account_page():
    membership = MembershipFactory(expires_in=-5)
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.EXPIRED)

    response = member_client(membership).get("/membership/account/")

    assert ("/membership/renew/", "Renew") in links(response.content)


def test_renewing_early_explains_when_the_window_opens_and_still_works(run_on_commit):
    membership = MembershipFactory(expires_in=200)
    client = member_client(membership)
    opens = membership.expires_on - timedelta(days=60)

    text = visible_text(client.get("/membership/renew/").content)

    assert f"Renewal opens on {long_date(opens)}" in text
    assert "You may renew early now" in text
    assert f"the new year starts on {long_date(membership.expires_on + timedelta(days=1))}" in text
    response = client.post("/membership/renew/", {"membership_type": membership.membership_type.pk})
    assert response.status_code == 302
    assert response["Location"].startswith("/store/checkout/?pending=")


def test_in_the_window_the_renew_page_does_not_call_it_early():
    membership = MembershipFactory(expires_in=20)

    text = visible_text(member_client(membership).get("/membership/renew/").content)

    assert "early" not in text
    assert f"runs until {long_date(membership.expires_on)}" in text


def test_the_membership_knows_its_window(settings):
    today = timezone.localdate()
    membership = MembershipFactory(expires_in=90)
    assert membership.renewal_opens_on == membership.expires_on - timedelta(days=60)
    assert not membership.renewal_is_open
    settings.MEMBERSHIP_RENEWAL_WINDOW_DAYS = 90
    assert membership.renewal_opens_on == today
    assert membership.renewal_is_open
