"""The donor's journey: what they typed is carried to the checkout, the amount they typed is never
swapped for a preset, and once paid they read a thank-you page for their gift (that only they see)."""

from decimal import Decimal
from urllib.parse import urlsplit

import pytest
from django.test import Client

from membership.models import Donation
from store.models import Order
from tests.factories import UserFactory
from tests.html_utils import form_fields, links, script_sources, visible_text

from .factories import MembershipTypeFactory
from .flows import EMAIL, billing_data, checkout, join_confirm_and_log_in, pay
from .test_donations import gift

pytestmark = pytest.mark.django_db


@pytest.fixture
def individual():
    return MembershipTypeFactory(name="Individual Type I", annual_dues=Decimal("125.00"))


# Without the name and email: the checkout must already have them.
ADDRESS_ONLY = {key: value for key, value in billing_data().items() if key not in ("name", "email")}


def field_value(response, name):
    [field] = form_fields(response.content, name)
    return field.get("value", "")


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def donate_and_pay(client, status="confirmed", **overrides):
    """Give, send the checkout with only the address, pay; returns the page the donor lands on."""
    checkout_url = client.post("/donate/", gift(**overrides))["Location"]
    pay_link = client.post(checkout_url, {**ADDRESS_ONLY, "name": "Pat Donor", "email": "pat@example.org"})["Location"]
    client.get(pay_link)
    return client.post(
        pay_link, {"status": status, "fraud_status": "accept", "gateway_response": "3ds-disabled"}, follow=True
    )


# Carrying the name and email over ------------------------------------------------------------


def test_a_guest_donor_is_not_asked_again_for_the_name_and_email_just_typed(client):
    response = client.post("/donate/", gift(name="Siobhán O'Brien", email="siobhan@example.org"))

    page = client.get(response["Location"])

    assert field_value(page, "name") == "Siobhán O'Brien"
    assert field_value(page, "email") == "siobhan@example.org"


def test_a_logged_in_donor_who_typed_another_name_gets_what_they_typed():
    client = Client()
    client.force_login(UserFactory(first_name="Ana", last_name="Silva", email="ana@example.org"))

    response = client.post("/donate/", gift(name="The Silva Family", email="ana@example.org"))

    assert field_value(client.get(response["Location"]), "name") == "The Silva Family"


def test_a_new_member_finds_their_name_and_email_at_the_dues_checkout(client, individual):
    checkout_url = join_confirm_and_log_in(client, individual)

    page = client.get(checkout_url)

    assert field_value(page, "name") == "Mina Okafor"
    assert field_value(page, "email") == EMAIL


# The amount ------------------------------------------------------------------------------------


def test_an_amount_typed_while_a_preset_is_chosen_is_never_swapped_for_the_preset(client):
    response = client.post("/donate/", gift(preset_amount="50", other_amount="35"))

    assert response.status_code == 200
    text = visible_text(response.content)
    assert (
        "You chose $50 and also typed $35.00. Choose “Other amount” to give $35.00, "
        "or clear this box to give $50." in text
    )
    assert not Donation.objects.exists()
    assert not Order.objects.exists()
    # Both answers are kept, so fixing it is one click.
    assert field_value(response, "other_amount") == "35"
    assert [f["value"] for f in form_fields(response.content, "preset_amount") if "checked" in f] == ["50"]


def test_an_unreadable_amount_typed_while_a_preset_is_chosen_is_questioned_too(client):
    response = client.post("/donate/", gift(preset_amount="100", other_amount="thirty"))

    assert response.status_code == 200
    assert "You chose $100 and also typed an amount in this box." in visible_text(response.content)
    assert not Donation.objects.exists()


def test_a_blank_other_amount_with_a_preset_gives_the_preset(client):
    client.post("/donate/", gift(preset_amount="100", other_amount="   "))

    assert Donation.objects.get().amount == Decimal("100")


