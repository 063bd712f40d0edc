"""What another app sells through the store (a job ad, a registration) is paid for once.

A buyer who opens the checkout twice for the same item (two tabs) and pays both orders gets the
second order failed, its payment flagged "refund due" for staff, and a message saying so on its
order page; the app fulfils once. A refunded first order does not block paying again. Two payments
confirmed at the same moment end with exactly one order paid, on SQLite and on PostgreSQL.
"""

import contextlib
import threading
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from payments import PaymentStatus

from events.models import Registration
from joblist.models import JOBLIST_STAFF_GROUP, JobPosting
from store.models import Order, OrderEvent, OrderLine, Payment, Product
from store.signals import order_payment_failed
from tests.concurrency import run_at_once
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import StaffFactory, UserFactory
from tests.joblist.factories import AdProductFactory, EmployerFactory, JobPostingFactory
from tests.membership.flows import checkout, pay

from .factories import OrderFactory, ProductFactory, order_for
from .helpers import messages, text

AD = "JobLIST Online ad (30 days): Teen Services Librarian (Lakeside Public Library)"


@pytest.fixture
def reviewer():
    """A JobLIST staff member, emailed when a paid ad waits for review."""
    user = StaffFactory(email="jobs-staff@ala.example.org")
    user.groups.add(Group.objects.get(name=JOBLIST_STAFF_GROUP))
    return user


@pytest.fixture
def store_staff():
    user = StaffFactory(first_name="Sam", last_name="Clerk", email="sam@ala.test")
    user.groups.add(Group.objects.get(name="Store staff"))
    return user


@pytest.fixture
def ads_marked_paid(monkeypatch):
    """The job ads joblist's order_paid receiver was asked to mark paid, one entry per call."""
    calls = []
    mark_paid = JobPosting.mark_paid

    def spy(self, *args, **kwargs):
        calls.append(self.pk)
        return mark_paid(self, *args, **kwargs)

    monkeypatch.setattr(JobPosting, "mark_paid", spy)
    return calls


@pytest.fixture
def failures_sent():
    """The orders `order_payment_failed` was sent for."""
    sent = []

    def listen(sender, order, **kwargs):
        sent.append(order.reference)

    order_payment_failed.connect(listen, dispatch_uid="tests.store.test_paid_twice")
    yield sent
    order_payment_failed.disconnect(dispatch_uid="tests.store.test_paid_twice")


def draft_ad(user=None):
    employer = EmployerFactory(name="Lakeside Public Library")
    if user is not None:
        employer.contacts.add(user)
    product = AdProductFactory(name="Online ad (30 days)", price=Decimal("250.00"))
    return JobPostingFactory(title="Teen Services Librarian", employer=employer, posted_by=user, ad_product=product)


def ad_order(posting):
    """A pending order for the ad, as the store's checkout makes it from joblist's PayableLine."""
    order = OrderFactory(total=Decimal("250.00"))
    OrderLine.objects.create(
        order=order,
        kind=OrderLine.Kind.JOB_AD,
        description=AD,
        unit_price=Decimal("250.00"),
        content_type=ContentType.objects.get_for_model(JobPosting),
        object_id=posting.pk,
    )
    return order


def open_payment(order):
    return Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)


def confirm(payment):
    """The provider's callback: the buyer paid."""
    payment = Payment.objects.get(pk=payment.pk)
    payment.change_status(PaymentStatus.CONFIRMED)
    payment.refresh_from_db()
    return payment


def start_paying(client, posting):
    response = client.post(f"/joblist/post/{posting.pk}/pay/", {"website": ""})
    assert response.status_code == 302
    return response["Location"]


def two_tabs(client, posting):
    """The employer starts paying for the ad in two tabs and fills in the checkout in both: two orders."""
    first, second = start_paying(client, posting), start_paying(client, posting)
    first_pay, second_pay = checkout(client, first), checkout(client, second)
    tab1, tab2 = Order.objects.order_by("pk")
    assert tab1.lines.get().object_id == tab2.lines.get().object_id == posting.pk
    return (tab1, first_pay), (tab2, second_pay)


