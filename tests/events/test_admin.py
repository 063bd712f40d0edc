"""Events in admin: the list, the form's bad-input messages, and registrations with a CSV export."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Registration
from tests.events.factories import EventFactory, RegistrationFactory
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def form_data(**overrides):
    start = timezone.localtime(timezone.now() + timedelta(days=30)).replace(hour=13, minute=0, second=0)
    data = {
        "title": "Leadership Skills Through Professional Service",
        "slug": "leadership-skills",
        "kind": "webinar",
        "organiser": "Core",
        "summary": "Choose service that builds your career.",
        "description": "Bring **questions**.",
        "starts_at_0": start.strftime("%Y-%m-%d"),
        "starts_at_1": "13:00:00",
        "ends_at_0": start.strftime("%Y-%m-%d"),
        "ends_at_1": "14:00:00",
        "attendance": "online",
        "platform": "Zoom",
        "joining_url": "",
        "venue": "",
        "address": "",
        "member_price": "0.00",
        "non_member_price": "0.00",
        "capacity": "",
        "registration_opens_at_0": "",
        "registration_opens_at_1": "",
        "registration_closes_at_0": "",
        "registration_closes_at_1": "",
        "on_demand_until": "",
        "image_alt": "",
        "is_published": "on",
        "type_prices-TOTAL_FORMS": "0",
        "type_prices-INITIAL_FORMS": "0",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_staff_add_an_event_in_chicago_time(admin_client):
    response = admin_client.post(reverse("admin:events_event_add"), form_data())

    assert response.status_code == 302, response.context["adminform"].form.errors
    event = Event.objects.get(slug="leadership-skills")
    assert timezone.localtime(event.starts_at).hour == 13
    assert str(timezone.localtime(event.starts_at).tzinfo) == "America/Chicago"
    assert "<strong>questions</strong>" in event.description_html
    assert event.updated_by is not None


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"ends_at_1": "12:00:00"}, "ends_at", "The end must be after the start."),
        ({"ends_at_1": "13:00:00"}, "ends_at", "The end must be after the start."),
        ({"capacity": "-5"}, "capacity", "Ensure this value is greater than or equal to 0."),
        ({"member_price": "-1.00"}, "member_price", "Ensure this value is greater than or equal to 0."),
        ({"non_member_price": "-0.01"}, "non_member_price", "Ensure this value is greater than or equal to 0."),
        ({"attendance": "in_person"}, "address", "Give the address of an in-person event."),
        (
            {
                "registration_opens_at_0": "2030-01-02",
                "registration_opens_at_1": "10:00:00",
                "registration_closes_at_0": "2030-01-01",
                "registration_closes_at_1": "10:00:00",
            },
            "registration_closes_at",
            "Registration must close after it opens.",
        ),
    ],
)
def test_bad_input_is_a_clear_form_error_and_nothing_is_saved(admin_client, overrides, field, message):
    response = admin_client.post(reverse("admin:events_event_add"), form_data(**overrides))

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors[field] == [message]
    # One clear message, not a second one naming the database constraint.
    assert "violated" not in response.content.decode()
    assert not Event.objects.exists()


def test_a_slug_that_names_another_page_is_refused(admin_client):
    response = admin_client.post(reverse("admin:events_event_add"), form_data(slug="past"))
    assert response.context["adminform"].form.errors["slug"] == [
        "“past” is the address of another page: choose another slug."
    ]
    assert not Event.objects.exists()


def test_the_list_shows_status_and_seats(admin_client):
    now = timezone.now()
    upcoming = EventFactory(title="Upcoming one", capacity=20)
    RegistrationFactory.create_batch(2, event=upcoming)
    RegistrationFactory(event=upcoming, status=Registration.Status.CANCELLED)
    EventFactory(title="Live one", starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(minutes=50))
    EventFactory(title="Past one", past=True)
    EventFactory(title="Hidden one", is_published=False)

    response = admin_client.get(reverse("admin:events_event_changelist"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Starts (Chicago time)" in html
    rows = {event.title: event for event in response.context["cl"].result_list}
    admin = response.context["cl"].model_admin
    assert {title: admin.status(event) for title, event in rows.items()} == {
        "Upcoming one": "Upcoming",
        "Live one": "Live",
        "Past one": "Past",
        "Hidden one": "Unpublished",
    }
    assert admin.seats(rows["Upcoming one"]) == "2 / 20"
    assert admin.seats(rows["Past one"]) == "0 (no limit)"
    past = admin_client.get(reverse("admin:events_event_changelist"), {"status": "expired"})
    assert [event.title for event in past.context["cl"].result_list] == ["Past one"]


def test_the_change_page_lists_registrations_read_only(admin_client):
    event = EventFactory(paid=True)
    person = UserFactory(first_name="Ana", last_name="Reader", email="ana@example.org")
    RegistrationFactory(event=event, user=person, price=Decimal("45.00"))

    response = admin_client.get(reverse("admin:events_event_change", args=[event.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Ana Reader" in html and "ana@example.org" in html
    assert "Download as CSV" in html
    assert "Chicago time" in html


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_one_events_registrations_as_csv(admin_client):
    event = EventFactory(title="SWOT", paid=True)
    member = UserFactory(first_name="Ana", last_name="Reader", email="ana@example.org")
    RegistrationFactory(event=event, user=member, was_member=True, price=Decimal("25.00"))
    RegistrationFactory(
        event=event,
        user=UserFactory(first_name="=cmd", last_name="X", email="bo@example.org"),
        status=Registration.Status.PENDING,
        price=Decimal("45.00"),
    )
    RegistrationFactory(user=UserFactory(email="elsewhere@example.org"))  # another event's

    rows = read_csv(admin_client.get(reverse("admin:events_event_registrations_csv", args=[event.pk])))

    assert rows[0] == ["event", "starts", "name", "email", "member", "status", "price", "paid", "registered"]
    assert [row[2:8] for row in rows[1:]] == [
        ["Ana Reader", "ana@example.org", "yes", "Confirmed", "25.00", "yes"],
        ["'=cmd X", "bo@example.org", "no", "Awaiting payment", "45.00", "no"],
    ]


def test_export_action_on_events_and_on_registrations(admin_client):
    first, second = EventFactory(), EventFactory()
    RegistrationFactory(event=first, user=UserFactory(email="a@example.org"))
    RegistrationFactory(event=second, user=UserFactory(email="b@example.org"), status=Registration.Status.REFUNDED)
    RegistrationFactory(user=UserFactory(email="c@example.org"))

    rows = read_csv(
        admin_client.post(
            reverse("admin:events_event_changelist"),
            {"action": "export_registrations", "_selected_action": [first.pk, second.pk]},
        )
    )
    assert sorted(row[3] for row in rows[1:]) == ["a@example.org", "b@example.org"]
    assert [row[7] for row in rows[1:] if row[3] == "b@example.org"] == ["refunded"]

    chosen = Registration.objects.filter(user__email="c@example.org")
    rows = read_csv(
        admin_client.post(
            reverse("admin:events_registration_changelist"),
            {"action": "export_csv", "_selected_action": [chosen.get().pk]},
        )
    )
    assert [row[3] for row in rows[1:]] == ["c@example.org"]
    assert rows[1][7] == "free"


def test_registrations_cannot_be_added_or_edited_in_admin(admin_client):
    registration = RegistrationFactory()
    assert admin_client.get(reverse("admin:events_registration_add")).status_code == 403
    page = admin_client.get(reverse("admin:events_registration_change", args=[registration.pk]))
    assert page.status_code == 200
    assert b'name="status"' not in page.content
    listing = admin_client.get(reverse("admin:events_registration_changelist"), {"q": registration.user.email})
    assert list(listing.context["cl"].result_list) == [registration]


def test_the_csv_needs_permission(client):
    event = EventFactory()
    client.force_login(StaffFactory())
    assert client.get(reverse("admin:events_event_registrations_csv", args=[event.pk])).status_code == 403
    client.force_login(UserFactory())
    assert client.get(reverse("admin:events_event_registrations_csv", args=[event.pk])).status_code == 302
