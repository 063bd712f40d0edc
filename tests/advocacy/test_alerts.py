"""Advocacy alert sign-up: double opt-in by a signed link, one-click unsubscribe, re-sign-up, and
every kind of bad input and abuse. Driven through the pages, the way a person does it."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from advocacy import alert_links
from advocacy.models import AlertSubscriber
from tests.html_utils import visible_text

from .factories import AlertSubscriberFactory
from .factories import CommittingClient as Client

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/advocacy/alerts/confirm/[^/\s]+/)")
UNSUBSCRIBE_LINK = re.compile(r"https?://[^/\s]+(/advocacy/alerts/unsubscribe/[^/\s]+/)")


def sign_up(client=None, **fields):
    data = {"email": "pat@example.org", "name": "Pat Reader", "zip_code": "60601", "state": "", "website": ""}
    return (client or Client()).post("/advocacy/alerts/", {**data, **fields})


def link_in(message, pattern):
    return pattern.search(message.body)[1]


def test_signing_up_stores_a_pending_subscriber_and_emails_a_confirmation_link_only():
    response = sign_up(interests=["funding", "school"])

    assert response.status_code == 302
    assert response["Location"] == "/advocacy/alerts/check-your-email/"
    subscriber = AlertSubscriber.objects.get()
    assert (subscriber.email, subscriber.name, subscriber.zip_code, subscriber.state) == (
        "pat@example.org",
        "Pat Reader",
        "60601",
        "IL",  # derived from the ZIP code's prefix
    )
    assert subscriber.status == AlertSubscriber.Status.PENDING
    assert subscriber.interests == ",funding,school,"
    [message] = mail.outbox
    assert message.to == ["pat@example.org"]
    assert message.subject == "Confirm your sign-up for ALA Advocacy Alerts"
    assert CONFIRM_LINK.search(message.body)
    assert "seven days" in message.body


def test_the_check_email_page_explains_what_happens_next():
    client = Client()
    text = visible_text(client.get(sign_up(client)["Location"]).content)
    assert "Check your email to confirm" in text
    assert "The link works for seven days" in text


def test_opening_the_link_asks_first_and_the_button_confirms():
    sign_up()
    path = link_in(mail.outbox[0], CONFIRM_LINK)
    client = Client()

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my sign-up" in visible_text(page.content)
    # A mail scanner opening the link confirms nothing.
    assert AlertSubscriber.objects.get().status == AlertSubscriber.Status.PENDING

    done = client.post(path)
    assert done.status_code == 200
    assert "You are signed up for Advocacy Alerts" in visible_text(done.content)
    subscriber = AlertSubscriber.objects.get()
    assert subscriber.status == AlertSubscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None


def test_a_confirmation_link_expires_after_seven_days():
    with time_machine.travel(timezone.now() - timedelta(days=7, minutes=1)):
        sign_up()
    path = link_in(mail.outbox[0], CONFIRM_LINK)

    response = Client().post(path)

    assert response.status_code == 400
    assert "This confirmation link does not work" in visible_text(response.content)
    assert AlertSubscriber.objects.get().status == AlertSubscriber.Status.PENDING


def test_a_link_six_days_old_still_works():
    with time_machine.travel(timezone.now() - timedelta(days=6)):
        sign_up()
    Client().post(link_in(mail.outbox[0], CONFIRM_LINK))
    assert AlertSubscriber.objects.get().status == AlertSubscriber.Status.CONFIRMED


@pytest.mark.parametrize(
    "mangle",
    [
        lambda path: path.replace("/confirm/", "/confirm/x"),
        lambda path: path[:-6] + "AAAAA/",
        lambda path: "/advocacy/alerts/confirm/" + "A" * 5000 + "/",
        lambda path: "/advocacy/alerts/confirm/<script>alert(1)<%2Fscript>/",
    ],
    ids=["prefixed", "signature changed", "very long", "script"],
)
def test_a_tampered_confirmation_link_is_refused_without_error(mangle):
    sign_up()
    path = mangle(link_in(mail.outbox[0], CONFIRM_LINK))

    for response in (Client().get(path), Client().post(path)):
        assert response.status_code in (400, 404)
    assert AlertSubscriber.objects.get().status == AlertSubscriber.Status.PENDING


def test_an_unsubscribe_link_cannot_confirm_and_a_confirmation_link_cannot_unsubscribe():
    subscriber = AlertSubscriberFactory(pending=True)
    unsubscribe_path = alert_links.unsubscribe_url(subscriber).split("/advocacy/alerts/unsubscribe/")[1]
    confirm_path = alert_links.confirm_url(subscriber).split("/advocacy/alerts/confirm/")[1]

    assert Client().post(f"/advocacy/alerts/confirm/{unsubscribe_path}").status_code == 400
    assert Client().post(f"/advocacy/alerts/unsubscribe/{confirm_path}").status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.PENDING


# Unsubscribe -----------------------------------------------------------------------------------


def test_the_unsubscribe_link_asks_first_and_the_button_unsubscribes_without_a_login():
    subscriber = AlertSubscriberFactory()
    path = UNSUBSCRIBE_LINK.search(alert_links.unsubscribe_url(subscriber))[1]
    client = Client(enforce_csrf_checks=True)

    page = client.get(path)
    assert "Unsubscribe from Advocacy Alerts" in visible_text(page.content)
    assert subscriber.email in visible_text(page.content)
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.CONFIRMED

    done = client.post(path, {"csrfmiddlewaretoken": page.context["csrf_token"]})
    assert done.status_code == 200
    assert "You are unsubscribed" in visible_text(done.content)
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.UNSUBSCRIBED
    assert subscriber.unsubscribed_at is not None


def test_a_mail_providers_one_click_post_unsubscribes_without_cookies_or_csrf_token():
    """RFC 8058: the provider POSTs List-Unsubscribe=One-Click to the header's address."""
    subscriber = AlertSubscriberFactory()
    path = UNSUBSCRIBE_LINK.search(alert_links.unsubscribe_url(subscriber))[1]

    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.UNSUBSCRIBED


