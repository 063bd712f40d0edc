"""A person's journey: sign in from an event page → register for a paid event → the store's
checkout (name and email carried over) → approve the payment → back on the event page, registered,
and the registration listed in their account. Axe clean on the pages they meet."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from events.models import Registration
from tests.events.factories import EventFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-42"  # tests.factories.UserFactory's


@pytest.fixture
def console_errors(page):
    """Console errors (a blocked script or style shows here as a CSP violation)."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


@pytest.mark.django_db(transaction=True)
def test_register_for_a_paid_event_pay_and_find_it_confirmed(page, live_server, axe_violations, console_errors):
    event = EventFactory(
        title="Leadership Skills Through Professional Service",
        paid=True,
        capacity=40,
        joining_url="https://zoom.example.org/j/2468",
    )
    UserFactory(first_name="Wen", last_name="Li", email="wen.li@example.org")

    page.goto(live_server.url + event.get_absolute_url())
    dismiss_cookie_banner(page)
    page.get_by_role("link", name="Sign in to register").click()
    page.get_by_label("Email address").fill("wen.li@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    expect(page.get_by_text("zoom.example.org")).to_have_count(0)  # the joining link is for registrants
    assert axe_violations(page) == []
    page.get_by_role("button", name="Register · $45.00").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_text(f"Registration: {event.title}")).to_be_visible()
    expect(page.get_by_label("Full name")).to_have_value("Wen Li")
    expect(page.get_by_label("Email address")).to_have_value("wen.li@example.org")
    page.get_by_label("Street address").fill("225 N Michigan Ave")
    page.get_by_label("City").fill("Chicago")
    page.get_by_label("State or region").fill("IL")
    page.get_by_label("ZIP or postal code").fill("60601")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("Amount due: $45.00")).to_be_visible()
    page.get_by_role("button", name="Approve payment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(event.title)
    expect(page.get_by_test_id("registration-status")).to_have_text("You are registered.")
    expect(page.get_by_role("link", name="Join the event")).to_have_attribute("href", "https://zoom.example.org/j/2468")
    assert axe_violations(page) == []
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.price == Decimal("45.00")

    page.goto(live_server.url + "/membership/account/")
    registrations = page.get_by_test_id("my-registrations")
    expect(registrations.get_by_role("link", name=event.title)).to_be_visible()
    expect(registrations.get_by_role("row").filter(has_text=event.title)).to_contain_text("Confirmed")
    assert axe_violations(page) == []
    assert console_errors == []
