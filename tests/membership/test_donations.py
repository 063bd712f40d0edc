"""Donations at /donate/: amounts, fund, dedication, anonymity; paid through the checkout; one receipt."""

from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from membership.models import Donation
from store.models import Order
from store.signals import order_paid
from tests.factories import UserFactory
from tests.html_utils import form_fields, visible_text

from .factories import DonationFactory
from .flows import checkout, checkout_and_pay, long_date, pay, today

pytestmark = pytest.mark.django_db

RECEIPT_SUBJECT = "Thank you for your gift to the American Library Association"


def gift(**overrides):
    data = {
        "preset_amount": "50",
        "other_amount": "",
        "fund": "intellectual_freedom",
        "dedication_type": "",
        "dedication_name": "",
        "name": "Pat Donor",
        "email": "pat@example.org",
        "website": "",
    }
    data.update(overrides)
    return data


def receipts():
    return [message for message in mail.outbox if message.subject == RECEIPT_SUBJECT]


def test_the_donate_page_offers_presets_a_custom_amount_funds_and_a_dedication(client):
    response = client.get("/donate/")

    assert response.status_code == 200
    text = visible_text(response.content)
    assert "Support Our Mission" in text
    for label in ["$25", "$50", "$100", "$250", "Other amount"]:
        assert label in text
    assert [f["value"] for f in form_fields(response.content, "preset_amount")] == ["25", "50", "100", "250", "other"]
    assert "Defending the freedom to read" in text
    assert "In memory of" in text
    assert form_fields(response.content, "is_anonymous")
    assert form_fields(response.content, "csrfmiddlewaretoken")


def test_a_logged_in_donor_finds_their_name_and_email_filled_in():
    user = UserFactory(first_name="Ana", last_name="Silva", email="ana@example.org")
    client = Client()
    client.force_login(user)

    response = client.get("/donate/")

    assert form_fields(response.content, "name")[0]["value"] == "Ana Silva"
    assert form_fields(response.content, "email")[0]["value"] == "ana@example.org"


def test_a_preset_gift_is_saved_pending_and_goes_to_the_checkout(client):
    response = client.post("/donate/", gift(preset_amount="100"))

    assert response.status_code == 302
    assert response["Location"].startswith("/store/checkout/?pending=")
    donation = Donation.objects.get()
    assert donation.amount == Decimal("100")
    assert donation.status == Donation.Status.PENDING
    assert donation.fund == Donation.Fund.INTELLECTUAL_FREEDOM
    assert donation.user is None
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Donation: Defending the freedom to read" in visible_text(page.content)
    assert "100.00" in visible_text(page.content)


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("35", "35.00"), ("35.50", "35.50"), ("$1,250.00", "1250.00"), (" 1 ", "1.00"), ("100000", "100000.00")],
)
def test_a_custom_amount_is_accepted(client, typed, amount):
    response = client.post("/donate/", gift(preset_amount="other", other_amount=typed))

    assert response.status_code == 302
    assert Donation.objects.get().amount == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "The smallest gift we can accept online is $1.00."),
        ("-5", "The smallest gift we can accept online is $1.00."),
        ("0.99", "The smallest gift we can accept online is $1.00."),
        ("1e-999", "The smallest gift we can accept online is $1.00."),
        ("abc", "Enter an amount in dollars, like 35 or 35.50."),
        ("", "Enter an amount in dollars, like 35 or 35.50."),
        ("NaN", "Enter an amount in dollars, like 35 or 35.50."),
        ("-Infinity", "Enter an amount in dollars, like 35 or 35.50."),
        ("sNaN", "Enter an amount in dollars, like 35 or 35.50."),
        ("1e999", "For gifts over $100,000 please contact our development office."),
        ("100000.01", "For gifts over $100,000 please contact our development office."),
        ("99999999999999999999", "For gifts over $100,000 please contact our development office."),
        ("12.345", "Use at most two decimal places (cents)."),
        ("1" * 21, "Ensure this value has at most 20 characters (it has 21)."),
    ],
)
def test_a_bad_custom_amount_gets_a_clear_message_and_nothing_is_saved(client, typed, message):
    response = client.post("/donate/", gift(preset_amount="other", other_amount=typed))

    assert response.status_code == 200
    text = visible_text(response.content)
    assert message in text
    assert "There is a problem" in text  # the error summary, which links to the field
    assert not Donation.objects.exists()
    assert not Order.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("preset_amount", "1000000", "Choose one of the amounts."),
        ("preset_amount", "", "Choose an amount."),
        ("fund", "yachts", "Select a valid choice. yachts is not one of the available choices."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("name", "", "This field is required."),
    ],
)
def test_other_bad_input_gets_a_clear_message(client, field, value, message):
    response = client.post("/donate/", gift(**{field: value}))

    assert response.status_code == 200
    assert message in visible_text(response.content)
    assert not Donation.objects.exists()


