"""Two buyers race to pay for the last copy: exactly one order gets it, and no payment is lost.

The same race runs on PostgreSQL (row locks) and on SQLite, the default database (its write lock,
taken at BEGIN with transaction_mode=IMMEDIATE, with a busy timeout), with real threads.
"""

import contextlib
import sqlite3
import threading

import pytest
from django.conf import settings
from django.db import connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper
from payments import PaymentStatus

from store.models import Order, Payment, Product
from tests.concurrency import run_at_once

from .factories import ProductFactory, order_for


def race(product, monkeypatch, use_connection=None):
    """Both buyers' payments are confirmed at once; returns the errors the threads met.

    Each buyer's marking waits for the other after reading the stock, before writing it: the
    moment two read-then-write transactions deadlock, unless the second one waits for the first
    from its start (a row lock on PostgreSQL, BEGIN IMMEDIATE on SQLite). Then the wait times out
    and the first buyer goes on alone.
    """
    both_read = threading.Barrier(2, timeout=1)
    stock_problem = Product.stock_problem

    def stock_problem_after_both_read(self, quantity):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return stock_problem(self, quantity)

    monkeypatch.setattr(Product, "stock_problem", stock_problem_after_both_read)
    payments = []
    for _ in range(2):
        order = order_for(product)
        payments.append(Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total))
    ready = use_connection() if use_connection else None  # after the data is made, before the race

    def own_copy(payment_pk):
        if ready:
            connections["default"] = ready()
        return Payment.objects.get(pk=payment_pk)

    # The provider's callback, for both payments at once.
    return run_at_once(
        lambda payment: payment.change_status(PaymentStatus.CONFIRMED),
        [payment.pk for payment in payments],
        prepare=own_copy,
    )


def check_one_sold_and_the_other_refund_due(product):
    statuses = sorted(Order.objects.values_list("status", flat=True))
    assert statuses == [Order.Status.FAILED, Order.Status.PAID]
    failed = Order.objects.get(status=Order.Status.FAILED)
    assert failed.failure == Order.Failure.STOCK
    assert "“Last signed copy” is sold out." in failed.status_message
    assert Product.objects.get(pk=product.pk).stock == 0
    # Both buyers paid: one payment paid its order, the other is waiting for staff to refund it.
    settlements = dict(Payment.objects.values_list("order__status", "settlement"))
    assert settlements == {Order.Status.PAID: Payment.Settlement.PAID_ORDER, Order.Status.FAILED: "refund_due"}


@pytest.mark.django_db(transaction=True)
def test_two_buyers_racing_for_the_last_item_never_oversell(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL: run with DATABASE_URL=postgres://...")
    product = ProductFactory(title="Last signed copy", stock=1)

    assert race(product, monkeypatch) == []
    check_one_sold_and_the_other_refund_due(product)


@pytest.fixture
def sqlite_file(tmp_path):
    """The test database copied to a file, and connections to it with the project's SQLite settings.

    The test database is in memory, which SQLite shares between threads only through its table
    locks, not the file locks (WAL, busy timeout) the site runs on.
    """
    if connection.vendor != "sqlite":
        pytest.skip("The SQLite twin of the race above")
    path = tmp_path / "store.sqlite3"

    def connect():
        return DatabaseWrapper({**settings.DATABASES["default"], "NAME": str(path)}, alias="default")

    def copy():
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return connect

    yield copy, connect


@pytest.mark.django_db(transaction=True)
def test_two_buyers_racing_for_the_last_item_on_sqlite(sqlite_file, monkeypatch):
    copy, connect = sqlite_file
    product = ProductFactory(title="Last signed copy", stock=1)

    errors = race(product, monkeypatch, use_connection=copy)

    assert errors == []  # no "database is locked"
    mine = connections["default"]
    connections["default"] = connect()  # read the result from the file the threads wrote
    try:
        check_one_sold_and_the_other_refund_due(product)
    finally:
        connections["default"].close()
        connections["default"] = mine
