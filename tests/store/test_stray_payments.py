"""Money an order cannot take (cancelled, refunded, or already paid) is flagged for staff and refunded."""

import pytest
from django.contrib.auth.models import Group
from payments import PaymentError, PaymentStatus
from payments.dummy import DummyProvider

from store.models import Order, Payment, Product
from tests.factories import StaffFactory

from .factories import ProductFactory, order_for
from .helpers import messages, text

pytestmark = pytest.mark.django_db

CONFIRM = {"status": "confirmed", "fraud_status": "accept", "gateway_response": "3ds-disabled"}


@pytest.fixture
def store_staff(client):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name="Store staff"))
    return user


def confirm(payment):
    """The provider's callback: the buyer paid."""
    payment = Payment.objects.get(pk=payment.pk)
    payment.change_status(PaymentStatus.CONFIRMED)
    payment.refresh_from_db()
    return payment


def sell_the_last_copy_to_someone_else(client):
    """The buyer opens the pay page (tab 1); meanwhile the last copy sells; they reopen the pay page."""
    book = ProductFactory(title="Last signed copy", stock=1)
    order = order_for(book)
    client.get(order.get_pay_link())
    tab1 = order.payments.get()
    assert tab1.status == PaymentStatus.INPUT
    assert order_for(book).mark_paid() is True
    response = client.get(order.get_pay_link(), follow=True)
    assert "“Last signed copy” is sold out. The order is cancelled; nothing was charged." in messages(response)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    return order, tab1


def test_cancelling_an_order_cancels_its_open_payment(client):
    order, tab1 = sell_the_last_copy_to_someone_else(client)
    tab1.refresh_from_db()
    assert tab1.status == PaymentStatus.CANCELLED

    response = client.post(order.get_pay_link(), CONFIRM, follow=True)  # the buyer pays in tab 1

    assert f"Order {order.reference} is cancelled: there is nothing to pay." in messages(response)
    tab1.refresh_from_db()
    assert tab1.status == PaymentStatus.CANCELLED
    assert tab1.captured_amount == 0


def test_a_payment_confirmed_after_its_order_was_cancelled_is_refunded_by_staff(client, store_staff, monkeypatch):
    def cannot_cancel(self, payment):
        raise PaymentError("The provider could not cancel the payment")

    monkeypatch.setattr(DummyProvider, "cancel", cannot_cancel)
    order, tab1 = sell_the_last_copy_to_someone_else(client)
    assert Payment.objects.get(pk=tab1.pk).status == PaymentStatus.INPUT  # still open at the provider

    tab1 = confirm(tab1)  # the buyer pays in tab 1 after all

    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert tab1.captured_amount == order.total
    assert tab1.settlement == Payment.Settlement.REFUND_DUE
    assert tab1.settlement_note == "Confirmed while the order was cancelled."
    page = text(client.get(order.get_link()))
    assert f"We received a payment of ${order.total} that this order cannot take; it will be refunded to you." in page
    assert Product.objects.get(title="Last signed copy").stock == 0

    # Staff find it: a filter on orders and payments, and on the order's own admin page.
    client.force_login(store_staff)
    assert order.reference in client.get("/admin/store/order/?needs_staff=payment").content.decode()
    assert order.reference in client.get("/admin/store/payment/?settlement__exact=refund_due").content.decode()
    assert (
        "Refund due: its order cannot take it" in client.get(f"/admin/store/order/{order.pk}/change/").content.decode()
    )

    # Refunding asks first, then refunds this payment alone through the provider.
    action = {"action": "refund_payments", "_selected_action": [tab1.pk]}
    confirmation = client.post("/admin/store/payment/", action)
    assert confirmation.status_code == 200
    assert "Refund these payments?" in text(confirmation)
    assert Payment.objects.get(pk=tab1.pk).status == PaymentStatus.CONFIRMED
    response = client.post("/admin/store/payment/", {**action, "confirm": "yes", "reason": "Sold out"}, follow=True)
    assert f"Refunded {order.reference} (${order.total})." in text(response)
    tab1.refresh_from_db()
    assert tab1.status == PaymentStatus.REFUNDED
    assert (tab1.settlement, tab1.refunded_by) == (Payment.Settlement.REFUNDED, store_staff)
    assert tab1.refunded_at is not None
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    client.logout()
    assert f"A payment of ${order.total} was refunded to you on" in text(client.get(order.get_link()))

    # Done once: a second refund does nothing.
    client.force_login(store_staff)
    response = client.post("/admin/store/payment/", {**action, "confirm": "yes", "reason": "Again"}, follow=True)
    assert "None of the selected payments is due a refund." in text(response)


def test_a_second_payment_on_a_paid_order_is_flagged_and_its_refund_leaves_the_order_paid(store_staff):
    poster = ProductFactory(stock=5)
    order = order_for(poster)
    first = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)
    second = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)

    first = confirm(first)
    second = confirm(second)  # the buyer paid twice (two tabs)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert first.settlement == Payment.Settlement.PAID_ORDER
    assert second.settlement == Payment.Settlement.REFUND_DUE
    assert second.settlement_note == "Confirmed while the order was paid."
    assert Product.objects.get(pk=poster.pk).stock == 4  # taken once

    assert second.refund_alone(by=store_staff) is True
    second.refresh_from_db()
    order.refresh_from_db()
    assert second.status == PaymentStatus.REFUNDED
    assert order.status == Order.Status.PAID  # the first payment still pays it
    assert Payment.objects.get(pk=first.pk).status == PaymentStatus.CONFIRMED
    assert first.refund_alone(by=store_staff) is False  # not due a refund: refund the order instead


def test_a_payment_confirmed_on_a_refunded_order_is_flagged(store_staff):
    order = order_for(ProductFactory())
    first = confirm(Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total))
    assert order.mark_refunded(by=store_staff) is True
    late = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)

    late = confirm(late)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert late.settlement == Payment.Settlement.REFUND_DUE
    assert Payment.objects.get(pk=first.pk).settlement == Payment.Settlement.REFUNDED
    assert late.refund_alone(by=store_staff) is True
    assert Payment.objects.get(pk=late.pk).status == PaymentStatus.REFUNDED


def test_an_order_refund_clears_its_stray_payments_too(store_staff):
    """A sold-out order whose payment came through: refunding the order refunds the payment."""
    poster = ProductFactory(title="Last poster", stock=1)
    first, second = order_for(poster), order_for(poster)
    assert first.mark_paid() is True
    payment = confirm(Payment.objects.create(order=second, variant="dummy", currency="USD", total=second.total))
    second.refresh_from_db()
    assert (second.status, second.failure) == (Order.Status.FAILED, Order.Failure.STOCK)
    assert payment.settlement == Payment.Settlement.REFUND_DUE

    assert second.mark_refunded(by=store_staff) is True

    payment.refresh_from_db()
    assert (payment.status, payment.settlement, payment.refunded_by) == (
        PaymentStatus.REFUNDED,
        Payment.Settlement.REFUNDED,
        store_staff,
    )


def test_an_authorised_payment_on_an_order_that_cannot_take_it_is_released_not_captured():
    order = order_for(ProductFactory())
    order.status = Order.Status.CANCELLED
    order.save()
    payment = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)

    payment.change_status(PaymentStatus.PREAUTH)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED  # released
    assert payment.captured_amount == 0
    assert order.status == Order.Status.CANCELLED
