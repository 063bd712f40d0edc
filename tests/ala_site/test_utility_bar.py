"""The utility bar offers what fits the person: "Join" to visitors and non-members, "Renew" only
when the renewal window is open (MEMBERSHIP_RENEWAL_WINDOW_DAYS before expiry) or the membership
lapsed, and otherwise just "My account" — never "Renew" right after joining."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from membership.models import Membership
from tests.factories import UserFactory
from tests.html_utils import visible_text
from tests.membership.factories import MembershipFactory, MembershipTypeFactory
from tests.membership.flows import checkout_and_pay, join_confirm_and_log_in

pytestmark = pytest.mark.django_db


def utility_bar(response):
    """The links and buttons of the utility bar, in order."""
    html = response.content.decode()
    start = html.index(">", html.index('aria-label="Utility"')) + 1
    nav = html[start : html.index("</nav>", start)]
    return visible_text(nav).replace("|", " ").split()


def as_user(user):
    client = Client()
    client.force_login(user)
    return client


def member_expiring_in(days, **kwargs):
    return MembershipFactory(expires_in=days, **kwargs)


def test_a_visitor_is_offered_join_only(client):
    bar = utility_bar(client.get("/"))

    assert "Join" in bar
    assert "Renew" not in bar
    assert "Log" in bar  # "Log in"


def test_a_logged_in_non_member_is_offered_join():
    bar = utility_bar(as_user(UserFactory()).get("/"))

    assert "Join" in bar and "Renew" not in bar
    assert bar.count("account") == 1  # "My account"


def test_an_active_member_outside_the_renewal_window_sees_my_account_only():
    membership = member_expiring_in(200)

    bar = utility_bar(as_user(membership.user).get("/"))

    assert "Join" not in bar and "Renew" not in bar
    assert bar.count("account") == 1


@pytest.mark.parametrize("days", [60, 30, 0])
def test_a_member_in_the_renewal_window_is_offered_renew(days):
    membership = member_expiring_in(days)

    bar = utility_bar(as_user(membership.user).get("/"))

    assert "Renew" in bar and "Join" not in bar


def test_the_window_opens_61_days_before_expiry_no_earlier():
    assert "Renew" not in utility_bar(as_user(member_expiring_in(61).user).get("/"))


def test_a_lapsed_member_is_offered_renew():
    membership = member_expiring_in(-3)
    assert not membership.user.is_member

    bar = utility_bar(as_user(membership.user).get("/"))

    assert "Renew" in bar and "Join" not in bar


def test_an_expired_status_is_offered_renew():
    membership = member_expiring_in(-40)
    Membership.objects.filter(pk=membership.pk).update(status=Membership.Status.EXPIRED)

    assert "Renew" in utility_bar(as_user(membership.user).get("/"))


def test_the_window_is_a_setting(settings):
    settings.MEMBERSHIP_RENEWAL_WINDOW_DAYS = 120
    membership = member_expiring_in(100)

    assert "Renew" in utility_bar(as_user(membership.user).get("/"))


def test_right_after_joining_no_renew_is_offered(client, django_capture_on_commit_callbacks):
    individual = MembershipTypeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        landing = checkout_and_pay(client, join_confirm_and_log_in(client, individual))
    membership = Membership.objects.get()
    assert membership.is_current
    assert membership.expires_on > timezone.localdate() + timedelta(days=300)

    for path in ("/", landing):
        bar = utility_bar(client.get(path, follow=True))
        assert "Renew" not in bar and "Join" not in bar


def queries_for(client):
    """The queries of a first and of a second visit to the landing page (rendered, not shared)."""
    client.cookies["messages"] = "none"  # a page with a message waiting is rendered for the visitor
    visits = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/")
        assert response.status_code == 200
        visits.append([query["sql"] for query in queries.captured_queries])
    return visits


def test_the_utility_bar_costs_one_membership_query_a_day_whatever_the_person():
    non_member = queries_for(as_user(UserFactory()))
    member = queries_for(as_user(member_expiring_in(200).user))
    renewing = queries_for(as_user(member_expiring_in(10).user))

    assert len(non_member[1]) == len(member[1]) == len(renewing[1])
    for first, again in (non_member, member, renewing):
        assert sum('"membership_membership"' in sql for sql in first) == 1
        assert sum('"membership_membership"' in sql for sql in again) == 0  # the offer is kept for the day


def test_a_renewed_membership_changes_the_offer_at_the_next_request():
    membership = member_expiring_in(10)
    client = as_user(membership.user)
    assert "Renew" in visible_text(client.get("/").content)
    membership.expires_on += timedelta(days=365)
    membership.save()
    assert "Renew" not in visible_text(client.get("/").content)
