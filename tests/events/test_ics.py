"""iCalendar files: one event, and the subscription feed of upcoming events."""

from datetime import timedelta

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ala_site import page_cache
from events.models import Event
from tests.events.factories import EventFactory

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def vevents(calendar):
    return calendar.walk("VEVENT")


def test_one_event_as_ics(client, settings):
    event = EventFactory(title="Passports & Notaries @ Your Library", summary="A 60 minute webinar.")

    response = client.get(reverse("events:ics", args=[event.slug]))

    calendar = parse(response)
    assert response["Content-Disposition"] == f'attachment; filename="{event.slug}.ics"'
    assert calendar["version"] == "2.0"
    assert calendar["prodid"]
    (item,) = vevents(calendar)
    host = settings.SITE_URL.split("://")[1].split(":")[0]
    assert str(item["uid"]) == f"event-{event.pk}@{host}"
    assert str(item["summary"]) == "Passports & Notaries @ Your Library"
    assert item.decoded("dtstart") == event.starts_at
    assert item.decoded("dtend") == event.ends_at
    assert item.decoded("dtstamp") is not None
    url = settings.SITE_URL + event.get_absolute_url()
    assert str(item["url"]) == url
    assert str(item["description"]) == f"A 60 minute webinar.\n\nDetails and registration: {url}"
    assert str(item["location"]) == "Zoom"
    # The joining link is for confirmed registrants only.
    assert event.joining_url not in response.content.decode()


def test_an_edit_keeps_the_uid_and_raises_the_sequence(client):
    event = EventFactory()
    url = reverse("events:ics", args=[event.slug])
    (before,) = vevents(parse(client.get(url)))

    Event.objects.filter(pk=event.pk).update(
        title="Moved",
        starts_at=event.starts_at + timedelta(days=1),
        ends_at=event.ends_at + timedelta(days=1),
        updated_at=event.updated_at + timedelta(minutes=5),
    )
    page_cache.bump()  # the update above went behind the ORM's signals, which renew shared pages
    (after,) = vevents(parse(client.get(url)))

    assert after["uid"] == before["uid"]
    assert int(after["sequence"]) > int(before["sequence"])
    assert after.decoded("last-modified") > before.decoded("last-modified")
    assert str(after["summary"]) == "Moved"


def test_an_in_person_event_gives_its_place(client):
    event = EventFactory(in_person=True)
    (item,) = vevents(parse(client.get(reverse("events:ics", args=[event.slug]))))
    assert str(item["location"]) == "Harold Washington Library Center, 400 S State St, Chicago, IL 60605"


def test_the_feed_lists_upcoming_published_events(client):
    now = timezone.now()
    soon = EventFactory(title="Soon", starts_at=now + timedelta(days=1))
    later = EventFactory(title="Later", starts_at=now + timedelta(days=9))
    EventFactory(title="Over", past=True)
    EventFactory(title="Draft", is_published=False)

    response = client.get(reverse("events:calendar"))

    calendar = parse(response)
    assert [str(item["summary"]) for item in vevents(calendar)] == [soon.title, later.title]
    assert str(calendar["x-wr-calname"]) == "American Library Association events"
    assert response["Content-Disposition"].startswith("inline")
    uids = [str(item["uid"]) for item in vevents(calendar)]
    assert len(set(uids)) == 2


def test_an_empty_feed_is_still_a_valid_calendar(client):
    calendar = parse(client.get(reverse("events:calendar")))
    assert vevents(calendar) == []


def test_the_feeds_accept_head_and_refuse_post(client):
    event = EventFactory()
    for url in (reverse("events:calendar"), reverse("events:ics", args=[event.slug])):
        assert client.head(url).status_code == 200
        assert client.post(url).status_code == 405


def test_the_feed_costs_the_same_queries_for_ten_times_the_events(client):
    def count():
        client.get(reverse("events:calendar"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("events:calendar"))
        assert response.status_code == 200
        return len(captured), captured

    EventFactory.create_batch(3)
    few, _ = count()
    EventFactory.create_batch(30)
    many, captured = count()
    assert few == many, [query["sql"] for query in captured]
    assert len(vevents(icalendar.Calendar.from_ical(client.get(reverse("events:calendar")).content))) == 33
