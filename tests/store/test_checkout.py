from decimal import Decimal

import pytest
from django.core import mail
from payments import PaymentStatus

from store import signals
from store.models import Order, OrderLine, Payment, Product
from tests.factories import StaffFactory, UserFactory

from .factories import ProductFactory, order_for
from .helpers import h1s, messages, text

pytestmark = pytest.mark.django_db

BILLING = {
    "name": "Ana Reader",
    "email": "ana@example.org",
    "address_line1": "1 Library Lane",
    "address_line2": "",
    "city": "Chicago",
    "region": "IL",
    "postal_code": "60601",
    "country": "United States",
}
CONFIRM = {"status": "confirmed", "fraud_status": "accept", "gateway_response": "3ds-disabled"}


def fill_cart(client, *items):
    for product, quantity in items:
        response = client.post("/store/cart/add/", {"product": product.pk, "quantity": quantity})
        assert response.status_code == 302, response.content


def check_out(client, follow=False, **changes):
    return client.post("/store/checkout/", {**BILLING, **changes}, follow=follow)


def pay(client, order, data=CONFIRM):
    return client.post(order.get_pay_link(), data)


@pytest.fixture
def received():
    """Signals the store sent, as (signal name, order reference)."""
    seen = []

    def receiver(signal_name):
        def handler(sender, order, **kwargs):
            assert sender is Order
            seen.append((signal_name, order.reference))

        return handler

    handlers = {name: receiver(name) for name in ("paid", "failed", "refunded")}
    signals.order_paid.connect(handlers["paid"])
    signals.order_payment_failed.connect(handlers["failed"])
    signals.order_refunded.connect(handlers["refunded"])
    yield seen
    signals.order_paid.disconnect(handlers["paid"])
    signals.order_payment_failed.disconnect(handlers["failed"])
    signals.order_refunded.disconnect(handlers["refunded"])


def test_checkout_page_shows_the_order_and_a_labelled_form(client):
    poster = ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"))
    fill_cart(client, (poster, 2))
    response = client.get("/store/checkout/")
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    page = text(response)
    assert "READ Your Way Poster" in page
    assert "Total $36.00" in page
    html = response.content.decode()
    for field in ["name", "email", "address_line1", "city", "postal_code", "country"]:
        assert f'for="id_{field}"' in html
    assert "Leave this empty" in html


def test_empty_cart_cannot_check_out(client):
    response = client.get("/store/checkout/", follow=True)
    assert response.redirect_chain[-1][0] == "/store/cart/"
    assert "Your cart is empty: add something before you check out." in messages(response)


def test_checkout_creates_an_order_with_frozen_prices(client):
    poster = ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"), stock=5)
    book = ProductFactory(title="Serving the Underserved", price=Decimal("64.99"), stock=None)
    fill_cart(client, (poster, 2), (book, 1))
    response = check_out(client, price="0.01", total="0.01")
    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == order.get_pay_link()
    assert order.reference.startswith("ALA-") and len(order.reference) == 10
    assert order.status == Order.Status.PENDING
    assert order.total == Decimal("100.99")
    assert order.user is None
    assert (order.name, order.email, order.city) == ("Ana Reader", "ana@example.org", "Chicago")
    lines = {line.description: (line.unit_price, line.quantity) for line in order.lines.all()}
    assert lines == {"READ Your Way Poster": (Decimal("18.00"), 2), "Serving the Underserved": (Decimal("64.99"), 1)}
    assert order.payments.get().total == Decimal("100.99")
    assert client.session.get("store.cart") == {}
    # Later price and title changes never alter the order.
    Product.objects.filter(pk=poster.pk).update(price=Decimal("99.00"), title="Renamed")
    line = order.lines.get(product=poster)
    assert (line.description, line.unit_price) == ("READ Your Way Poster", Decimal("18.00"))
    # Stock is only taken when the order is paid.
    poster.refresh_from_db()
    assert poster.stock == 5


