"""Paying for an ad through the store: the checkout at the employer's price, the ad to review when
the order is paid (staff emailed), withdrawn when it is refunded, and the ad's page saying what
became of the payment. The checkout is driven the way a buyer drives it (the dummy provider)."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client

from joblist.models import JOBLIST_STAFF_GROUP, JobPosting
from joblist.receivers import describe_refund_effects
from store.models import FulfilmentFailure, Order
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import visible_text
from tests.membership.factories import MembershipFactory, MembershipTypeFactory
from tests.membership.flows import checkout, checkout_and_pay, pay

from .factories import AdProductFactory, EmployerFactory, JobPostingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def reviewer():
    """A JobLIST staff member: the one emailed when an ad waits."""
    user = StaffFactory(email="jobs-staff@ala.example.org")
    user.groups.add(Group.objects.get(name=JOBLIST_STAFF_GROUP))
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def draft_of(user, **fields):
    employer = EmployerFactory(name="Lakeside Public Library")
    employer.contacts.add(user)
    fields.setdefault("ad_product", AdProductFactory(name="Online ad (30 days)", price=Decimal("250.00")))
    return JobPostingFactory(title="Teen Services Librarian", employer=employer, posted_by=user, **fields)


def start_paying(client, posting):
    response = client.post(f"/joblist/post/{posting.pk}/pay/", {"website": ""})
    assert response.status_code == 302, response.content.decode()[:500]
    return response["Location"]


def test_paying_sends_the_ad_to_review_and_emails_joblist_staff(run_on_commit, reviewer):
    employer = UserFactory(first_name="Rosa", last_name="Diaz", email="rosa@lakeside.example.org")
    posting = draft_of(employer)
    client = signed_in(employer)

    checkout_url = start_paying(client, posting)
    assert checkout_url.startswith("/store/checkout/?pending=")
    checkout_page = client.get(checkout_url)
    assert "Rosa Diaz" in checkout_page.content.decode()  # the buyer is not asked twice
    with run_on_commit():
        landed = checkout_and_pay(client, checkout_url)

    assert landed.endswith(f"/joblist/my-ads/{posting.pk}/")
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PENDING and posting.paid_at and posting.submitted_at
    order = Order.objects.get()
    assert order.status == Order.Status.PAID and order.total == Decimal("250.00")
    [line] = order.lines.all()
    assert line.kind == "job_ad" and "Teen Services Librarian" in line.description
    [staff_email] = [m for m in mail.outbox if m.to == ["jobs-staff@ala.example.org"]]
    assert staff_email.subject == "JobLIST: an ad waits for review: Teen Services Librarian"
    assert f"/admin/joblist/jobposting/{posting.pk}/change/" in staff_email.body
    page = visible_text(client.get(landed).content)
    assert "Pending review" in page and "Our staff are reviewing the ad" in page


def test_an_organizational_member_pays_the_member_price():
    organizational = MembershipTypeFactory(name="Organizational", annual_dues=Decimal("300.00"))
    member = MembershipFactory(membership_type=organizational).user
    product = AdProductFactory(price=Decimal("250.00"), member_price=Decimal("200.00"))
    product.discounted_membership_types.add(organizational)
    posting = draft_of(member, ad_product=product)
    client = signed_in(member)

    preview = visible_text(client.get(f"/joblist/post/{posting.pk}/preview/").content)
    assert "Pay $200.00 and submit for review" in preview
    checkout_and_pay(client, start_paying(client, posting))

    assert Order.objects.get().total == Decimal("200.00")


def test_a_payment_not_made_yet_is_said_on_the_ads_page_with_a_way_to_pay():
    user = UserFactory()
    posting = draft_of(user)
    client = signed_in(user)
    checkout(client, start_paying(client, posting))  # billing given, never paid

    text = visible_text(client.get(f"/joblist/my-ads/{posting.pk}/").content)

    assert "Your payment is not complete" in text and "Pay $250.00 now" in text
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.DRAFT


def test_a_declined_payment_is_said_on_the_ads_page_with_a_way_to_try_again(run_on_commit):
    user = UserFactory()
    posting = draft_of(user)
    client = signed_in(user)
    with run_on_commit():
        pay(client, checkout(client, start_paying(client, posting)), status="rejected")

    text = visible_text(client.get(f"/joblist/my-ads/{posting.pk}/").content)

    assert "Your payment was not accepted, so nothing was charged" in text and "Try again: pay $250.00" in text
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.DRAFT and posting.paid_at is None


def test_a_paid_ad_is_not_paid_for_twice():
    user = UserFactory()
    posting = draft_of(user)
    client = signed_in(user)
    checkout_and_pay(client, start_paying(client, posting))

    response = client.post(f"/joblist/post/{posting.pk}/pay/", {"website": ""})

    assert response["Location"] == f"/joblist/my-ads/{posting.pk}/"
    assert Order.objects.count() == 1


def test_someone_else_cannot_pay_for_an_ad():
    posting = draft_of(UserFactory())
    response = signed_in(UserFactory()).post(f"/joblist/post/{posting.pk}/pay/", {"website": ""})
    assert response.status_code == 404


def test_paying_needs_a_post_and_an_empty_honeypot():
    user = UserFactory()
    posting = draft_of(user)
    client = signed_in(user)
    assert client.get(f"/joblist/post/{posting.pk}/pay/").status_code == 405
    response = client.post(f"/joblist/post/{posting.pk}/pay/", {"website": "spam"})
    assert response["Location"] == f"/joblist/post/{posting.pk}/preview/"


def test_an_ad_whose_product_left_sale_is_not_sent_to_the_checkout():
    user = UserFactory()
    posting = draft_of(user)
    posting.ad_product.is_active = False
    posting.ad_product.save()
    client = signed_in(user)

    response = client.post(f"/joblist/post/{posting.pk}/pay/", {"website": ""})

    assert response["Location"] == f"/joblist/post/{posting.pk}/preview/"
    assert "no longer on sale" in visible_text(client.get(response["Location"]).content)


def test_a_refund_withdraws_the_ad_and_staff_read_so_first(run_on_commit):
    user = UserFactory()
    posting = draft_of(user)
    client = signed_in(user)
    with run_on_commit():
        checkout_and_pay(client, start_paying(client, posting))
    posting.refresh_from_db()
    posting.approve(by=StaffFactory())
    order = Order.objects.get()

    effect = "The job ad “Teen Services Librarian” (Lakeside Public Library) is withdrawn: it leaves the JobLIST board"
    assert f"{effect} at once." in order.refund_effects(restock=False)
    with run_on_commit():
        order.mark_refunded(by=StaffFactory(), reason="Filled before it ran")

    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.WITHDRAWN
    assert not JobPosting.objects.visible().exists()
    assert "The payment was refunded and the ad is withdrawn." in visible_text(
        client.get(f"/joblist/my-ads/{posting.pk}/").content
    )
    assert describe_refund_effects(sender=Order, order=order) == []  # nothing more to undo


def test_paid_again_is_a_no_op(run_on_commit, reviewer):
    """The store may send order_paid again (a retry): the ad is sent to review once, staff emailed once."""
    from joblist.receivers import send_paid_ads_to_review

    user = UserFactory()
    posting = draft_of(user)
    client = signed_in(user)
    with run_on_commit():
        checkout_and_pay(client, start_paying(client, posting))
    posting.refresh_from_db()
    first_paid = posting.paid_at
    mail.outbox.clear()

    with run_on_commit():
        send_paid_ads_to_review(sender=Order, order=Order.objects.get())

    posting.refresh_from_db()
    assert posting.paid_at == first_paid and posting.status == JobPosting.Status.PENDING
    assert mail.outbox == []


def test_a_failed_fulfilment_is_retried_and_then_sends_the_ad_to_review(run_on_commit, monkeypatch):
    user = UserFactory()
    posting = draft_of(user)
    client = signed_in(user)
    real_mark_paid = JobPosting.mark_paid

    def broken(self, now=None):
        raise RuntimeError("database hiccup")

    monkeypatch.setattr(JobPosting, "mark_paid", broken)
    with run_on_commit():
        checkout_and_pay(client, start_paying(client, posting))
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.DRAFT
    assert Order.objects.get().status == Order.Status.PAID  # the money is never lost
    assert "we have your payment" in visible_text(client.get(f"/joblist/my-ads/{posting.pk}/").content).lower()

    monkeypatch.setattr(JobPosting, "mark_paid", real_mark_paid)
    [failure] = FulfilmentFailure.objects.all()
    assert failure.retry() is True
    assert failure.retry() is True  # and again: nothing changes

    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PENDING


def test_a_refund_of_an_ad_that_ended_changes_nothing():
    posting = JobPostingFactory(expired=True)
    posting.mark_refunded()
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.EXPIRED
