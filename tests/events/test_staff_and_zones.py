"""Events staff and their dashboard panel; in-person events show the venue's local time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from events.models import Registration
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import visible_text

from .factories import EventFactory, RegistrationFactory

pytestmark = pytest.mark.django_db


def test_an_in_person_event_elsewhere_shows_chicago_and_local_times(client):
    starts = datetime(2027, 3, 4, 9, 0, tzinfo=ZoneInfo("America/New_York"))
    event = EventFactory(
        in_person=True, time_zone="America/New_York", starts_at=starts, ends_at=starts + timedelta(hours=2)
    )

    text = visible_text(client.get(event.get_absolute_url()).content)

    assert "8:00 AM – 10:00 AM" in text  # Chicago
    assert "Local time there (Eastern (New York)): Thursday, March 4, 9:00 AM – 11:00 AM" in text


def test_an_online_event_shows_only_the_associations_time(client):
    event = EventFactory(time_zone="America/New_York")

    assert "Local time there" not in visible_text(client.get(event.get_absolute_url()).content)


def staff_client(group_name):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=group_name))
    client = Client()
    client.force_login(user)
    return client


def test_events_staff_see_events_and_registrations_but_cannot_edit_registrations():
    client = staff_client("Events staff")
    registration = RegistrationFactory()

    assert client.get("/admin/events/event/").status_code == 200
    assert client.get("/admin/events/event/add/").status_code == 200
    assert client.get("/admin/events/registration/").status_code == 200
    assert client.get(f"/admin/events/registration/{registration.pk}/delete/").status_code == 403
    assert client.get("/admin/store/order/").status_code == 403


def test_the_events_panel_counts_what_waits_and_links_to_those_rows():
    soon = EventFactory(starts_at=timezone.now() + timedelta(days=2))
    EventFactory(starts_at=timezone.now() + timedelta(days=20))
    RegistrationFactory(event=soon, status=Registration.Status.PENDING)
    RegistrationFactory(event=soon, status=Registration.Status.WAITLISTED, user=UserFactory())
    old = EventFactory(past=True)
    RegistrationFactory(event=old, status=Registration.Status.PENDING)
    client = staff_client("Events staff")

    page = client.get("/admin/").content.decode()
    text = visible_text(page)

    assert "Events" in text
    for label in ["Starting in the next 7 days", "Registrations awaiting payment", "People on a waitlist"]:
        assert label in text
    pending = client.get("/admin/events/registration/?status__exact=pending&event_when=upcoming")
    assert pending.status_code == 200
    assert "1 registration" in visible_text(pending.content)
    assert "Memberships" not in text and "Orders" not in text


def test_the_event_list_in_admin_counts_only_seats_still_held(admin_client):
    from events.models import PENDING_HOLD

    event = EventFactory(capacity=10)
    RegistrationFactory(event=event)
    lapsed = RegistrationFactory(event=event, status=Registration.Status.PENDING)
    Registration.objects.filter(pk=lapsed.pk).update(created_at=timezone.now() - PENDING_HOLD - timedelta(minutes=1))

    text = visible_text(admin_client.get("/admin/events/event/").content)

    assert "1 / 10" in text
