"""The API other apps use to sell through the store (store/api.py), with a stand-in app's item."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from ala_site import urls as site_urls
from store.api import PayableLine, items_in, start_checkout
from store.models import Order, OrderLine
from store.signals import order_paid

from .helpers import messages, text
from .test_checkout import BILLING, CONFIRM

pytestmark = pytest.mark.django_db


def sell_view(request):
    """What a selling app's view does: make its pending item, then start the checkout."""
    seats = Group.objects.filter(name__startswith="Webinar seat").count()
    registration = Group.objects.create(name=f"Webinar seat {seats + 1}")
    line = PayableLine(
        kind="event_fee",
        description="Webinar: Recharging in Challenging Times",
        unit_price=Decimal(request.POST.get("price", "43.00")),
        item=registration,
    )
    return start_checkout(request, [line], success_url="/thank-you/")


def thank_you(request):
    return HttpResponse("Thank you page")


# The stand-in app's views, next to the site's real URLs.
urlpatterns = [path("sell/", sell_view), path("thank-you/", thank_you), *site_urls.urlpatterns]


@pytest.fixture
def selling_app(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def paid_orders():
    seen = []

    def receiver(sender, order, **kwargs):
        # What a selling app's receiver does: find its items in the order and fulfil them.
        seen.append((order.reference, [group.name for group in items_in(order, Group)]))

    order_paid.connect(receiver)
    yield seen
    order_paid.disconnect(receiver)


def test_start_checkout_with_a_non_product_line(client, selling_app, paid_orders, django_capture_on_commit_callbacks):
    response = client.post("/sell/")
    assert response.status_code == 302
    checkout_url = response["Location"]
    assert checkout_url.startswith("/store/checkout/?pending=")

    page = client.get(checkout_url)
    assert page.status_code == 200
    assert "Webinar: Recharging in Challenging Times" in text(page)
    assert "Total $43.00" in text(page)

    response = client.post(checkout_url, {**BILLING, "unit_price": "0.01"})
    order = Order.objects.get()
    assert response["Location"] == order.get_pay_link()
    [line] = order.lines.all()
    assert (line.kind, line.unit_price, line.quantity, line.product) == ("event_fee", Decimal("43.00"), 1, None)
    assert line.item == Group.objects.get(name="Webinar seat 1")
    assert order.total == Decimal("43.00")
    assert order.success_url == "/thank-you/"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(order.get_pay_link(), CONFIRM)
    assert response["Location"].endswith("/thank-you/")
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert paid_orders == [(order.reference, ["Webinar seat 1"])]
    assert len(mail.outbox) == 1
    assert "Webinar: Recharging in Challenging Times: 1 × $43.00 = $43.00" in mail.outbox[0].body

    # The pending checkout is used up: going back does not make a second order.
    response = client.get(checkout_url, follow=True)
    assert "That checkout has expired or was already completed. Please start again." in messages(response)
    assert Order.objects.count() == 1


def test_direct_checkout_leaves_the_cart_alone(client, selling_app):
    from .factories import ProductFactory

    poster = ProductFactory()
    client.post("/store/cart/add/", {"product": poster.pk, "quantity": 1})
    checkout_url = client.post("/sell/")["Location"]
    client.post(checkout_url, BILLING)
    assert client.session["store.cart"] == {str(poster.pk): 1}
    assert OrderLine.objects.get().kind == "event_fee"


@pytest.mark.parametrize("key", ["nope", "", "x" * 500])
def test_unknown_pending_checkout(client, key):
    response = client.get(f"/store/checkout/?pending={key}", follow=True)
    assert response.status_code == 200


def test_item_deleted_before_checkout(client, selling_app):
    checkout_url = client.post("/sell/")["Location"]
    Group.objects.all().delete()
    response = client.post(checkout_url, BILLING, follow=True)
    assert "is no longer available. Please start again." in " ".join(messages(response))
    assert Order.objects.count() == 0


@pytest.mark.parametrize(
    "line, error",
    [
        (PayableLine(kind="product", description="x", unit_price=Decimal("1")), "products go through the cart"),
        (PayableLine(kind="bitcoin", description="x", unit_price=Decimal("1")), "kind must be one of"),
        (PayableLine(kind="donation", description="  ", unit_price=Decimal("1")), "description"),
        (PayableLine(kind="donation", description="Gift", unit_price=Decimal("-5")), "out of range"),
        (PayableLine(kind="donation", description="Gift", unit_price="lots"), "must be a Decimal"),
        (PayableLine(kind="donation", description="Gift", unit_price=Decimal("NaN")), "out of range"),
        (PayableLine(kind="donation", description="Gift", unit_price=Decimal("1e12")), "out of range"),
        (PayableLine(kind="donation", description="Gift", unit_price=Decimal("0")), "total is zero"),
        (PayableLine(kind="donation", description="Gift", unit_price=Decimal("5"), quantity=0), "quantity"),
        (PayableLine(kind="donation", description="Gift", unit_price=Decimal("5"), item=Group()), "saved model"),
    ],
)
def test_start_checkout_refuses_lines_that_cannot_be_sold(line, error):
    request = RequestFactory().get("/")
    request.session = {}
    with pytest.raises(ValueError, match=error):
        start_checkout(request, [line])


@pytest.mark.parametrize("url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_start_checkout_refuses_offsite_success_urls(url):
    request = RequestFactory().get("/")
    request.session = {}
    line = PayableLine(kind="donation", description="Gift", unit_price=Decimal("5"))
    with pytest.raises(ValueError, match="success_url"):
        start_checkout(request, [line], success_url=url)


def test_items_in_finds_only_that_models_items():
    from .factories import ProductFactory, order_for

    order = order_for(ProductFactory())
    group = Group.objects.create(name="Seat")
    OrderLine.objects.create(order=order, kind="event_fee", description="Seat", unit_price=5, item=group)
    assert items_in(order, Group) == [group]
    assert items_in(order_for(ProductFactory()), Group) == []
