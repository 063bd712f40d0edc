"""A selling app passes the buyer's name and email it already has, so the checkout does not ask again
(WCAG 3.3.7, Redundant Entry); and once paid the buyer lands on the app's own page, which says what
they bought, without the store calling it an "order" over it."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path

from ala_site import urls as site_urls
from store.api import PayableLine, start_checkout
from store.models import Order
from tests.factories import UserFactory
from tests.html_utils import form_fields

from .helpers import messages
from .test_checkout import BILLING, CONFIRM

pytestmark = pytest.mark.django_db


def sell_view(request):
    seat = Group.objects.create(name=f"Seat {Group.objects.count() + 1}")
    line = PayableLine(kind="event_fee", description="Webinar seat", unit_price=Decimal("43.00"), item=seat)
    buyer = {"name": request.POST.get("name", ""), "email": request.POST.get("email", "")}
    return start_checkout(request, [line], success_url="/thank-you/", buyer=buyer)


def thank_you(request):
    return HttpResponse("Your seat is booked")


urlpatterns = [path("sell/", sell_view), path("thank-you/", thank_you), *site_urls.urlpatterns]


@pytest.fixture
def selling_app(settings):
    settings.ROOT_URLCONF = __name__


def field_value(response, name):
    [field] = form_fields(response.content, name)
    return field.get("value", "")


def test_the_checkout_starts_with_the_name_and_email_the_buyer_gave_the_app(client, selling_app):
    checkout_url = client.post("/sell/", {"name": "Pat Donor", "email": "pat@example.org"})["Location"]

    page = client.get(checkout_url)

    assert field_value(page, "name") == "Pat Donor"
    assert field_value(page, "email") == "pat@example.org"
    # What the buyer types still wins.
    client.post(checkout_url, {**BILLING, "name": "Patricia Donor"})
    assert Order.objects.get().name == "Patricia Donor"


def test_the_apps_buyer_wins_over_the_account_and_a_blank_one_falls_back_to_it(client, selling_app):
    client.force_login(UserFactory(first_name="Ana", last_name="Silva", email="ana@example.org"))

    page = client.get(client.post("/sell/", {"name": "Dr. Ana Silva", "email": "ana.work@example.org"})["Location"])
    assert (field_value(page, "name"), field_value(page, "email")) == ("Dr. Ana Silva", "ana.work@example.org")

    page = client.get(client.post("/sell/", {"name": "", "email": ""})["Location"])
    assert (field_value(page, "name"), field_value(page, "email")) == ("Ana Silva", "ana@example.org")


@pytest.mark.parametrize(
    "buyer, error",
    [
        ("pat@example.org", "buyer"),
        ({"name": 5, "email": "pat@example.org"}, "buyer"),
        ({"name": "Pat", "email": "pat@example.org", "address": "1 Main St"}, "buyer"),
        ({"name": "x" * 151, "email": "pat@example.org"}, "buyer"),
    ],
)
def test_start_checkout_refuses_a_malformed_buyer(buyer, error):
    request = RequestFactory().get("/")
    request.session = {}
    line = PayableLine(kind="donation", description="Gift", unit_price=Decimal("5"))
    with pytest.raises(ValueError, match=error):
        start_checkout(request, [line], buyer=buyer)


def test_paid_the_buyer_lands_on_the_apps_page_without_the_stores_order_message(
    client, selling_app, django_capture_on_commit_callbacks
):
    checkout_url = client.post("/sell/", {"name": "Pat Donor", "email": "pat@example.org"})["Location"]
    client.post(checkout_url, BILLING)
    order = Order.objects.get()
    client.get(order.get_pay_link())

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(order.get_pay_link(), CONFIRM, follow=True)

    assert response.redirect_chain[-1][0].endswith("/thank-you/")
    assert response.content.decode() == "Your seat is booked"
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    # The store's flash would show on the app's next page, calling the seat an "order".
    follow_up = client.get("/store/")
    assert not [message for message in messages(follow_up) if "Order" in message]