def test_unsubscribing_twice_is_harmless_and_keeps_the_first_time():
    subscriber = AlertSubscriberFactory()
    path = UNSUBSCRIBE_LINK.search(alert_links.unsubscribe_url(subscriber))[1]
    Client().post(path)
    first = AlertSubscriber.objects.get().unsubscribed_at

    assert Client().post(path).status_code == 200
    assert AlertSubscriber.objects.get().unsubscribed_at == first


def test_a_tampered_unsubscribe_link_is_refused_and_unsubscribes_nobody():
    subscriber = AlertSubscriberFactory()
    path = UNSUBSCRIBE_LINK.search(alert_links.unsubscribe_url(subscriber))[1]

    response = Client().post(path[:-6] + "AAAAA/")

    assert response.status_code == 400
    assert "This unsubscribe link does not work" in visible_text(response.content)
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.CONFIRMED


def test_signing_up_again_undoes_an_unsubscribe_once_confirmed_and_old_links_stay_dead():
    sign_up()
    old_confirm = link_in(mail.outbox[0], CONFIRM_LINK)
    Client().post(old_confirm)
    subscriber = AlertSubscriber.objects.get()
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        Client().post(UNSUBSCRIBE_LINK.search(alert_links.unsubscribe_url(subscriber))[1])
    mail.outbox.clear()

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        # The old confirmation link (still within its seven days) cannot undo the unsubscribe.
        assert Client().get(old_confirm).status_code == 400
        assert Client().post(old_confirm).status_code == 400
        assert AlertSubscriber.objects.get().status == AlertSubscriber.Status.UNSUBSCRIBED

        sign_up(name="Pat R. Reader")
        subscriber = AlertSubscriber.objects.get()  # still one row
        assert subscriber.status == AlertSubscriber.Status.PENDING  # no alert until confirmed again
        assert subscriber.name == "Pat R. Reader"
        Client().post(link_in(mail.outbox[0], CONFIRM_LINK))

    assert AlertSubscriber.objects.get().status == AlertSubscriber.Status.CONFIRMED


# Never revealing who is subscribed, never flooding ------------------------------------------


def test_the_answer_is_the_same_for_a_new_pending_confirmed_or_unsubscribed_address():
    AlertSubscriberFactory(email="confirmed@example.org")
    AlertSubscriberFactory(email="pending@example.org", pending=True)
    AlertSubscriberFactory(email="gone@example.org", unsubscribed=True)
    answers = set()
    for email in ("new@example.org", "confirmed@example.org", "pending@example.org", "gone@example.org"):
        client = Client()
        response = sign_up(client, email=email)
        page = client.get(response["Location"])
        answers.add((response.status_code, response["Location"], visible_text(page.content)))
    assert len(answers) == 1


def test_a_confirmed_address_signed_up_again_is_told_so_by_email_and_its_details_stay():
    AlertSubscriberFactory(email="pat@example.org", name="Pat Reader", zip_code="60601", state="IL")

    sign_up(name="Someone Else", zip_code="10001")

    subscriber = AlertSubscriber.objects.get()
    assert (subscriber.name, subscriber.zip_code, subscriber.state) == ("Pat Reader", "60601", "IL")
    assert subscriber.status == AlertSubscriber.Status.CONFIRMED
    [message] = mail.outbox
    assert message.subject == "You already receive ALA Advocacy Alerts"
    assert UNSUBSCRIBE_LINK.search(message.body)
    assert not CONFIRM_LINK.search(message.body)


def test_repeated_sign_ups_make_one_subscriber_and_one_email_in_fifteen_minutes():
    for _ in range(5):
        sign_up(Client(REMOTE_ADDR="10.0.0.1"))
    sign_up(Client(REMOTE_ADDR="10.0.0.2"), email="PAT@Example.org")

    assert AlertSubscriber.objects.count() == 1
    assert len(mail.outbox) == 1

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        sign_up()
    assert len(mail.outbox) == 2  # a lost first email can be asked for again, later


