"""Registration: free, paid through the store's checkout, waitlisted when full; refused clearly for
past, closed, unpublished and double registrations; cancelled before the start; a freed seat offered
to the first on the waitlist by email. Driven through the pages, the way a person does it."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from events.models import OFFER_HOLD, PENDING_HOLD, Registration, RegistrationError
from store.models import FulfilmentFailure, Order
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import form_fields, links, visible_text
from tests.membership.factories import MembershipFactory, MembershipTypeFactory
from tests.membership.flows import checkout_and_pay

from .factories import EventFactory, EventTypePriceFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

OFFER_LINK = re.compile(r"https?://[^/\s]+(/events/[^/\s]+/take-seat/)")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Emails go out when the transaction commits; run them as they happen."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def signed_in(user=None, **fields):
    client = Client()
    client.force_login(user or UserFactory(**fields))
    return client


def register(client, event, **data):
    return client.post(f"/events/{event.slug}/register/", {"website": "", **data})


def messages_after(client, response):
    """The messages the person reads on the page the response leads to."""
    page = client.get(response["Location"])
    return [str(message) for message in page.context["messages"]] if page.context else []


def registration_of(user, event):
    return Registration.objects.get(user=user, event=event)


def event_page(client, event):
    return visible_text(client.get(event.get_absolute_url()).content)


# Free ------------------------------------------------------------------------------------------


def test_a_free_registration_is_confirmed_at_once_with_an_email_carrying_the_ics_and_joining_link(run_on_commit):
    event = EventFactory(title="Senior Advisory Boards", joining_url="https://zoom.example.org/j/777")
    ana = UserFactory(first_name="Ana", email="ana@example.org")
    client = signed_in(ana)

    with run_on_commit():
        response = register(client, event)

    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert registration_of(ana, event).status == Registration.Status.CONFIRMED
    assert registration_of(ana, event).price == 0
    [email] = mail.outbox
    assert email.to == ["ana@example.org"]
    assert email.subject == "You are registered: Senior Advisory Boards"
    assert "https://zoom.example.org/j/777" in email.body
    [(filename, content, mimetype)] = email.attachments
    assert filename == "senior-advisory-boards.ics" and mimetype == "text/calendar"
    assert "BEGIN:VCALENDAR" in content and "SUMMARY:Senior Advisory Boards" in content
    page = client.get(event.get_absolute_url())
    assert "You are registered." in visible_text(page.content)
    assert "https://zoom.example.org/j/777" in [href for href, _ in links(page.content)]


def test_the_joining_link_is_shown_only_to_confirmed_registrants():
    event = EventFactory(joining_url="https://zoom.example.org/j/777")
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED, user=(waiting := UserFactory()))

    for client in (Client(), signed_in(), signed_in(waiting)):
        assert "zoom.example.org/j/777" not in client.get(event.get_absolute_url()).content.decode()


def test_a_visitor_is_asked_to_sign_in_and_comes_back_to_the_event(client):
    event = EventFactory()

    assert "Sign in to register" in event_page(client, event)
    response = register(client, event)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Registration.objects.exists()


def test_the_account_page_lists_the_persons_registrations():
    person = UserFactory()
    RegistrationFactory(user=person, event=EventFactory(title="Uniting Catalogers"))
    RegistrationFactory(
        user=person, event=EventFactory(title="Passports and Notaries"), status=Registration.Status.WAITLISTED
    )
    RegistrationFactory(event=EventFactory(title="Someone else's webinar"))

    text = visible_text(signed_in(person).get("/membership/account/").content)

    assert "Uniting Catalogers" in text and "Confirmed" in text
    assert "Passports and Notaries" in text and "On the waitlist" in text
    assert "Someone else's webinar" not in text


# Paid --------------------------------------------------------------------------------------------


def test_a_paid_registration_goes_through_the_checkout_at_the_persons_price_and_is_confirmed_when_paid(
    run_on_commit,
):
    event = EventFactory(title="Leadership Skills", paid=True)
    pat = UserFactory(first_name="Pat", last_name="Reader", email="pat@example.org")
    client = signed_in(pat)

    response = register(client, event)

    checkout_url = response["Location"]
    assert checkout_url.startswith("/store/checkout/?pending=")
    registration = registration_of(pat, event)
    assert registration.status == Registration.Status.PENDING
    assert registration.price == Decimal("45.00")  # not a member
    page = client.get(checkout_url)
    assert form_fields(page.content, "name")[0]["value"] == "Pat Reader"
    assert form_fields(page.content, "email")[0]["value"] == "pat@example.org"
    assert "Registration: Leadership Skills" in visible_text(page.content)

    with run_on_commit():
        landing = checkout_and_pay(client, checkout_url)

    assert landing.endswith(event.get_absolute_url())
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert Order.objects.get().total == Decimal("45.00")
    assert [m.subject for m in mail.outbox if m.to == ["pat@example.org"]].count(
        "You are registered: Leadership Skills"
    ) == 1
    assert "You are registered." in event_page(client, event)


def test_a_member_pays_the_member_price_and_a_student_member_their_types_price():
    event = EventFactory(paid=True)
    student = MembershipTypeFactory(name="Student")
    EventTypePriceFactory(event=event, membership_type=student, price=Decimal("0.00"))
    member = MembershipFactory(status="active").user
    student_member = MembershipFactory(status="active", membership_type=student).user
    assert member.is_member and student_member.is_member

    assert register(signed_in(member), event)["Location"].startswith("/store/checkout/")
    assert registration_of(member, event).price == Decimal("25.00")
    assert register(signed_in(student_member), event)["Location"] == event.get_absolute_url()
    assert registration_of(student_member, event).status == Registration.Status.CONFIRMED


def test_going_back_to_pay_reuses_the_held_registration():
    event = EventFactory(paid=True, capacity=5)
    client = signed_in(person := UserFactory())

    register(client, event)
    again = register(client, event)

    assert again["Location"].startswith("/store/checkout/")
    assert Registration.objects.filter(user=person).count() == 1


def test_an_unpaid_hold_lapses_after_its_time_and_frees_the_seat():
    event = EventFactory(paid=True, capacity=1)
    slow = UserFactory()
    register(signed_in(slow), event)
    Registration.objects.update(created_at=timezone.now() - PENDING_HOLD - timedelta(seconds=1))

    register(signed_in(quick := UserFactory()), event)

    assert registration_of(quick, event).status == Registration.Status.PENDING
    assert event.seats_held() == 1
    # The slow one pays after all, too late: the store records it for staff instead of overselling.
    with pytest.raises(RegistrationError, match="refund the order"):
        registration_of(slow, event).mark_paid()
    assert registration_of(slow, event).status == Registration.Status.PENDING


def test_a_payment_for_a_lapsed_hold_is_a_fulfilment_failure_for_staff_when_the_event_filled(run_on_commit):
    event = EventFactory(paid=True, capacity=1)
    slow = signed_in(UserFactory())
    checkout_url = register(slow, event)["Location"]
    Registration.objects.update(created_at=timezone.now() - PENDING_HOLD - timedelta(seconds=1))
    RegistrationFactory(event=event)  # the seat went to someone else meanwhile

    with run_on_commit():
        checkout_and_pay(slow, checkout_url)

    assert Order.objects.get().status == Order.Status.PAID  # the money is never lost
    assert FulfilmentFailure.objects.count() == 1
    assert event.seats_held() == 1


# Bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("event_fields", "message"),
    [
        ({"past": True}, "has already started: registration is closed."),
        ({"registration_closes_at": timezone.now() - timedelta(hours=1)}, "is closed."),
        ({"registration_opens_at": timezone.now() + timedelta(days=2)}, "opens on"),
    ],
)
def test_registration_outside_its_window_is_refused_with_a_clear_message(event_fields, message):
    event = EventFactory(title="Uniting Catalogers", **event_fields)
    client = signed_in()

    response = register(client, event)

    assert response.status_code == 302
    [said] = messages_after(client, response)
    assert message in said and "Uniting Catalogers" in said
    assert not Registration.objects.exists()


def test_an_unpublished_event_cannot_be_registered_for():
    event = EventFactory(is_published=False)
    client = signed_in()

    response = register(client, event)

    assert response["Location"] == "/events/"
    assert messages_after(client, response) == ["This event is not open for registration."]
    assert not Registration.objects.exists()


def test_an_unknown_event_is_a_404():
    assert register(signed_in(), EventFactory.build(slug="no-such-event")).status_code == 404


def test_a_double_registration_is_refused_and_nothing_is_added():
    event = EventFactory(title="How It Feels to Be Me")
    client = signed_in(person := UserFactory())
    register(client, event)

    response = register(client, event)

    assert messages_after(client, response)[-1] == "You are already registered for “How It Feels to Be Me”."
    assert Registration.objects.filter(user=person).count() == 1


def test_a_double_registration_that_slips_past_the_check_meets_the_constraint_and_the_same_message(monkeypatch):
    event = EventFactory(title="How It Feels to Be Me")
    person = UserFactory()
    RegistrationFactory(event=event, user=person)
    # The second submission of a race reads before the first commits: it sees no registration.
    monkeypatch.setattr(type(Registration.objects.none()), "active", lambda self: self.none())

    with pytest.raises(RegistrationError, match="already registered for “How It Feels to Be Me”"):
        event.register(person)
    assert Registration.objects.filter(user=person).count() == 1


def test_a_full_event_puts_the_person_on_the_waitlist_and_tells_them(run_on_commit):
    event = EventFactory(title="Fundamentals of Cataloging", capacity=1)
    RegistrationFactory(event=event)
    client = signed_in(person := UserFactory(email="wait@example.org"))
    assert "Join the waitlist" in event_page(client, event)

    with run_on_commit():
        response = register(client, event)

    assert registration_of(person, event).status == Registration.Status.WAITLISTED
    assert "is full: you are on the waitlist" in messages_after(client, response)[0]
    assert [m.subject for m in mail.outbox] == ["You are on the waitlist: Fundamentals of Cataloging"]
    assert event.seats_held() == 1
    assert "You are on the waitlist." in event_page(client, event)


def test_a_filled_honeypot_registers_nobody():
    event = EventFactory()
    client = signed_in()

    response = register(client, event, website="http://spam.example")

    assert "leave the last field empty" in messages_after(client, response)[0]
    assert not Registration.objects.exists()


def test_registering_is_rate_limited():
    event = EventFactory()
    client = signed_in()
    statuses = [register(client, event).status_code for _ in range(12)]
    assert statuses[-1] == 429


def test_a_get_of_the_register_address_leads_to_the_event_page():
    event = EventFactory()
    response = signed_in().get(f"/events/{event.slug}/register/")
    assert response.status_code == 302 and response["Location"] == event.get_absolute_url()
    assert not Registration.objects.exists()


# Cancelling and the waitlist ------------------------------------------------------------------


def cancel(client, event):
    return client.post(f"/events/{event.slug}/cancel/", {"website": ""})


def test_cancelling_a_free_registration_offers_the_seat_to_the_first_waiting_who_takes_it(run_on_commit):
    event = EventFactory(title="Next Gen Tools", capacity=1)
    first = signed_in(holder := UserFactory())
    register(first, event)
    with run_on_commit():
        register(signed_in(ana := UserFactory(email="ana@example.org")), event)
        register(signed_in(ben := UserFactory(email="ben@example.org")), event)
    mail.outbox.clear()

    with run_on_commit():
        response = cancel(first, event)

    assert messages_after(first, response)[-1] == "Your registration for “Next Gen Tools” is cancelled."
    assert registration_of(holder, event).status == Registration.Status.CANCELLED
    assert registration_of(ana, event).status == Registration.Status.OFFERED
    assert registration_of(ben, event).status == Registration.Status.WAITLISTED
    [offer] = mail.outbox
    assert offer.to == ["ana@example.org"] and offer.subject == "A seat is free for you: Next Gen Tools"
    link = OFFER_LINK.search(offer.body).group(1)

    ana_client = signed_in(ana)
    assert "Take the seat (free)" in visible_text(ana_client.get(link).content)
    assert registration_of(ana, event).status == Registration.Status.OFFERED  # opening the link takes nothing
    with run_on_commit():
        response = ana_client.post(link, {"website": ""})

    assert response["Location"] == event.get_absolute_url()
    assert registration_of(ana, event).status == Registration.Status.CONFIRMED
    assert mail.outbox[-1].subject == "You are registered: Next Gen Tools"
    assert event.seats_held() == 1


def test_someone_else_cannot_take_an_offered_seat():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, status=Registration.Status.OFFERED, offered_at=timezone.now())
    client = signed_in()

    response = client.post(f"/events/{event.slug}/take-seat/", {"website": ""})

    assert "There is no seat offered to you" in messages_after(client, response)[0]
    assert Registration.objects.get().status == Registration.Status.OFFERED


def test_an_offer_not_taken_in_time_passes_to_the_next_person(run_on_commit):
    event = EventFactory(capacity=1)
    late = RegistrationFactory(
        event=event, status=Registration.Status.OFFERED, offered_at=timezone.now() - OFFER_HOLD - timedelta(minutes=1)
    )
    nxt = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED, user__email="next@example.org")
    client = signed_in(late.user)

    with run_on_commit():
        response = client.post(f"/events/{event.slug}/take-seat/", {"website": ""})

    assert "has passed to the next person waiting" in messages_after(client, response)[0]
    late.refresh_from_db()
    nxt.refresh_from_db()
    assert late.status == Registration.Status.CANCELLED
    assert nxt.status == Registration.Status.OFFERED
    assert [m.to for m in mail.outbox] == [["next@example.org"]]


def test_a_newcomer_never_jumps_the_waitlist_when_a_seat_frees_by_itself():
    event = EventFactory(paid=True, capacity=1)
    RegistrationFactory(
        event=event, status=Registration.Status.PENDING, price=Decimal("45.00")
    )  # an abandoned checkout...
    Registration.objects.update(created_at=timezone.now() - PENDING_HOLD - timedelta(seconds=1))
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)

    register(signed_in(newcomer := UserFactory()), event)

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.OFFERED
    assert registration_of(newcomer, event).status == Registration.Status.WAITLISTED


def test_leaving_the_waitlist_and_declining_an_offer():
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    waiting = RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)
    offered = RegistrationFactory(event=event, status=Registration.Status.OFFERED, offered_at=timezone.now())

    left = signed_in(waiting.user)
    assert messages_after(left, cancel(left, event)) == [f"You have left the waitlist for “{event.title}”."]
    declined = signed_in(offered.user)
    assert "declined the seat" in messages_after(declined, cancel(declined, event))[0]
    assert set(Registration.objects.values_list("status", flat=True)) == {"confirmed", "cancelled"}


def test_a_paid_registration_is_cancelled_by_a_refund_not_by_the_person():
    event = EventFactory(title="CORE/RUSA", paid=True)
    registration = RegistrationFactory(event=event, price=Decimal("45.00"))
    client = signed_in(registration.user)
    assert "To cancel with a refund, reply to your order's email." in event_page(client, event)

    response = cancel(client, event)

    assert "You paid $45.00 for “CORE/RUSA”. To cancel with a refund" in messages_after(client, response)[0]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_nothing_is_cancelled_once_the_event_has_started():
    event = EventFactory(capacity=3)
    registration = RegistrationFactory(event=event)
    event.__class__.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=5))
    client = signed_in(registration.user)

    response = cancel(client, event)

    assert "has already started: the registration can no longer be cancelled" in messages_after(client, response)[0]
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_refund_then_offer_then_pay_confirms_the_next_person(run_on_commit):
    """The journey of a paid, full event: a refund frees the seat, the first waiting is emailed
    an offer, takes it through the checkout at their price, and is confirmed."""
    event = EventFactory(title="Recharging in Challenging Times", paid=True, capacity=1)
    buyer = signed_in(UserFactory(email="first@example.org"))
    with run_on_commit():
        checkout_and_pay(buyer, register(buyer, event)["Location"])
    waiting_user = UserFactory(first_name="Wen", last_name="Li", email="wen@example.org")
    waiter = signed_in(waiting_user)
    with run_on_commit():
        register(waiter, event)
    assert registration_of(waiting_user, event).status == Registration.Status.WAITLISTED
    order = Order.objects.get()
    assert any(
        "is cancelled; its seat is offered to the first person on the waitlist." in effect
        for effect in order.refund_effects(restock=False)
    )
    mail.outbox.clear()

    with run_on_commit():
        order.mark_refunded(by=StaffFactory())

    assert Registration.objects.get(user__email="first@example.org").status == Registration.Status.REFUNDED
    [offer] = [m for m in mail.outbox if m.to == ["wen@example.org"]]
    link = OFFER_LINK.search(offer.body).group(1)
    assert "Take the seat and pay $45.00" in visible_text(waiter.get(link).content)
    checkout_url = waiter.post(link, {"website": ""})["Location"]
    assert checkout_url.startswith("/store/checkout/?pending=")
    with run_on_commit():
        checkout_and_pay(waiter, checkout_url)

    registration = registration_of(waiting_user, event)
    assert registration.status == Registration.Status.CONFIRMED and registration.price == Decimal("45.00")
    assert event.seats_held() == 1
    assert "You are registered: Recharging in Challenging Times" in [m.subject for m in mail.outbox]


@pytest.mark.django_db(transaction=True)
def test_the_queued_confirmation_keeps_its_ics_for_the_worker(settings):
    """With production's database queue the attachment is stored in the task's arguments, so the
    worker (and a resend from admin) sends it too."""
    from django_tasks_db.models import DBTaskResult

    from tests.ala_site.test_emails import run_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    event = EventFactory(title="Passports and Notaries")

    event.register(UserFactory(email="ana@example.org"))

    [result] = DBTaskResult.objects.filter(task_path="ala_site.tasks.send_email")
    [[filename, content, mimetype]] = result.args_kwargs["kwargs"]["attachments"]
    assert (filename, mimetype) == ("passports-and-notaries.ics", "text/calendar")
    run_worker()
    [email] = mail.outbox
    assert email.attachments[0][0] == "passports-and-notaries.ics"
    assert "SUMMARY:Passports and Notaries" in email.attachments[0][1]


@pytest.mark.django_db(transaction=True)
def test_a_confirmation_sent_while_the_mail_server_is_down_keeps_its_ics_for_the_retry(settings):
    from tests.ala_site.test_emails import FlakyMailBackend, email_results, run_worker

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.EMAIL_BACKEND = "tests.ala_site.test_emails.FlakyMailBackend"
    FlakyMailBackend.down = True
    event = EventFactory(title="Passports and Notaries")
    event.register(UserFactory())

    run_worker()

    first, retry = email_results()
    assert retry.args_kwargs["kwargs"]["attempt"] == 2
    assert retry.args_kwargs["kwargs"]["attachments"] == first.args_kwargs["kwargs"]["attachments"]


def test_staff_refunding_an_order_read_what_it_does_to_the_registration():
    event = EventFactory(title="Uniting Catalogers", paid=True, capacity=1)
    client = signed_in(UserFactory(first_name="Ana", last_name="Silva"))
    from tests.membership.flows import checkout

    checkout(client, register(client, event)["Location"])
    order = Order.objects.get()
    registration = Registration.objects.get()
    registration.mark_paid()

    [effect] = [e for e in order.refund_effects(restock=False) if "Uniting Catalogers" in e]
    assert effect.startswith("The registration of ") and "for “Uniting Catalogers”" in effect
    assert effect.endswith("is cancelled; its seat is freed.")


def test_seats_counted_from_an_event_query_agree_with_the_events_own_count():
    from django.db.models import Count

    from events.models import Event, seat_holding

    event = EventFactory(paid=True, capacity=5)
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status=Registration.Status.PENDING)
    lapsed = RegistrationFactory(event=event, status=Registration.Status.PENDING)
    Registration.objects.filter(pk=lapsed.pk).update(created_at=timezone.now() - PENDING_HOLD - timedelta(seconds=1))
    RegistrationFactory(event=event, status=Registration.Status.WAITLISTED)

    counted = Event.objects.annotate(held=Count("registrations", filter=seat_holding(prefix="registrations__")))

    assert counted.get(pk=event.pk).held == event.seats_held() == 2


def test_each_form_on_the_page_has_its_own_honeypot_id():
    event = EventFactory(paid=True, capacity=3)
    client = signed_in()
    register(client, event)  # pending: "Pay" and "Cancel" side by side
    offered = RegistrationFactory(
        event=EventFactory(capacity=1), status=Registration.Status.OFFERED, offered_at=timezone.now()
    )

    for page in (
        client.get(event.get_absolute_url()),
        signed_in(offered.user).get(f"/events/{offered.event.slug}/take-seat/"),
    ):
        ids = re.findall(r'\bid="([^"]+)"', page.content.decode())
        assert len([i for i in ids if i.endswith("website")]) == 2
        assert len(ids) == len(set(ids))