def test_typing_an_other_amount_selects_other_with_an_external_script(client, settings):
    response = client.get("/donate/")

    [script] = [src for src in script_sources(response.content) if src.endswith("js/donate.js")]
    source = (settings.BASE_DIR / "static" / "js" / "donate.js").read_text()
    assert "other_amount" in source and '"other"' in source
    assert "<script>" not in response.content.decode()  # the CSP allows no inline script


# The thank-you page ------------------------------------------------------------------------------


def test_after_paying_the_donor_reads_a_thank_you_page_for_the_gift(client, run_on_commit):
    with run_on_commit():
        response = donate_and_pay(
            client, preset_amount="other", other_amount="72.50", dedication_type="memory", dedication_name="E. J."
        )

    donation = Donation.objects.get()
    assert donation.status == Donation.Status.PAID
    assert urlsplit(response.redirect_chain[-1][0]).path.startswith("/membership/donations/")
    text = visible_text(response.content)
    assert "Thank you for your gift" in text
    assert "$72.50" in text
    assert "Defending the freedom to read" in text
    assert "In memory of E. J." in text
    assert "A receipt is on its way to pat@example.org." in text
    # Not the empty donation form, and nothing calls the gift an order.
    assert not form_fields(response.content, "preset_amount")
    assert not [message for message in messages_of(response) if "Order" in message]


def test_the_thank_you_page_is_the_donors_only(client, run_on_commit):
    with run_on_commit():
        response = donate_and_pay(client)
    url = response.redirect_chain[-1][0]

    stranger = Client()
    page = stranger.get(url)
    assert page.status_code == 404
    assert "$50.00" not in visible_text(page.content)
    assert "pat@example.org" not in visible_text(page.content)
    token = url.split("/")[-3]
    assert client.get(url.replace(token, token[:-3] + "xyz")).status_code == 404  # tampered token


def test_a_logged_in_donor_sees_their_thank_you_page_from_another_browser(run_on_commit):
    user = UserFactory()
    client = Client()
    client.force_login(user)
    with run_on_commit():
        url = donate_and_pay(client).redirect_chain[-1][0]

    elsewhere = Client()
    elsewhere.force_login(user)
    assert "Thank you for your gift" in visible_text(elsewhere.get(url).content)
    intruder = Client()
    intruder.force_login(UserFactory())
    assert intruder.get(url).status_code == 404


def thanks_url(client):
    """The thank-you page's address, as the donate page passed it to the store."""
    return client.session["store.direct"][next(iter(client.session["store.direct"]))]["success_url"]


def test_before_the_payment_the_thank_you_page_says_the_gift_is_not_paid_yet(client):
    checkout_url = client.post("/donate/", gift())["Location"]
    url = thanks_url(client)

    text = visible_text(client.get(url).content)
    assert "Thank you for your gift" not in text
    assert "not paid yet" in text
    assert ("/donate/", "Back to the donation form") in links(client.get(url).content)

    pay_link = checkout(client, checkout_url)
    page = client.get(url)
    assert "not paid yet" in visible_text(page.content)
    assert (pay_link, "Pay $50.00 now") in links(page.content)


def test_a_declined_gift_says_so_and_offers_to_try_again(client):
    checkout_url = client.post("/donate/", gift())["Location"]
    url = thanks_url(client)
    pay_link = checkout(client, checkout_url)

    pay(client, pay_link, status="rejected")

    page = client.get(url)
    text = visible_text(page.content)
    assert "Your payment was not accepted, so nothing was charged." in text
    assert "Thank you for your gift" not in text
    assert (pay_link, "Try again: pay $50.00") in links(page.content)


def test_a_refunded_gift_says_so(client, run_on_commit):
    with run_on_commit():
        url = donate_and_pay(client).redirect_chain[-1][0]
    Order.objects.get().mark_refunded()

    text = visible_text(client.get(url).content)
    assert "Your gift of $50.00 was refunded." in text
