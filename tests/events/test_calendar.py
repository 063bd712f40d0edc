"""The public calendar: /events/, the past-events archive, and one event's page."""

import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ala_site import page_cache
from events.models import Event, EventTypePrice
from membership.models import MembershipType
from tests.events.factories import EventFactory
from tests.factories import StaffFactory
from tests.sitemap_utils import path_of, section_entries, sitemap_paths

pytestmark = pytest.mark.django_db


def titles(response):
    return [event.title for event in response.context["page"]]


def json_ld(response):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    return json.loads(match[1])


def test_the_calendar_lists_upcoming_published_events_soonest_first(client):
    now = timezone.now()
    later = EventFactory(title="Later", starts_at=now + timedelta(days=20))
    soon = EventFactory(title="Soon", starts_at=now + timedelta(days=2))
    EventFactory(title="Over", starts_at=now - timedelta(days=3))
    EventFactory(title="Draft", is_published=False)
    # An eCourse under way is still upcoming until it ends.
    course = EventFactory(
        title="Course", kind=Event.Kind.ECOURSE, starts_at=now - timedelta(days=7), ends_at=now + timedelta(days=30)
    )

    response = client.get(reverse("events:list"))

    assert response.status_code == 200
    assert titles(response) == [course.title, soon.title, later.title]
    html = response.content.decode()
    assert "Over" not in html and "Draft" not in html
    assert f'href="{soon.get_absolute_url()}"' in html


def test_the_past_archive_lists_ended_events_newest_first(client):
    now = timezone.now()
    EventFactory(title="Next week")
    older = EventFactory(title="Last month", starts_at=now - timedelta(days=30))
    newer = EventFactory(title="Last week", starts_at=now - timedelta(days=7))

    for url in (reverse("events:past"), reverse("events:list") + "?when=past"):
        response = client.get(url)
        assert response.status_code == 200
        assert titles(response) == [newer.title, older.title]
        assert "Past events" in response.content.decode()


def test_filter_by_kind_price_and_month(client):
    start = timezone.localtime(timezone.now() + timedelta(days=40)).replace(day=10, hour=13, minute=0, second=0)
    webinar = EventFactory(title="Free webinar", starts_at=start)
    paid = EventFactory(title="Paid webinar", paid=True, starts_at=start + timedelta(hours=3))
    course = EventFactory(
        title="Course", kind=Event.Kind.ECOURSE, starts_at=start, ends_at=start + timedelta(weeks=6), paid=True
    )
    elsewhere = EventFactory(title="Other month", starts_at=start + timedelta(days=70))
    url = reverse("events:list")

    assert titles(client.get(url, {"kind": "ecourse"})) == [course.title]
    assert set(titles(client.get(url, {"price": "free"}))) == {webinar.title, elsewhere.title}
    assert set(titles(client.get(url, {"price": "paid"}))) == {paid.title, course.title}
    month = start.strftime("%Y-%m")
    in_month = titles(client.get(url, {"month": month}))
    assert set(in_month) == {webinar.title, paid.title, course.title}
    # The six-week course is under way the following month too.
    following = (start + timedelta(days=31)).strftime("%Y-%m")
    assert course.title in titles(client.get(url, {"month": following}))
    response = client.get(url, {"kind": "webinar", "price": "paid", "month": month})
    assert titles(response) == [paid.title]
    assert 'value="webinar" selected' in response.content.decode()


@pytest.mark.parametrize(
    "params", [{"kind": "party"}, {"price": "cheap"}, {"month": "2026-13"}, {"month": "nonsense"}, {"page": "x"}]
)
def test_unknown_filter_values_are_ignored_not_errors(client, params):
    event = EventFactory()
    response = client.get(reverse("events:list"), params)
    assert response.status_code == 200
    assert titles(response) == [event.title]


def test_pages_of_twelve(client):
    start = timezone.now() + timedelta(days=1)
    for number in range(14):
        EventFactory(title=f"Event {number:02d}", starts_at=start + timedelta(hours=number))

    first = client.get(reverse("events:list"))
    second = client.get(reverse("events:list"), {"page": 2})

    assert titles(first) == [f"Event {n:02d}" for n in range(12)]
    assert titles(second) == ["Event 12", "Event 13"]
    assert 'aria-label="Pages of events"' in first.content.decode()


def test_cards_say_free_where_a_price_is_zero(client):
    EventFactory(title="Free for members", member_price=Decimal("0.00"), non_member_price=Decimal("43.00"))
    EventFactory(title="Free for all")
    html = client.get(reverse("events:list")).content.decode()
    assert "Members free · Non-members $43.00" in html
    assert "Free · Public Library Association" in html


def test_empty_states(client):
    response = client.get(reverse("events:list"))
    assert "No events are scheduled right now" in response.content.decode()
    EventFactory()
    response = client.get(reverse("events:list"), {"kind": "workshop"})
    html = response.content.decode()
    assert "No events match these filters" in html
    assert "See all upcoming events" in html
    assert "There are no past events yet" in client.get(reverse("events:past")).content.decode()


def test_the_calendar_accepts_head_and_refuses_post(client):
    assert client.head(reverse("events:list")).status_code == 200
    assert client.post(reverse("events:list")).status_code == 405