# An item paid twice ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_second_order_paid_for_an_ad_fails_its_payment_is_refund_due_and_the_ad_is_paid_once(
    run_on_commit, reviewer, ads_marked_paid, failures_sent
):
    user = UserFactory(first_name="Rosa", last_name="Diaz", email="rosa@lakeside.example.org")
    posting = draft_ad(user)
    client = Client()
    client.force_login(user)
    (first, first_pay), (second, second_pay) = two_tabs(client, posting)
    client.get(second_pay)  # tab 2 is at the provider's payment page ...
    at_provider = second.payments.get()
    assert at_provider.status == PaymentStatus.INPUT

    with run_on_commit():
        pay(client, first_pay)  # ... while tab 1 pays
    first.refresh_from_db()
    assert first.status == Order.Status.PAID
    posting.refresh_from_db()
    paid_at = posting.paid_at
    assert posting.status == JobPosting.Status.PENDING and paid_at is not None
    mail.outbox.clear()

    with run_on_commit():
        at_provider = confirm(at_provider)  # then tab 2's payment goes through at the provider as well

    second.refresh_from_db()
    line = second.lines.get()
    assert line.description.startswith("JobLIST Online ad (30 days): Teen Services Librarian")
    message = f"“{line.description}” was already paid for in order {first.reference}; this payment will be refunded."
    assert (second.status, second.failure, second.status_message) == (
        Order.Status.FAILED,
        Order.Failure.PAID_ELSEWHERE,
        message,
    )
    assert second.paid_at is None and second.receipt_sent_at is None
    assert at_provider.settlement == Payment.Settlement.REFUND_DUE
    assert at_provider.settlement_note == f"What it pays for was already paid for in order {first.reference}."
    assert [event.kind for event in second.events.order_by("pk")] == [
        OrderEvent.Kind.CREATED,
        OrderEvent.Kind.FAILED,
        OrderEvent.Kind.REFUND_DUE,
    ]
    failed = second.events.get(kind=OrderEvent.Kind.FAILED)
    assert (failed.amount, failed.detail) == (Decimal("250.00"), message.split(";")[0] + ".")
    # Fulfilled once: joblist's receiver ran for the first order only; nobody was emailed again.
    assert ads_marked_paid == [posting.pk]
    posting.refresh_from_db()
    assert (posting.status, posting.paid_at) == (JobPosting.Status.PENDING, paid_at)
    assert mail.outbox == []
    # The ad is paid (by the first order): no app is told this one's payment failed.
    assert failures_sent == []
    first.refresh_from_db()
    assert first.status == Order.Status.PAID

    page = text(client.get(second.get_absolute_url()))
    assert f"Order {second.reference}" in page
    assert message in page
    assert "We received a payment of $250.00 that this order cannot take; it will be refunded to you." in page
    assert "Pay $250.00 now" not in page

    # A repeated callback for the same payment changes nothing more.
    assert confirm(at_provider).settlement == Payment.Settlement.REFUND_DUE
    assert second.events.count() == 3 and ads_marked_paid == [posting.pk]


@pytest.mark.django_db
def test_staff_refund_the_second_payment_alone_and_the_ad_stays_paid(client, store_staff, ads_marked_paid):
    posting = draft_ad()
    first, second = ad_order(posting), ad_order(posting)
    confirm(open_payment(first))
    stray = confirm(open_payment(second))
    client.force_login(store_staff)

    # Refunding the whole order would tell joblist to withdraw the ad the first order paid for.
    response = client.get(f"/admin/store/order/{second.pk}/refund/", follow=True)
    assert (
        f"Order {second.reference} failed: “{AD}” was already paid for in order {first.reference}; this payment "
        "will be refunded. Refund its payment alone (Payments, “refund due”); the other order keeps what it "
        "paid for." in messages(response)
    )
    # The orders list's "needs staff" filter (the dashboard's "A payment to refund, apply or check") shows it.
    listed = text(client.get("/admin/store/order/?needs_staff=payment"))
    assert second.reference in listed and first.reference not in listed

    assert stray.refund_alone(by=store_staff, reason="Paid twice in two tabs") is True

    stray.refresh_from_db()
    assert (stray.status, stray.settlement) == (PaymentStatus.REFUNDED, Payment.Settlement.REFUNDED)
    assert Order.objects.get(pk=first.pk).status == Order.Status.PAID
    posting.refresh_from_db()
    assert posting.status == JobPosting.Status.PENDING and posting.paid_at is not None
    assert ads_marked_paid == [posting.pk]


