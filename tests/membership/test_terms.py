"""Membership terms: activation needs payment and a confirmed email; renewals never lose a term."""

import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from membership.models import Membership, MembershipTerm, add_years
from tests.factories import UserFactory

from .factories import MembershipFactory, MembershipTypeFactory, VerifiedUserFactory

pytestmark = pytest.mark.django_db


def one_year_from(day):
    return add_years(day, 1) - timedelta(days=1)


def pending_membership(user):
    kind = MembershipTypeFactory()
    return Membership.objects.create(user=user, membership_type=kind)


def test_nobody_is_a_member_until_paid_and_verified(django_capture_on_commit_callbacks):
    user = UserFactory()  # email not confirmed yet
    membership = pending_membership(user)
    term = membership.new_term()
    assert not user.is_member

    with django_capture_on_commit_callbacks(execute=True):
        term.mark_paid()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert MembershipTerm.objects.get(pk=term.pk).status == MembershipTerm.Status.PAID
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        user.verify_email()
    membership.refresh_from_db()
    today = timezone.localdate()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.expires_on == one_year_from(today)
    assert type(user).objects.get(pk=user.pk).is_member
    assert len(mail.outbox) == 1
    assert (
        f"{membership.expires_on:%B} {membership.expires_on.day}, {membership.expires_on.year}"
        in mail.outbox[0].subject
    )


def test_paying_twice_for_the_same_term_changes_nothing(django_capture_on_commit_callbacks):
    membership = pending_membership(VerifiedUserFactory())
    term = membership.new_term()
    with django_capture_on_commit_callbacks(execute=True):
        term.mark_paid()
        term.mark_paid()
    membership.refresh_from_db()
    assert membership.expires_on == one_year_from(timezone.localdate())
    assert len(mail.outbox) == 1


def test_renewing_extends_from_the_current_expiry_and_twice_keeps_both_years():
    membership = MembershipFactory(expires_in=20)
    old_expiry = membership.expires_on
    first, second = membership.new_term(), membership.new_term()
    first.mark_paid()
    second.mark_paid()
    membership.refresh_from_db()
    assert membership.expires_on == one_year_from(one_year_from(old_expiry + timedelta(days=1)) + timedelta(days=1))
    starts = sorted(MembershipTerm.objects.filter(membership=membership).values_list("starts_on", flat=True))
    assert starts[1] == old_expiry + timedelta(days=1)
    assert MembershipTerm.objects.filter(membership=membership, status=MembershipTerm.Status.STARTED).count() == 3


def test_renewing_a_lapsed_membership_starts_today():
    membership = MembershipFactory(expires_in=-40)
    assert not membership.user.is_member
    membership.new_term().mark_paid()
    membership.refresh_from_db()
    assert membership.expires_on == one_year_from(timezone.localdate())
    assert type(membership.user).objects.get(pk=membership.user.pk).is_member


def test_a_renewal_to_another_type_takes_effect_when_its_year_begins():
    membership = MembershipFactory(expires_in=10)
    individual = membership.membership_type
    student = MembershipTypeFactory(name="Student", annual_dues="33.00")
    term = membership.new_term(student)
    assert term.dues == student.annual_dues
    term.mark_paid()
    membership.refresh_from_db()
    assert membership.membership_type == individual  # the current year is still Individual

    # Eleven days on, the Student year has begun: the daily command switches the type.
    MembershipTerm.objects.filter(membership=membership).update(
        starts_on=F("starts_on") - timedelta(days=11), ends_on=F("ends_on") - timedelta(days=11)
    )
    call_command("expire_memberships", stdout=io.StringIO())
    membership.refresh_from_db()
    assert membership.membership_type == student
    assert membership.status == Membership.Status.ACTIVE


def test_renewing_a_lapsed_membership_to_another_type_switches_at_once():
    membership = MembershipFactory(expires_in=-5)
    student = MembershipTypeFactory(name="Student", annual_dues="33.00")
    membership.new_term(student).mark_paid()
    membership.refresh_from_db()
    assert membership.membership_type == student


def test_a_refund_withdraws_the_year_and_later_years_close_the_gap():
    membership = MembershipFactory(expires_in=100)
    first_expiry = membership.expires_on
    renewal, second = membership.new_term(), membership.new_term()
    renewal.mark_paid()
    second.mark_paid()
    membership.refresh_from_db()
    assert membership.expires_on == one_year_from(one_year_from(first_expiry + timedelta(days=1)) + timedelta(days=1))

    assert MembershipTerm.objects.get(pk=renewal.pk).refund() is True
    assert MembershipTerm.objects.get(pk=renewal.pk).refund() is False  # a repeated refund changes nothing

    membership.refresh_from_db()
    second.refresh_from_db()
    assert second.starts_on == first_expiry + timedelta(days=1)
    assert membership.expires_on == second.ends_on == one_year_from(first_expiry + timedelta(days=1))
    assert membership.status == Membership.Status.ACTIVE


def test_refunding_the_only_year_ends_the_membership():
    membership = MembershipFactory(expires_in=300)
    MembershipTerm.objects.get(membership=membership).refund()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.CANCELLED
    assert membership.expires_on is None
    assert not type(membership.user).objects.get(pk=membership.user_id).is_member


def test_a_refunded_join_never_starts_when_the_email_is_confirmed():
    user = UserFactory()
    membership = pending_membership(user)
    term = membership.new_term()
    term.mark_paid()
    term.refund()
    user.verify_email()
    membership.refresh_from_db()
    assert membership.status == Membership.Status.PENDING
    assert not type(user).objects.get(pk=user.pk).is_member


