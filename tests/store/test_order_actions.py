"""Money actions on the order page: each asks first (amount, effects, a reason), does it in one
transaction, and leaves a record in the order's history and Django's admin log."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections
from payments import PaymentError, PaymentStatus
from payments.dummy import DummyProvider

from membership.models import MembershipTerm
from store import signals
from store.models import Order, OrderEvent, OrderLine, Payment, Product
from tests.concurrency import run_at_once
from tests.factories import StaffFactory, UserFactory
from tests.membership.factories import MembershipFactory

from .factories import ProductFactory, order_for
from .helpers import messages, text
from .test_concurrency import sqlite_file  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_staff(client):
    user = StaffFactory(first_name="Sam", last_name="Clerk", email="sam@ala.test")
    user.groups.add(Group.objects.get(name="Store staff"))
    client.force_login(user)
    return user


@pytest.fixture
def viewer(client):
    user = StaffFactory(email="viewer@ala.test")
    user.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(user)
    return user


def change_url(order):
    return f"/admin/store/order/{order.pk}/change/"


def action_url(order, name):
    return f"/admin/store/order/{order.pk}/{name}/"


def paid_order(title="Freedom to Read poster", stock=5, quantity=2):
    """An order paid online through the dummy provider (its confirmation callback), and its product."""
    poster = ProductFactory(title=title, stock=stock, price=Decimal("18.00"))
    order = order_for(poster, quantity=quantity)
    payment = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)
    payment.change_status(PaymentStatus.CONFIRMED)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order, poster


def kinds(order):
    return list(order.events.values_list("kind", flat=True))


# The order page ------------------------------------------------------------------------------


def test_a_paid_order_offers_refunds_and_a_pending_one_an_offline_payment(client, store_staff):
    paid, _ = paid_order()
    pending = order_for(ProductFactory())

    html = client.get(change_url(paid)).content.decode()
    assert f'<a href="{action_url(paid, "refund")}">Refund</a>' in html
    assert f'<a href="{action_url(paid, "refund-and-restock")}">Refund and restock</a>' in html
    assert action_url(paid, "record-offline-payment") not in html

    html = client.get(change_url(pending)).content.decode()
    assert f'<a href="{action_url(pending, "record-offline-payment")}">Record offline payment</a>' in html
    assert action_url(pending, "refund") not in html


def test_view_on_site_opens_the_order_page_with_its_signed_link(client, store_staff):
    order, _ = paid_order()
    html = client.get(change_url(order)).content.decode()
    assert f'href="{order.get_link()}"' in html
    assert order.reference in text(client.get(order.get_link()))


def test_the_history_shows_each_step_of_an_order(client, store_staff, run_on_commit):
    order, poster = paid_order()
    failed = order_for(ProductFactory())
    failed.mark_failed()
    sold_out = order_for(ProductFactory(stock=0))
    sold_out.cancel_if_sold_out()

    assert kinds(order) == [OrderEvent.Kind.CREATED, OrderEvent.Kind.PAID]
    assert order.events.get(kind=OrderEvent.Kind.PAID).amount == Decimal("36.00")
    assert kinds(failed) == [OrderEvent.Kind.CREATED, OrderEvent.Kind.FAILED]
    assert kinds(sold_out) == [OrderEvent.Kind.CREATED, OrderEvent.Kind.CANCELLED]
    assert "sold out" in sold_out.events.last().detail

    page = text(client.get(change_url(order)))
    assert "Order history" in page
    assert "Created $36.00 Guest checkout" in page
    assert "Paid online $36.00 Payment provider" in page


# Refund from the order page ------------------------------------------------------------------


def test_refund_and_restock_asks_with_the_amount_and_effects_then_records_who_why_and_how_much(client, store_staff):
    order, poster = paid_order()
    unlimited = ProductFactory(title="Print on demand", stock=None)
    OrderLine.objects.create(
        order=order, kind="product", product=unlimited, description=unlimited.title, unit_price=1, quantity=1
    )
    assert Product.objects.get(pk=poster.pk).stock == 3

    asked = client.get(action_url(order, "refund-and-restock"))

    assert asked.status_code == 200
    page = text(asked)
    assert f"Refund and put the items back in stock: order {order.reference}" in page
    assert "Amount $36.00 USD" in page
    assert "$36.00 goes back to the buyer through dummy" in page
    assert "2 × “Freedom to Read poster” go back in stock (3 now, 5 after)." in page
    assert "“Print on demand” took nothing from stock: nothing goes back." in page
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID  # asking changes nothing

    response = client.post(action_url(order, "refund-and-restock"), {"reason": "Posters arrived torn"}, follow=True)

    assert response.redirect_chain[-1][0] == change_url(order)
    assert f"Refunded {order.reference} ($36.00) and put its items back in stock." in messages(response)
    order.refresh_from_db()
    assert (order.status, order.handled_by) == (Order.Status.REFUNDED, store_staff)
    assert Product.objects.get(pk=poster.pk).stock == 5
    event = order.events.get(kind=OrderEvent.Kind.REFUNDED)
    assert (event.by, event.reason, event.amount) == (store_staff, "Posters arrived torn", Decimal("36.00"))
    assert "Back in stock: 2 × “Freedom to Read poster”." in event.detail
    log = LogEntry.objects.get(object_id=str(order.pk))
    assert log.user == store_staff
    assert "Refunded $36.00." in log.get_change_message()
    assert "Reason: Posters arrived torn" in log.get_change_message()
    page = text(response)
    assert "Refunded $36.00 Sam Clerk (sam@ala.test) Posters arrived torn" in page
    assert "Refund and restock" not in page  # nothing left to refund


def test_a_refund_without_restock_leaves_the_stock_and_says_so(client, store_staff):
    order, poster = paid_order()
    assert "2 × “Freedom to Read poster” stay out of stock." in text(client.get(action_url(order, "refund")))
    client.post(action_url(order, "refund"), {"reason": "Changed their mind"})
    assert Order.objects.get(pk=order.pk).status == Order.Status.REFUNDED
    assert Product.objects.get(pk=poster.pk).stock == 3


def test_the_confirmation_lists_what_the_selling_apps_undo(client, store_staff):
    membership = MembershipFactory(user__first_name="Ana", user__last_name="Reader")
    term = membership.terms.get()
    order = order_for(ProductFactory())
    OrderLine.objects.create(
        order=order,
        kind="dues",
        description="Individual dues",
        unit_price=term.dues,
        content_type=ContentType.objects.get_for_model(MembershipTerm),
        object_id=term.pk,
    )
    order.mark_paid()

    page = text(client.get(action_url(order, "refund")))

    year = f"{term.starts_on:%b %-d, %Y} – {term.ends_on:%b %-d, %Y}"
    assert f"The membership year {year} of Ana Reader is withdrawn" in page
    client.post(action_url(order, "refund"), {"reason": "Joined twice by mistake"})
    assert MembershipTerm.objects.get(pk=term.pk).status == MembershipTerm.Status.REFUNDED


def test_an_app_that_cannot_describe_its_effects_does_not_break_the_page(client, store_staff):
    def broken(sender, order, **kwargs):
        raise RuntimeError("down")

    signals.describe_refund.connect(broken, dispatch_uid="test.broken")
    try:
        order, _ = paid_order()
        response = client.get(action_url(order, "refund"))
    finally:
        signals.describe_refund.disconnect(dispatch_uid="test.broken")
    assert response.status_code == 200
    assert "One of the site's apps could not say what this refund undoes in it" in text(response)


# Offline payment -----------------------------------------------------------------------------


def test_an_offline_payment_asks_method_reference_and_reason_and_closes_the_online_attempt(
    client, store_staff, run_on_commit
):
    poster = ProductFactory(stock=5)
    order = order_for(poster, quantity=2)
    attempt = Payment.objects.create(
        order=order, variant="dummy", currency="USD", total=order.total, status=PaymentStatus.INPUT
    )

    page = text(client.get(action_url(order, "record-offline-payment")))
    assert "Record an offline payment: order" in page
    assert "2 × “" in page and "are taken from stock (5 now)." in page
    assert "1 unfinished online payment is cancelled, so the buyer cannot pay twice." in page

    with run_on_commit():
        response = client.post(
            action_url(order, "record-offline-payment"),
            {"method": "cheque", "reference": "1042", "reason": "Cheque arrived by post"},
            follow=True,
        )

    assert f"Recorded the payment of {order.reference} ($36.00, Cheque, ref. 1042)." in messages(response)
    order.refresh_from_db()
    assert (order.status, order.payment_method, order.offline_method, order.payment_reference) == (
        Order.Status.PAID,
        Order.Method.OFFLINE,
        Order.OfflineMethod.CHEQUE,
        "1042",
    )
    assert Payment.objects.get(pk=attempt.pk).status == PaymentStatus.CANCELLED
    event = order.events.get(kind=OrderEvent.Kind.OFFLINE_PAYMENT)
    assert (event.by, event.reason, event.amount, event.detail) == (
        store_staff,
        "Cheque arrived by post",
        Decimal("36.00"),
        "Cheque, ref. 1042",
    )
    assert Product.objects.get(pk=poster.pk).stock == 3
    assert "Cheque arrived by post" in LogEntry.objects.get(object_id=str(order.pk)).get_change_message()


def test_refunding_an_offline_payment_says_staff_return_the_money(client, store_staff):
    order = order_for(ProductFactory())
    order.record_offline_payment(by=store_staff, method="cash", reason="Paid at the conference booth")
    assert "paid offline (Cash) is not sent back by the site: return it to the buyer yourself." in text(
        client.get(action_url(order, "refund"))
    )


# Bad input -----------------------------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_reason_is_required_and_nothing_happens_without_one(client, store_staff, reason):
    order, poster = paid_order()

    response = client.post(action_url(order, "refund-and-restock"), {"reason": reason})

    assert response.status_code == 200
    assert "Give a reason: it is kept in the order's history." in text(response)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Product.objects.get(pk=poster.pk).stock == 3
    assert OrderEvent.Kind.REFUNDED not in kinds(order)
    assert not LogEntry.objects.exists()


def test_an_offline_payment_needs_a_known_method(client, store_staff):
    order = order_for(ProductFactory())
    response = client.post(action_url(order, "record-offline-payment"), {"method": "bitcoin", "reason": "Paid"})
    assert response.status_code == 200
    assert "Select a valid choice" in text(response)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PENDING


def test_refunding_twice_says_so_and_records_one_refund(client, store_staff):
    order, poster = paid_order()
    client.post(action_url(order, "refund-and-restock"), {"reason": "Returned"})

    for method in (client.get, client.post):
        response = method(action_url(order, "refund-and-restock"), {"reason": "Returned again"}, follow=True)
        assert response.redirect_chain[-1][0] == change_url(order)
        assert any(
            f"Order {order.reference} was refunded already" in message and "nothing to refund" in message
            for message in messages(response)
        )

    assert kinds(order).count(OrderEvent.Kind.REFUNDED) == 1
    assert Product.objects.get(pk=poster.pk).stock == 5  # put back once
    assert LogEntry.objects.count() == 1


def test_an_unpaid_order_cannot_be_refunded(client, store_staff):
    order = order_for(ProductFactory())
    response = client.post(action_url(order, "refund"), {"reason": "Why not"}, follow=True)
    assert (
        f"Order {order.reference} is awaiting payment: no money was taken for it, so there is nothing to refund."
        in messages(response)
    )
    order.refresh_from_db()
    assert order.status == Order.Status.PENDING
    assert kinds(order) == [OrderEvent.Kind.CREATED]


@pytest.mark.parametrize(
    "status, message",
    [
        (Order.Status.CANCELLED, "is cancelled: a payment cannot be recorded on it."),
        (Order.Status.PAID, "is paid already"),
        (Order.Status.REFUNDED, "was refunded: a payment cannot be recorded on it."),
    ],
)
def test_an_offline_payment_on_an_order_that_cannot_take_one_is_refused(client, store_staff, status, message):
    order = order_for(ProductFactory(), status=status)
    data = {"method": "cheque", "reference": "1", "reason": "Paid"}
    for method in (client.get, client.post):
        response = method(action_url(order, "record-offline-payment"), data, follow=True)
        assert any(message in shown for shown in messages(response)), messages(response)
    order.refresh_from_db()
    assert (order.status, order.payment_method) == (status, "")
    assert kinds(order) == [OrderEvent.Kind.CREATED]


def test_an_offline_payment_for_a_sold_out_item_changes_nothing(client, store_staff):
    poster = ProductFactory(title="Last signed copy", stock=1)
    order = order_for(poster, quantity=1)
    order_for(poster, quantity=1).mark_paid()  # someone else bought it

    asked = client.get(action_url(order, "record-offline-payment"))
    assert "“Last signed copy” is sold out." in text(asked)
    assert 'value="Record the payment"' not in asked.content.decode()

    response = client.post(
        action_url(order, "record-offline-payment"), {"method": "cheque", "reason": "Paid"}, follow=True
    )
    assert any("not recorded, nothing was changed" in message for message in messages(response))
    order.refresh_from_db()
    assert (order.status, order.failure) == (Order.Status.PENDING, "")
    assert kinds(order) == [OrderEvent.Kind.CREATED]


def test_a_provider_that_refuses_the_refund_leaves_everything_as_it_was(client, store_staff, monkeypatch):
    order, poster = paid_order()

    def refuse(self, payment, amount=None):
        raise PaymentError("Card issuer unavailable")

    monkeypatch.setattr(DummyProvider, "refund", refuse)
    response = client.post(action_url(order, "refund-and-restock"), {"reason": "Returned"}, follow=True)

    assert any("the payment provider refused (Card issuer unavailable)" in m for m in messages(response))
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Product.objects.get(pk=poster.pk).stock == 3
    assert Payment.objects.get(order=order).settlement == Payment.Settlement.PAID_ORDER
    assert OrderEvent.Kind.REFUNDED not in kinds(order)
    assert not LogEntry.objects.exists()


def test_staff_who_may_only_view_orders_see_the_history_but_no_money_buttons(client, viewer):
    order, poster = paid_order()
    page = client.get(change_url(order))
    assert page.status_code == 200
    assert "Order history" in text(page)
    assert "Refund and restock" not in text(page)

    for name in ("refund", "refund-and-restock", "record-offline-payment"):
        assert client.get(action_url(order, name)).status_code == 403
        assert client.post(action_url(order, name), {"reason": "x", "method": "cash"}).status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert Product.objects.get(pk=poster.pk).stock == 3


def test_an_unknown_order_redirects_with_a_message(client, store_staff):
    response = client.get("/admin/store/order/999999/refund/", follow=True)
    assert response.status_code == 200
    assert any("doesn’t exist" in message for message in messages(response))


# Bulk actions --------------------------------------------------------------------------------


def test_bulk_refund_confirms_every_order_with_one_reason_and_records_each(client, store_staff):
    first, _ = paid_order("First poster")
    second, _ = paid_order("Second poster")
    unpaid = order_for(ProductFactory())
    selected = {"action": "refund_and_restock", "_selected_action": [first.pk, second.pk, unpaid.pk]}

    asked = client.post("/admin/store/order/", selected)
    page = text(asked)
    assert "Refund and put the items back in stock: 2 orders" in page
    assert first.reference in page and second.reference in page
    assert f"Order {unpaid.reference} is awaiting payment" in page  # left alone, and said so

    no_reason = client.post("/admin/store/order/", {**selected, "confirm": "yes", "reason": ""})
    assert "Give a reason" in text(no_reason)
    assert Order.objects.filter(status=Order.Status.REFUNDED).count() == 0

    confirmed = {**selected, "confirm": "yes", "reason": "Event cancelled"}
    response = client.post("/admin/store/order/", confirmed, follow=True)
    assert any(first.reference in m and second.reference in m for m in messages(response))
    for order in (first, second):
        event = order.events.get(kind=OrderEvent.Kind.REFUNDED)
        assert (event.by, event.reason) == (store_staff, "Event cancelled")
        assert "Event cancelled" in LogEntry.objects.get(object_id=str(order.pk)).get_change_message()
    assert Order.objects.get(pk=unpaid.pk).status == Order.Status.PENDING


def test_refunding_a_stray_payment_needs_a_reason_and_is_in_the_order_history(client, store_staff):
    order, _ = paid_order()
    stray = Payment.objects.create(
        order=order, variant="dummy", currency="USD", total=order.total, captured_amount=order.total
    )
    stray.change_status(PaymentStatus.CONFIRMED)  # paid twice: flagged "refund due"
    action = {"action": "refund_payments", "_selected_action": [stray.pk], "confirm": "yes"}

    assert "Give a reason" in text(client.post("/admin/store/payment/", action))
    assert Payment.objects.get(pk=stray.pk).status == PaymentStatus.CONFIRMED

    client.post("/admin/store/payment/", {**action, "reason": "Paid twice in two tabs"})
    assert Payment.objects.get(pk=stray.pk).status == PaymentStatus.REFUNDED
    event = order.events.get(kind=OrderEvent.Kind.PAYMENT_REFUNDED)
    assert (event.by, event.reason, event.amount) == (store_staff, "Paid twice in two tabs", Decimal("36.00"))
    assert OrderEvent.Kind.REFUND_DUE in kinds(order)
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID


def test_orders_made_before_the_history_get_the_events_their_dates_tell():
    order, _ = paid_order()
    order.mark_refunded(reason="Old")
    cancelled = order_for(ProductFactory(), status=Order.Status.CANCELLED, status_message="Sold out.")
    OrderEvent.objects.all().delete()

    importlib.import_module("store.migrations.0008_backfill_order_history").backfill(apps, None)

    assert kinds(order) == ["created", "paid", "refunded"]
    assert kinds(cancelled) == ["created", "cancelled"]
    assert "Sold out." in cancelled.events.last().detail


# Two staff refund the same order at once ------------------------------------------------------


def refund_race(order_pk, use_connection=None):
    """Two staff members refund the same order at the same moment; returns (results, errors)."""
    staff = [UserFactory(is_staff=True).pk for _ in range(2)]
    ready = use_connection() if use_connection else None
    results = []

    def own_copies(user_pk):
        if ready:
            connections["default"] = ready()
        return Order.objects.get(pk=order_pk), get_user_model().objects.get(pk=user_pk)

    def refund(ready):
        order, user = ready
        results.append(order.mark_refunded(by=user, restock=True, reason="Returned"))

    errors = run_at_once(refund, staff, prepare=own_copies)
    return sorted(results), errors


def check_refunded_once(order_pk, poster_pk):
    assert OrderEvent.objects.filter(order_id=order_pk, kind=OrderEvent.Kind.REFUNDED).count() == 1
    assert Product.objects.get(pk=poster_pk).stock == 5
    assert Order.objects.get(pk=order_pk).status == Order.Status.REFUNDED


@pytest.mark.django_db(transaction=True)
def test_two_staff_refunding_at_once_refund_once_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL: run with DATABASE_URL=postgres://...")
    order, poster = paid_order()

    results, errors = refund_race(order.pk)

    assert errors == []
    assert results == [False, True]
    check_refunded_once(order.pk, poster.pk)


@pytest.mark.django_db(transaction=True)
def test_two_staff_refunding_at_once_refund_once_on_sqlite(sqlite_file):  # noqa: F811
    copy, connect = sqlite_file
    order, poster = paid_order()

    results, errors = refund_race(order.pk, use_connection=copy)

    assert errors == []
    assert results == [False, True]
    mine = connections["default"]
    connections["default"] = connect()
    try:
        check_refunded_once(order.pk, poster.pk)
    finally:
        connections["default"].close()
        connections["default"] = mine


def test_the_order_page_names_people_without_links_store_staff_cannot_open(client, store_staff):
    buyer = UserFactory(first_name="Ana", last_name="Reader", email="ana@example.org")
    order = order_for(ProductFactory(), user=buyer)
    order.record_offline_payment(by=store_staff, method="transfer", reference="INV-7", reason="Invoice paid")

    response = client.get(change_url(order))

    html = response.content.decode()
    assert "Ana Reader (ana@example.org)" in text(response)
    assert "Sam Clerk (sam@ala.test)" in text(response)
    assert "Invoice / bank transfer" in text(response) and "INV-7" in text(response)
    user_admin = f"/admin/{buyer._meta.app_label}/{buyer._meta.model_name}/"
    assert user_admin not in html
    assert client.get(f"{user_admin}{buyer.pk}/change/").status_code == 403  # why there is no link