@pytest.mark.django_db
def test_a_registration_paid_for_twice_is_confirmed_once():
    event = EventFactory(paid=True, title="Storytime Skills")
    registration = RegistrationFactory(event=event, status=Registration.Status.PENDING, confirmed_at=None)
    lines = []
    for _ in range(2):
        order = OrderFactory(total=Decimal("45.00"))
        lines.append(
            OrderLine.objects.create(
                order=order,
                kind=OrderLine.Kind.EVENT_FEE,
                description="Registration: Storytime Skills",
                unit_price=Decimal("45.00"),
                content_type=ContentType.objects.get_for_model(Registration),
                object_id=registration.pk,
            )
        )
    first, second = (line.order for line in lines)
    assert confirm(open_payment(first)).settlement == Payment.Settlement.PAID_ORDER
    confirmed_at = Registration.objects.get(pk=registration.pk).confirmed_at

    stray = confirm(open_payment(second))

    second.refresh_from_db()
    assert (second.status, second.failure) == (Order.Status.FAILED, Order.Failure.PAID_ELSEWHERE)
    assert second.status_message == (
        f"“Registration: Storytime Skills” was already paid for in order {first.reference}; "
        "this payment will be refunded."
    )
    assert stray.settlement == Payment.Settlement.REFUND_DUE
    registration.refresh_from_db()
    assert (registration.status, registration.confirmed_at) == (Registration.Status.CONFIRMED, confirmed_at)


@pytest.mark.django_db
def test_a_second_order_for_a_paid_ad_is_cancelled_before_the_buyer_is_charged(run_on_commit):
    user = UserFactory()
    posting = draft_ad(user)
    client = Client()
    client.force_login(user)
    (first, first_pay), (second, second_pay) = two_tabs(client, posting)
    with run_on_commit():
        pay(client, first_pay)

    response = client.get(second_pay, follow=True)  # the buyer opens the second tab's pay page later

    second.refresh_from_db()
    line = second.lines.get()
    expected = (
        f"“{line.description}” was already paid for in order {first.reference}. "
        "The order is cancelled; nothing was charged."
    )
    assert second.status == Order.Status.CANCELLED
    assert second.status_message == expected
    assert expected in messages(response)
    # The payment the checkout opened for it is cancelled at the provider: nothing can be charged.
    opened = second.payments.get()
    assert (opened.status, opened.captured_amount) == (PaymentStatus.CANCELLED, 0)
    assert Order.objects.get(pk=first.pk).status == Order.Status.PAID


@pytest.mark.django_db
def test_staff_recording_an_offline_payment_for_a_paid_ad_are_told_why_and_nothing_changes(
    client, store_staff, ads_marked_paid
):
    posting = draft_ad()
    first, second = ad_order(posting), ad_order(posting)
    first.mark_paid()
    client.force_login(store_staff)
    url = f"/admin/store/order/{second.pk}/record-offline-payment/"
    already = f"“{AD}” was already paid for in order {first.reference}."

    asked = text(client.get(url))
    assert already in asked
    assert "Record the payment" not in asked  # the confirmation offers no button

    response = client.post(url, {"method": "cheque", "reference": "1042", "reason": "Cheque came"}, follow=True)

    assert f"{second.reference}: not recorded, nothing was changed. {already}" in messages(response)
    second.refresh_from_db()
    assert (second.status, second.failure, second.status_message) == (Order.Status.PENDING, "", "")
    assert second.record_offline_payment(by=store_staff, method="cheque", reason="Cheque came") is False
    assert list(second.events.values_list("kind", flat=True)) == [OrderEvent.Kind.CREATED]
    assert ads_marked_paid == [posting.pk]


# What does not block a payment ----------------------------------------------------------------