def test_expire_memberships_marks_only_lapsed_ones():
    lapsed = MembershipFactory(expires_in=-1)
    current = MembershipFactory(expires_in=0)
    call_command("expire_memberships", stdout=io.StringIO())
    lapsed.refresh_from_db()
    current.refresh_from_db()
    assert lapsed.status == Membership.Status.EXPIRED
    assert current.status == Membership.Status.ACTIVE


@pytest.mark.parametrize("days_left", [30, 7])
def test_reminders_go_once_per_term_with_a_signed_renew_link(days_left):
    membership = MembershipFactory(expires_in=days_left)
    MembershipFactory(expires_in=60)  # too early for any reminder
    call_command("send_renewal_reminders", stdout=io.StringIO())
    call_command("send_renewal_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [membership.user.email]
    assert f"{days_left} days" in message.body
    assert "/membership/renew/?token=" in message.body


def test_a_missed_day_is_caught_up_and_the_seven_day_reminder_still_follows():
    membership = MembershipFactory(expires_in=29)
    call_command("send_renewal_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
    membership.expires_on = timezone.localdate() + timedelta(days=7)
    membership.save()
    MembershipTerm.objects.filter(membership=membership).update(ends_on=membership.expires_on)
    call_command("send_renewal_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2
    assert "7 days" in mail.outbox[1].body


# Refunds with exact dates ----------------------------------------------------------------------

CHICAGO = ZoneInfo("America/Chicago")


def on(day):
    """Noon in Chicago on `day`, with the clock stopped."""
    return time_machine.travel(datetime.combine(day, time(12), CHICAGO), tick=False)


def years_paid_on(day, count):
    """A member who paid `count` years on `day`: they follow each other from that day."""
    with on(day):
        membership = pending_membership(VerifiedUserFactory())
        terms = [membership.new_term() for _ in range(count)]
        for term in terms:
            term.mark_paid()
    return membership, terms


def dates(term):
    term.refresh_from_db()
    return term.starts_on, term.ends_on


def test_paying_several_years_at_once_lines_them_up_from_june_first():
    _, terms = years_paid_on(date(2026, 6, 1), 3)

    assert [dates(term) for term in terms] == [
        (date(2026, 6, 1), date(2027, 5, 31)),
        (date(2027, 6, 1), date(2028, 5, 31)),
        (date(2028, 6, 1), date(2029, 5, 31)),
    ]


def test_refunding_a_year_that_has_ended_leaves_the_running_year_where_it_is():
    membership, (ended, running) = years_paid_on(date(2026, 6, 1), 2)

    with on(date(2027, 7, 6)):
        assert ended.refund() is True

    assert dates(running) == (date(2027, 6, 1), date(2028, 5, 31))
    membership.refresh_from_db()
    assert membership.expires_on == date(2028, 5, 31)
    assert membership.status == Membership.Status.ACTIVE


def test_refunding_an_ended_year_moves_neither_the_running_year_nor_the_years_after_it():
    membership, (ended, running, next_year, year_after) = years_paid_on(date(2026, 6, 1), 4)

    with on(date(2027, 7, 6)):
        ended.refund()

    assert [dates(term) for term in (running, next_year, year_after)] == [
        (date(2027, 6, 1), date(2028, 5, 31)),
        (date(2028, 6, 1), date(2029, 5, 31)),
        (date(2029, 6, 1), date(2030, 5, 31)),
    ]
    membership.refresh_from_db()
    assert membership.expires_on == date(2030, 5, 31)


def test_refunding_the_running_year_starts_the_next_years_today():
    membership, (ended, running, next_year, year_after) = years_paid_on(date(2026, 6, 1), 4)

    with on(date(2027, 7, 6)):
        running.refund()

    assert dates(ended) == (date(2026, 6, 1), date(2027, 5, 31))
    assert dates(next_year) == (date(2027, 7, 6), date(2028, 7, 5))
    assert dates(year_after) == (date(2028, 7, 6), date(2029, 7, 5))
    membership.refresh_from_db()
    assert membership.expires_on == date(2029, 7, 5)
    assert membership.status == Membership.Status.ACTIVE


def test_refunding_a_future_year_pulls_only_the_years_after_it_earlier():
    membership, (ended, running, future, after_future) = years_paid_on(date(2026, 6, 1), 4)

    with on(date(2027, 7, 6)):
        future.refund()

    assert dates(ended) == (date(2026, 6, 1), date(2027, 5, 31))
    assert dates(running) == (date(2027, 6, 1), date(2028, 5, 31))
    assert dates(after_future) == (date(2028, 6, 1), date(2029, 5, 31))
    membership.refresh_from_db()
    assert membership.expires_on == date(2029, 5, 31)


def test_refunding_the_year_that_ends_today_starts_the_next_one_today():
    membership, (running, next_year) = years_paid_on(date(2026, 6, 1), 2)

    with on(date(2027, 5, 31)):
        running.refund()

    assert dates(next_year) == (date(2027, 5, 31), date(2028, 5, 30))


def test_refunding_an_ended_year_on_the_day_the_next_one_began_moves_nothing():
    membership, (ended, running) = years_paid_on(date(2026, 6, 1), 2)

    with on(date(2027, 6, 1)):
        ended.refund()

    assert dates(running) == (date(2027, 6, 1), date(2028, 5, 31))
