"""A selling app's receiver that fails never leaves a paid order payable; staff see it and retry it."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from store.models import Category, FulfilmentFailure, Order, Payment
from store.signals import order_paid
from tests.factories import StaffFactory

from .factories import ProductFactory, order_for
from .helpers import messages, text

pytestmark = pytest.mark.django_db

CONFIRM = {"status": "confirmed", "fraud_status": "accept", "gateway_response": "3ds-disabled"}
BROKEN = {"on": True}


def broken_fulfilment(sender, order, **kwargs):
    """A selling app whose fulfilment writes, then fails (until it is fixed)."""
    Category.objects.create(name=f"Half-done for {order.reference}", slug=f"half-{order.reference.lower()}")
    if BROKEN["on"]:
        raise RuntimeError("The membership service is down")
    Category.objects.create(name=f"Fulfilled {order.reference}", slug=f"done-{order.reference.lower()}")


def working_fulfilment(sender, order, **kwargs):
    Category.objects.create(name=f"Other app fulfilled {order.reference}", slug=f"other-{order.reference.lower()}")


@pytest.fixture
def receivers():
    BROKEN["on"] = True
    order_paid.connect(broken_fulfilment)
    order_paid.connect(working_fulfilment)
    yield
    order_paid.disconnect(broken_fulfilment)
    order_paid.disconnect(working_fulfilment)


def test_a_failing_receiver_leaves_the_order_paid_and_is_recorded(client, run_on_commit, receivers):
    poster = ProductFactory(stock=3)
    order = order_for(poster)
    client.get(order.get_pay_link())
    with run_on_commit():
        response = client.post(order.get_pay_link(), CONFIRM, follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert f"Thank you! Order {order.reference} is paid." in " ".join(messages(response))
    poster.refresh_from_db()
    assert poster.stock == 2
    # The failing receiver's own writes are rolled back; the others' are kept.
    names = set(Category.objects.values_list("name", flat=True))
    assert names == {f"Other app fulfilled {order.reference}"}
    failure = FulfilmentFailure.objects.get()
    assert (failure.order, failure.receiver) == (order, "tests.store.test_fulfilment.broken_fulfilment")
    assert "RuntimeError: The membership service is down" in failure.error
    assert failure.is_open

    # Never a second charge: the pay page refuses a paid order and starts no payment.
    response = client.get(order.get_pay_link(), follow=True)
    assert f"Order {order.reference} is paid: there is nothing to pay." in messages(response)
    assert Payment.objects.filter(order=order).count() == 1
    # A repeated callback neither sends order_paid again nor records the failure twice.
    order.mark_paid()
    assert FulfilmentFailure.objects.get().attempts == 1


def test_staff_see_and_retry_a_failed_fulfilment(client, receivers):
    fulfilled = order_for(ProductFactory())
    BROKEN["on"] = False
    fulfilled.mark_paid()
    BROKEN["on"] = True
    order = order_for(ProductFactory())
    order.mark_paid()
    failure = FulfilmentFailure.objects.get()
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name="Store staff"))
    client.force_login(staff)

    listing = client.get("/admin/store/fulfilmentfailure/?resolved_at__isempty=1")
    assert order.reference in listing.content.decode()
    assert "The membership service is down" in text(listing)
    needing_staff = client.get("/admin/store/order/?needs_staff=fulfilment").content.decode()
    assert order.reference in needing_staff
    assert fulfilled.reference not in needing_staff
    assert "The membership service is down" in text(client.get(f"/admin/store/order/{order.pk}/change/"))

    action = {"action": "retry", "_selected_action": [failure.pk]}
    response = client.post("/admin/store/fulfilmentfailure/", action, follow=True)
    assert f"Still failing: {order.reference} (RuntimeError: The membership service is down)." in text(response)
    failure.refresh_from_db()
    assert (failure.attempts, failure.is_open) == (2, True)

    BROKEN["on"] = False  # the service is back
    response = client.post("/admin/store/fulfilmentfailure/", action, follow=True)
    assert f"Fulfilled: {order.reference}." in text(response)
    failure.refresh_from_db()
    assert (failure.is_open, failure.resolved_by, failure.resolution) == (False, staff, "Fulfilled on retry.")
    assert Category.objects.filter(name=f"Fulfilled {order.reference}").exists()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_the_retry_command_fulfils_what_failed(receivers, capsys):
    orders = [order_for(ProductFactory()) for _ in range(2)]
    for order in orders:
        order.mark_paid()
    assert FulfilmentFailure.objects.filter(resolved_at__isnull=True).count() == 2

    call_command("retry_fulfilments")
    assert "fulfilled 0 order(s), 2 still failing" in capsys.readouterr().out

    BROKEN["on"] = False
    call_command("retry_fulfilments")
    assert "fulfilled 2 order(s), 0 still failing" in capsys.readouterr().out
    assert not FulfilmentFailure.objects.filter(resolved_at__isnull=True).exists()
    for order in orders:
        assert Category.objects.filter(name=f"Fulfilled {order.reference}").exists()

    call_command("retry_fulfilments")  # nothing left: nothing done twice
    assert "fulfilled 0 order(s), 0 still failing" in capsys.readouterr().out


def test_a_failure_on_an_order_refunded_meanwhile_is_closed_without_running(receivers):
    order = order_for(ProductFactory())
    order.mark_paid()
    order.mark_refunded()
    failure = FulfilmentFailure.objects.get()
    BROKEN["on"] = False

    assert failure.retry() is True

    assert failure.resolution == "Not run: the order is refunded."
    assert not Category.objects.filter(name=f"Fulfilled {order.reference}").exists()