def test_checkout_prefills_and_links_a_signed_in_user(client):
    user = UserFactory(first_name="Ana", last_name="Reader", email="ana@example.org")
    client.force_login(user)
    fill_cart(client, (ProductFactory(), 1))
    html = client.get("/store/checkout/").content.decode()
    assert 'value="Ana Reader"' in html
    assert 'value="ana@example.org"' in html
    check_out(client)
    assert Order.objects.get().user == user


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": ""}, "name", "Enter your name."),
        ({"email": "not-an-email"}, "email", "Enter an email address like name@example.org."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"address_line1": "   "}, "address_line1", "Enter the street address for billing."),
        ({"postal_code": ""}, "postal_code", "Enter the ZIP or postal code."),
        ({"name": "x" * 500}, "name", "Ensure this value has at most 150 characters"),
    ],
)
def test_checkout_validation_is_shown_next_to_the_field_and_saves_nothing(client, changes, field, message):
    fill_cart(client, (ProductFactory(), 1))
    response = check_out(client, **changes)
    assert response.status_code == 400
    assert message in response.context["form"].errors[field][0]
    assert message in text(response)
    assert Order.objects.count() == 0
    assert client.session["store.cart"]  # the cart is kept


def test_checkout_honeypot(client):
    fill_cart(client, (ProductFactory(), 1))
    response = check_out(client, website="I am a bot")
    assert response.status_code == 400
    assert "leave the last field empty" in text(response)
    assert Order.objects.count() == 0


def test_checkout_stops_when_stock_ran_out_since_adding(client):
    poster = ProductFactory(title="Last poster", stock=2)
    fill_cart(client, (poster, 2))
    Product.objects.filter(pk=poster.pk).update(stock=1)
    response = check_out(client, follow=True)
    assert response.redirect_chain[-1][0] == "/store/cart/"
    assert "Only 1 of “Last poster” left in stock. Please check your cart." in messages(response)
    assert Order.objects.count() == 0


def test_checkout_is_rate_limited(client):
    fill_cart(client, (ProductFactory(), 1))
    statuses = [check_out(client, email="bad").status_code for _ in range(12)]
    assert statuses[:10] == [400] * 10
    assert statuses[-1] == 429


def test_paying_with_the_dummy_provider_marks_the_order_paid(client, received, django_capture_on_commit_callbacks):
    poster = ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"), stock=5)
    fill_cart(client, (poster, 2))
    check_out(client)
    order = Order.objects.get()
    page = client.get(order.get_pay_link())
    assert page.status_code == 200
    assert "Pay for order" in text(page)
    assert "Status" in text(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = pay(client, order)
    assert response.status_code == 302
    assert response["Location"].endswith(order.get_link())
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payment_method == Order.Method.ONLINE
    assert order.paid_at is not None
    poster.refresh_from_db()
    assert poster.stock == 3
    assert received == [("paid", order.reference)]
    assert len(mail.outbox) == 1
    receipt = mail.outbox[0]
    assert receipt.to == ["ana@example.org"]
    assert order.reference in receipt.subject
    assert "READ Your Way Poster: 2 × $18.00 = $36.00" in receipt.body
    assert order.get_link() in receipt.body
    follow = client.get(response["Location"])
    assert "Paid" in text(follow)
    thanks = f"Thank you! Order {order.reference} is paid. A receipt is on its way to ana@example.org."
    assert thanks in messages(follow)


def test_a_repeated_payment_callback_changes_nothing(received, django_capture_on_commit_callbacks):
    poster = ProductFactory(stock=5)
    order = order_for(poster, quantity=2)
    payment = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)
    with django_capture_on_commit_callbacks(execute=True):
        payment.change_status(PaymentStatus.CONFIRMED)
        payment.change_status(PaymentStatus.CONFIRMED)
        Order.objects.get(pk=order.pk).mark_paid()
        payment.change_status(PaymentStatus.REJECTED)  # a late failure never downgrades a paid order
    order.refresh_from_db()
    poster.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert poster.stock == 3
    assert received == [("paid", order.reference)]
    assert len(mail.outbox) == 1
    assert order.send_receipt() is False
    assert len(mail.outbox) == 1


def test_declined_payment_fails_the_order_and_it_can_be_retried(client, received, django_capture_on_commit_callbacks):
    poster = ProductFactory(stock=5)
    fill_cart(client, (poster, 1))
    check_out(client)
    order = Order.objects.get()
    response = pay(client, order, {**CONFIRM, "status": "rejected"})
    assert response["Location"].endswith(order.get_link())
    order.refresh_from_db()
    assert order.status == Order.Status.FAILED
    assert received == [("failed", order.reference)]
    page = text(client.get(order.get_link()))
    assert "Your payment was not accepted. You can try again." in page
    assert "Pay $18.00 now" in page
    with django_capture_on_commit_callbacks(execute=True):
        pay(client, order)  # a new payment attempt
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.payments.count() == 2
    assert received[-1] == ("paid", order.reference)
    assert len(mail.outbox) == 1