@pytest.mark.django_db
def test_a_refunded_first_order_does_not_block_paying_for_the_item_again(store_staff, ads_marked_paid):
    posting = draft_ad()
    first, second = ad_order(posting), ad_order(posting)
    confirm(open_payment(first))
    assert first.mark_refunded(by=store_staff, reason="Paid by the wrong card") is True
    assert second.payment_problems() == []

    payment = confirm(open_payment(second))

    second.refresh_from_db()
    assert (second.status, second.failure, second.status_message) == (Order.Status.PAID, "", "")
    assert payment.settlement == Payment.Settlement.PAID_ORDER
    assert ads_marked_paid == [posting.pk, posting.pk]  # joblist is told of the new payment


@pytest.mark.django_db
def test_a_failed_second_order_does_not_block_a_third():
    posting = draft_ad()
    first, second, third = ad_order(posting), ad_order(posting), ad_order(posting)
    confirm(open_payment(second))
    assert Order.objects.get(pk=second.pk).status == Order.Status.PAID
    first.mark_paid()  # fails: the second paid
    assert Order.objects.get(pk=first.pk).status == Order.Status.FAILED

    # Only the paid order is named, never the failed one.
    assert third.payment_problems() == [f"“{AD}” was already paid for in order {second.reference}."]


@pytest.mark.django_db
def test_orders_for_the_same_product_are_each_paid():
    poster = ProductFactory(title="Freedom to Read poster", stock=10)
    first, second = order_for(poster), order_for(poster)

    assert confirm(open_payment(first)).settlement == Payment.Settlement.PAID_ORDER
    assert second.payment_problems() == []
    assert confirm(open_payment(second)).settlement == Payment.Settlement.PAID_ORDER

    assert list(Order.objects.values_list("status", flat=True)) == [Order.Status.PAID, Order.Status.PAID]
    assert Product.objects.get(pk=poster.pk).stock == 8


# Two payments for the same item at the same moment ------------------------------------------------


def race(orders, monkeypatch):
    """Both orders' payments are confirmed at once, by the provider's callbacks in two threads.

    Each marking waits for the other after looking for another paid order, before writing: both
    would find none and both would be paid, unless the second waits for the first from the item's
    row lock (PostgreSQL) or BEGIN IMMEDIATE (SQLite). Then the wait times out and the first goes
    on alone. Returns the errors the threads met.
    """
    both_looked = threading.Barrier(2, timeout=1)
    paid_elsewhere = Order.paid_elsewhere

    def paid_elsewhere_after_both_looked(self):
        found = paid_elsewhere(self)
        with contextlib.suppress(threading.BrokenBarrierError):
            both_looked.wait()
        return found

    monkeypatch.setattr(Order, "paid_elsewhere", paid_elsewhere_after_both_looked)
    payments = [open_payment(order) for order in orders]
    return run_at_once(
        lambda payment: payment.change_status(PaymentStatus.CONFIRMED),
        [payment.pk for payment in payments],
        prepare=lambda pk: Payment.objects.get(pk=pk),
    )


@pytest.mark.django_db(transaction=True)
def test_two_payments_for_the_same_ad_at_once_pay_one_order(file_database, monkeypatch, ads_marked_paid):
    posting = draft_ad()
    orders = [ad_order(posting), ad_order(posting)]

    errors = race(orders, monkeypatch)

    assert errors == []  # no "database is locked", no deadlock
    paid = Order.objects.get(status=Order.Status.PAID)
    failed = Order.objects.get(status=Order.Status.FAILED)
    assert failed.failure == Order.Failure.PAID_ELSEWHERE
    assert (
        failed.status_message
        == f"“{AD}” was already paid for in order {paid.reference}; this payment will be refunded."
    )
    settlements = dict(Payment.objects.values_list("order__status", "settlement"))
    assert settlements == {Order.Status.PAID: Payment.Settlement.PAID_ORDER, Order.Status.FAILED: "refund_due"}
    assert ads_marked_paid == [posting.pk]
    assert JobPosting.objects.get(pk=posting.pk).status == JobPosting.Status.PENDING