def test_sign_ups_from_one_address_are_rate_limited():
    client = Client()
    statuses = [sign_up(client, email=f"person{n}@example.org").status_code for n in range(12)]

    assert statuses[:10] == [302] * 10
    assert statuses[-1] == 429
    assert AlertSubscriber.objects.count() == 10


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "not-an-address"}, "email", "Enter an email address like name@example.org."),
        ({"email": ""}, "email", "Enter your email address."),
        ({"zip_code": "6060"}, "zip_code", "Enter a five-digit ZIP code"),
        ({"zip_code": "ABCDE"}, "zip_code", "Enter a five-digit ZIP code"),
        ({"zip_code": "60601-12"}, "zip_code", "Enter a five-digit ZIP code"),
        ({"zip_code": "00001"}, "state", "We cannot tell the state from ZIP code 00001: choose your state."),
        ({"state": "XX"}, "state", "Choose a state from the list."),
        ({"interests": ["parking"]}, "interests", "Choose topics from the list."),
        ({"name": ""}, "name", "Enter your name."),
        ({"name": "x" * 5000}, "name", "Keep your name to 100 characters"),
        ({"email": "a" * 300 + "@example.org"}, "email", "at most 254 characters"),
        ({"zip_code": "6" * 100_000}, "zip_code", "Enter a five-digit ZIP code"),
    ],
    ids=[
        "bad email",
        "no email",
        "short zip",
        "letters",
        "bad zip+4",
        "unknown prefix",
        "bad state",
        "bad topic",
        "no name",
        "long name",
        "long email",
        "huge zip",
    ],
)
def test_bad_input_is_shown_next_to_its_field_and_nothing_is_stored(fields, field, message):
    response = sign_up(**fields)

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert message.split(":")[0] in visible_text(response.content)
    assert not AlertSubscriber.objects.exists()
    assert not mail.outbox


@pytest.mark.parametrize(
    ("body", "content_type"),
    [("", "application/x-www-form-urlencoded"), ('{"email": "pat@example.org"}', "application/json")],
)
def test_an_empty_or_unreadable_submission_says_what_is_missing(body, content_type):
    response = Client().post("/advocacy/alerts/", body, content_type=content_type)

    assert response.status_code == 200
    page = visible_text(response.content)
    for message in ("Enter your email address.", "Enter your name.", "Enter your ZIP code."):
        assert message in page
    assert not AlertSubscriber.objects.exists()
    assert not mail.outbox


def test_a_chosen_state_wins_over_the_zip_prefix_and_zip_plus_four_is_accepted():
    sign_up(zip_code="52761-1234", state="IL")  # Muscatine, Iowa, by a reader who chose Illinois
    subscriber = AlertSubscriber.objects.get()
    assert (subscriber.zip_code, subscriber.state) == ("52761-1234", "IL")


def test_script_in_the_name_is_kept_as_text_and_shown_escaped():
    sign_up(name="<script>alert('x')</script> Pat")
    subscriber = AlertSubscriber.objects.get()
    assert subscriber.name == "<script>alert('x')</script> Pat"

    page = Client().post(link_in(mail.outbox[0], CONFIRM_LINK))

    assert b"<script>alert" not in page.content
    assert b"&lt;script&gt;alert" in page.content


def test_a_filled_honeypot_stores_and_sends_nothing():
    response = sign_up(website="http://spam.example")

    assert response.status_code == 200
    assert "leave the last field empty" in str(response.context["form"].errors)
    assert not AlertSubscriber.objects.exists()
    assert not mail.outbox


def test_the_sign_up_page_lists_the_fields_with_labels():
    client = Client()
    text = visible_text(client.get("/advocacy/alerts/").content)
    for label in ("Email address", "Your name", "ZIP code", "State", "Topics you care about"):
        assert label in text
    assert client.head("/advocacy/alerts/").status_code == 200
    assert client.delete("/advocacy/alerts/").status_code == 405


def test_many_one_click_unsubscribes_from_one_mail_provider_address_all_go_through():
    subscribers = AlertSubscriberFactory.create_batch(40)
    provider = Client(REMOTE_ADDR="192.0.2.25")

    statuses = {
        provider.post(UNSUBSCRIBE_LINK.search(alert_links.unsubscribe_url(subscriber))[1]).status_code
        for subscriber in subscribers
    }

    assert statuses == {200}
    assert not AlertSubscriber.objects.confirmed().exists()


def test_signing_up_again_right_after_unsubscribing_sends_a_new_link_at_once():
    sign_up()
    subscriber = AlertSubscriber.objects.get()
    with time_machine.travel(timezone.now() + timedelta(seconds=2)):
        Client().post(UNSUBSCRIBE_LINK.search(alert_links.unsubscribe_url(subscriber))[1])
    with time_machine.travel(timezone.now() + timedelta(seconds=4)):
        sign_up()
        assert len(mail.outbox) == 2
        Client().post(link_in(mail.outbox[1], CONFIRM_LINK))
    assert AlertSubscriber.objects.get().status == AlertSubscriber.Status.CONFIRMED