def test_item_sold_out_before_payment_fails_the_order_without_overselling(received):
    poster = ProductFactory(title="Last poster", stock=1)
    first, second = order_for(poster), order_for(poster)
    assert first.mark_paid() is True
    assert second.mark_paid() is False
    second.refresh_from_db()
    poster.refresh_from_db()
    assert poster.stock == 0
    assert second.status == Order.Status.FAILED
    assert second.failure == Order.Failure.STOCK
    assert "“Last poster” is sold out." in second.status_message
    assert received == [("paid", first.reference), ("failed", second.reference)]
    assert second.mark_paid() is False  # the repeated callback does nothing more
    assert received[-1] == ("failed", second.reference) and len(received) == 2


def test_an_order_whose_item_sold_out_is_cancelled_before_the_buyer_is_charged(client, received):
    poster = ProductFactory(title="Last poster", stock=1)
    first, second = order_for(poster), order_for(poster)
    assert first.mark_paid() is True

    response = client.get(second.get_pay_link(), follow=True)

    second.refresh_from_db()
    assert second.status == Order.Status.CANCELLED
    assert not second.payments.exists()  # no payment was started, so nothing was charged
    assert "“Last poster” is sold out. The order is cancelled; nothing was charged." in messages(response)
    assert not second.is_refundable
    assert received == [("paid", first.reference)]


def test_paid_order_cannot_be_paid_again(client):
    order = order_for(ProductFactory())
    order.mark_paid()
    response = client.get(order.get_pay_link(), follow=True)
    assert f"Order {order.reference} is paid: there is nothing to pay." in messages(response)


def test_order_page_access(client):
    owner = UserFactory()
    stranger = UserFactory()
    owned = order_for(ProductFactory(title="READ Your Way Poster"), user=owner)
    guest = order_for(ProductFactory())

    assert client.get(owned.get_absolute_url()).status_code == 404
    client.force_login(owner)
    response = client.get(owned.get_absolute_url())
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    assert f"Order {owned.reference}" in text(response)
    assert "READ Your Way Poster" in text(response)
    assert client.get(guest.get_absolute_url()).status_code == 404

    client.force_login(stranger)
    assert client.get(owned.get_absolute_url()).status_code == 404
    assert client.get(owned.get_pay_link().replace(owned.access_token, "forged")).status_code == 404

    client.logout()
    assert client.get(guest.get_link()).status_code == 200
    assert client.get(guest.get_link().lower()).status_code == 404  # the token is case-sensitive
    assert client.get(f"{guest.get_absolute_url()}?token={owned.access_token}").status_code == 404
    assert client.get(f"{guest.get_absolute_url()}?token=").status_code == 404
    assert client.get("/store/orders/ALA-NOPE99/").status_code == 404


def test_refund_and_offline_payment(received, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    poster = ProductFactory(stock=4)
    order = order_for(poster, quantity=2)
    assert order.mark_refunded(by=staff) is False  # nothing paid yet
    with django_capture_on_commit_callbacks(execute=True):
        assert order.record_offline_payment(by=staff, note="Cheque 1234") is True
    assert (order.status, order.payment_method, order.handled_by) == (Order.Status.PAID, "offline", staff)
    assert "Cheque 1234" in order.staff_note
    assert len(mail.outbox) == 1
    assert order.mark_refunded(by=staff, restock=True) is True
    assert order.mark_refunded(by=staff) is False
    order.refresh_from_db()
    poster.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert poster.stock == 4
    assert received == [("paid", order.reference), ("refunded", order.reference)]


def test_refund_goes_back_through_the_payment_provider(client, received):
    order = order_for(ProductFactory())
    payment = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)
    payment.change_status(PaymentStatus.CONFIRMED)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert order.mark_refunded() is True
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.REFUNDED
    assert received == [("paid", order.reference), ("refunded", order.reference)]


def test_order_lines_are_constrained():
    from django.db import IntegrityError, transaction

    order = order_for(ProductFactory())
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.create(order=order, kind="donation", product=ProductFactory(), description="x", unit_price=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.create(order=order, kind="product", description="x", unit_price=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        OrderLine.objects.create(order=order, kind="donation", description="x", unit_price=1, quantity=0)


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("variant", ["dummy", "stripe", "nope"])
def test_payment_webhook_of_a_provider_without_one_is_a_404_not_a_500(client, method, variant):
    response = getattr(client, method)(f"/payments/process/{variant}/")
    assert response.status_code == 404