def test_an_event_page_shows_its_details_in_chicago_time(client):
    # 18:00 UTC in January is noon in Chicago.
    start = timezone.now().replace(month=1, day=21, hour=18, minute=0, second=0, microsecond=0)
    start = start.replace(year=start.year + 1)
    event = EventFactory(
        title="How It Feels to Be Me",
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        description="Learn **terminology**.\n\n<script>alert(1)</script>",
        organiser="Association of Specialized, Government and Cooperative Library Agencies",
        paid=True,
    )

    response = client.get(event.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="h2">How It Feels to Be Me</h1>' in html
    assert "12:00 PM – " in html and "1:30 PM</time> Chicago time" in html
    assert "<strong>terminology</strong>" in html
    assert "<script>alert(1)</script>" not in html
    assert "Members: $25.00" in html and "Non-members: $45.00" in html
    assert event.joining_url not in html  # for confirmed registrants only
    assert f'href="{reverse("events:ics", args=[event.slug])}"' in html
    assert 'data-testid="registration"' in html  # the registration control's slot
    assert f'<link rel="canonical" href="http://testserver{event.get_absolute_url()}">' in html.replace(
        "http://127.0.0.1:8000", "http://testserver"
    )
    assert '<meta property="og:title" content="How It Feels to Be Me">' in html


def test_an_in_person_event_shows_its_place(client):
    event = EventFactory(in_person=True)
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Harold Washington Library Center" in html
    assert "400 S State St, Chicago, IL 60605" in html


def test_json_ld_for_an_online_event(client, settings):
    event = EventFactory(paid=True, organiser="Core")
    data = json_ld(client.get(event.get_absolute_url()))
    assert data["@type"] == "Event"
    assert data["name"] == event.title
    assert data["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert data["location"] == {"@type": "VirtualLocation", "url": settings.SITE_URL + event.get_absolute_url()}
    assert {(offer["name"], offer["price"]) for offer in data["offers"]} == {
        ("Members", "25.00"),
        ("Non-members", "45.00"),
    }
    assert data["organizer"]["name"] == "Core, American Library Association"
    assert data["startDate"] == timezone.localtime(event.starts_at).isoformat()


def test_json_ld_for_in_person_and_mixed_events(client):
    in_person = json_ld(client.get(EventFactory(in_person=True).get_absolute_url()))
    assert in_person["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert in_person["location"]["@type"] == "Place"
    assert in_person["location"]["address"]["streetAddress"] == "400 S State St, Chicago, IL 60605"
    mixed = json_ld(client.get(EventFactory(in_person=True, attendance=Event.Attendance.MIXED).get_absolute_url()))
    assert mixed["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert [place["@type"] for place in mixed["location"]] == ["Place", "VirtualLocation"]


def test_a_price_for_a_membership_type_is_shown(client):
    student, _ = MembershipType.objects.get_or_create(
        slug="student", defaults={"name": "Student", "annual_dues": Decimal("33.00")}
    )
    event = EventFactory(paid=True)
    EventTypePrice.objects.create(event=event, membership_type=student, price=Decimal("0.00"))
    assert "Student members: free" in client.get(event.get_absolute_url()).content.decode()


def test_an_unpublished_event_is_hidden_except_from_staff(client):
    event = EventFactory(is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:ics", args=[event.slug])).status_code == 404
    client.force_login(StaffFactory())
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "only staff can see this page" in response.content.decode()


def test_an_unknown_event_is_a_404(client):
    assert client.get(reverse("events:detail", args=["no-such-event"])).status_code == 404


def test_a_past_event_says_it_has_ended(client):
    event = EventFactory(past=True, on_demand_until=timezone.localdate() + timedelta(days=30))
    html = client.get(event.get_absolute_url()).content.decode()
    assert "This event has ended." in html
    assert "Registrants can watch the recordings until" in html


# Query counts: the demo loads nine events; ten times that costs the same. ------------------


def query_count(client, url):
    client.get(url)  # warm the caches every page shares (site settings, sections)
    page_cache.bump()  # it stored the whole page too: renew it, so the counted request renders
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), [query["sql"] for query in captured]


@pytest.mark.parametrize(
    "url",
    ["/events/", "/events/?page=2", "/events/?kind=webinar&price=paid", "/events/past/", "/events/calendar.ics"],
)
def test_calendar_pages_cost_the_same_queries_at_ten_times_the_demo_volume(client, url):
    def add(count):
        for number in range(count):
            EventFactory(paid=number % 2, past=number % 3 == 0)

    add(9)
    few, _ = query_count(client, url)
    add(81)
    many, sql = query_count(client, url)
    assert few == many, sql


def test_an_event_page_costs_the_same_queries_however_many_events_and_prices(client):
    student, _ = MembershipType.objects.get_or_create(
        slug="student", defaults={"name": "Student", "annual_dues": Decimal("33.00")}
    )
    event = EventFactory(paid=True)
    few, _ = query_count(client, event.get_absolute_url())
    EventTypePrice.objects.create(event=event, membership_type=student, price=Decimal("0.00"))
    EventFactory.create_batch(20)
    many, sql = query_count(client, event.get_absolute_url())
    assert few == many, sql


def test_the_sitemap_lists_the_calendar_and_archive_changed_when_an_event_last_ended(client):
    ended = EventFactory(past=True)
    EventFactory()  # not over yet
    # Both last edited well before the one ended (the sitemap shows dates, so days apart).
    Event.objects.update(updated_at=ended.ends_at - timedelta(days=3))
    page_cache.bump()

    entries = {path_of(location): lastmod for location, lastmod in section_entries(client, "/sitemap-event-pages.xml")}

    assert set(entries) == {"/events/", "/events/past/"}
    # The calendar and archive changed when the event ended (it moved to the archive), by the clock alone.
    assert set(entries.values()) == {ended.ends_at.date().isoformat()}


def test_the_sitemap_lists_published_events(client):
    shown, hidden = EventFactory(), EventFactory(is_published=False)
    past = EventFactory(past=True)
    paths = sitemap_paths(client)
    assert shown.get_absolute_url() in paths
    assert past.get_absolute_url() in paths
    assert hidden.get_absolute_url() not in paths
