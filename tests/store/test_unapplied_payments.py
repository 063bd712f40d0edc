"""A payment confirmed while its order cannot be updated (the database busy) is never lost."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import OperationalError
from payments import PaymentStatus

from store import signals
from store.models import Order, Payment
from tests.factories import StaffFactory

from .factories import ProductFactory, order_for
from .helpers import messages, text

pytestmark = pytest.mark.django_db

CONFIRM = {"status": "confirmed", "fraud_status": "accept", "gateway_response": "3ds-disabled"}


@pytest.fixture
def busy_database(monkeypatch):
    """Marking an order paid fails with "database is locked" the next `times` times."""
    monkeypatch.setattr(signals, "APPLY_PAUSE", 0)
    mark_paid = Order.mark_paid
    left = {"times": 0}

    def flaky_mark_paid(self, **kwargs):
        if left["times"]:
            left["times"] -= 1
            raise OperationalError("database is locked")
        return mark_paid(self, **kwargs)

    monkeypatch.setattr(Order, "mark_paid", flaky_mark_paid)

    def fail(times):
        left["times"] = times

    return fail


def test_a_busy_database_is_tried_again_in_a_fresh_transaction(client, run_on_commit, busy_database):
    order = order_for(ProductFactory(stock=3))
    busy_database(signals.APPLY_ATTEMPTS - 1)
    client.get(order.get_pay_link())
    with run_on_commit():
        response = client.post(order.get_pay_link(), CONFIRM, follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payments.get().settlement == Payment.Settlement.PAID_ORDER
    assert f"Thank you! Order {order.reference} is paid. A receipt is on its way to {order.email}." in messages(
        response
    )


def test_a_payment_that_could_not_be_applied_is_kept_for_staff_and_never_charged_twice(
    client, run_on_commit, busy_database
):
    poster = ProductFactory(stock=3)
    order = order_for(poster)
    busy_database(signals.APPLY_ATTEMPTS)
    client.get(order.get_pay_link())
    with run_on_commit():
        response = client.post(order.get_pay_link(), CONFIRM, follow=True)

    assert response.status_code == 200  # not a 500
    payment = order.payments.get()
    order.refresh_from_db()
    assert (payment.status, order.status) == (PaymentStatus.CONFIRMED, Order.Status.PENDING)
    assert payment.settlement == Payment.Settlement.NOT_APPLIED
    assert "database is locked" in payment.settlement_note
    page = text(response)
    assert "We received your payment and are completing your order; you will not be charged again." in page
    assert "Pay $" not in page and "nothing was charged" not in page.lower()

    # Staff see it in admin.
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name="Store staff"))
    client.force_login(staff)
    listing = client.get("/admin/store/payment/?settlement__exact=not_applied").content.decode()
    assert order.reference in listing
    assert order.reference in client.get("/admin/store/order/?needs_staff=payment").content.decode()
    client.logout()

    # The buyer opening the pay page again is never charged twice: the payment in hand is applied.
    busy_database(signals.APPLY_ATTEMPTS)
    response = client.get(order.get_pay_link(), follow=True)
    assert order.payments.count() == 1
    assert "We received your payment and are completing your order" in text(response)

    busy_database(0)
    with run_on_commit():
        call_command("retry_fulfilments")
    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert payment.settlement == Payment.Settlement.PAID_ORDER
    poster.refresh_from_db()
    assert poster.stock == 2
    response = client.get(order.get_pay_link(), follow=True)
    assert f"Order {order.reference} is paid: there is nothing to pay." in messages(response)
    assert order.payments.count() == 1


def test_staff_apply_a_payment_again_from_admin(client, run_on_commit, busy_database):
    order = order_for(ProductFactory(stock=3))
    payment = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)
    busy_database(signals.APPLY_ATTEMPTS)
    payment.change_status(PaymentStatus.CONFIRMED)
    payment.refresh_from_db()
    assert payment.settlement == Payment.Settlement.NOT_APPLIED

    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name="Store staff"))
    client.force_login(staff)
    with run_on_commit():
        response = client.post(
            "/admin/store/payment/", {"action": "apply_payments", "_selected_action": [payment.pk]}, follow=True
        )
    assert f"{order.reference}: Paid its order." in text(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
