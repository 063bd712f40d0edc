"""Two buyers race to pay for the last copy: exactly one order gets it (PostgreSQL only)."""

import threading
import time

import pytest
from django.db import connection, connections
from payments import PaymentStatus

from store.models import Order, Payment, Product
from store.signals import order_paid

from .factories import ProductFactory, order_for


@pytest.mark.django_db(transaction=True)
def test_two_buyers_racing_for_the_last_item_never_oversell():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL: run with DATABASE_URL=postgres://...")
    product = ProductFactory(title="Last signed copy", stock=1)
    payments = []
    for _ in range(2):
        order = order_for(product)
        payments.append(Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total))

    def slow_fulfilment(sender, order, **kwargs):
        time.sleep(0.3)  # hold the locks, so the other buyer really waits on them

    order_paid.connect(slow_fulfilment)
    start = threading.Barrier(2)
    errors = []

    def pay(payment_pk):
        try:
            payment = Payment.objects.get(pk=payment_pk)
            start.wait()
            payment.change_status(PaymentStatus.CONFIRMED)  # the provider's callback
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=pay, args=(payment.pk,)) for payment in payments]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        order_paid.disconnect(slow_fulfilment)

    assert errors == []
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == [Order.Status.FAILED, Order.Status.PAID]
    failed = Order.objects.get(status=Order.Status.FAILED)
    assert failed.failure == Order.Failure.STOCK
    assert "“Last signed copy” is sold out." in failed.status_message
    assert Product.objects.get(pk=product.pk).stock == 0