def test_a_dedication_needs_a_name(client):
    response = client.post("/donate/", gift(dedication_type="memory", dedication_name="  "))

    assert response.status_code == 200
    assert "Give the name of the person you dedicate the gift to." in visible_text(response.content)
    assert not Donation.objects.exists()


def test_a_dedication_and_anonymity_are_stored(client):
    response = client.post("/donate/", gift(dedication_type="honor", dedication_name="Judith Krug", is_anonymous="on"))

    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.dedication == "In honor of Judith Krug"
    assert donation.is_anonymous is True


def test_a_name_without_a_dedication_type_is_dropped(client):
    client.post("/donate/", gift(dedication_type="", dedication_name="Someone"))

    assert Donation.objects.get().dedication_name == ""


def test_the_honeypot_rejects_a_bot(client):
    response = client.post("/donate/", gift(website="spam"))

    assert response.status_code == 200
    assert "This submission looks automated" in visible_text(response.content)
    assert not Donation.objects.exists()


def test_a_logged_in_donor_gift_is_linked_to_the_account():
    user = UserFactory()
    client = Client()
    client.force_login(user)

    client.post("/donate/", gift())

    assert Donation.objects.get().user == user


def test_paying_marks_the_gift_paid_and_sends_one_receipt_with_amount_and_date(client, run_on_commit):
    response = client.post(
        "/donate/", gift(preset_amount="other", other_amount="72.50", dedication_type="memory", dedication_name="E. J.")
    )

    with run_on_commit():
        after = checkout_and_pay(client, response["Location"], email="pat@example.org")

    assert "/membership/donations/" in after and after.endswith("/thank-you/")  # the gift's own page
    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID
    assert donation.paid_at is not None
    assert Order.objects.get().status == Order.Status.PAID
    [receipt] = receipts()
    assert receipt.to == ["pat@example.org"]
    assert "Amount: $72.50 USD" in receipt.body
    assert f"Date: {long_date(today())}" in receipt.body
    assert "Dedication: In memory of E. J." in receipt.body
    assert "Designation: Defending the freedom to read" in receipt.body

    # The store (or a payment provider's repeated callback) reporting the payment again sends nothing.
    with run_on_commit():
        order_paid.send(sender=Order, order=Order.objects.get())
        Order.objects.get().mark_paid()
    assert len(receipts()) == 1


def test_a_declined_payment_marks_the_gift_failed_and_a_retry_pays_it(client, run_on_commit):
    response = client.post("/donate/", gift())
    pay_link = checkout(client, response["Location"])

    pay(client, pay_link, status="rejected")
    assert Donation.objects.get().status == Donation.Status.FAILED
    assert receipts() == []

    with run_on_commit():
        pay(client, pay_link)

    assert Order.objects.get().status == Order.Status.PAID
    assert Donation.objects.get().status == Donation.Status.PAID
    assert len(receipts()) == 1


def test_a_refund_marks_the_gift_refunded(client, run_on_commit):
    response = client.post("/donate/", gift())
    with run_on_commit():
        checkout_and_pay(client, response["Location"])

    Order.objects.get().mark_refunded()

    assert Donation.objects.get().status == Donation.Status.REFUNDED


def test_donations_show_in_the_donors_account(run_on_commit):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    response = client.post("/donate/", gift(preset_amount="250"))
    with run_on_commit():
        checkout_and_pay(client, response["Location"])

    text = visible_text(client.get("/membership/account/").content)

    assert "$250.00 to Defending the freedom to read" in text
    assert "Paid" in text


def test_the_receipt_is_plain_text_with_names_as_typed_and_grouped_amounts(run_on_commit):
    donation = DonationFactory(
        name="Siobhán O'Brien", amount=Decimal("1234.56"), dedication_type="memory", dedication_name="Zoë <Reader>"
    )
    with run_on_commit():
        donation.mark_paid()
    body = mail.outbox[0].body
    assert "Dear Siobhán O'Brien," in body
    assert "In memory of Zoë <Reader>" in body
    assert "$1,234.56 USD" in body
