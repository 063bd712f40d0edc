"""The calendar's demo content: the seed's events at their next occurrence, and the menus."""

import io
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from ala_site.models import NavLink
from events import demo
from events.models import Event
from membership import demo as membership_demo
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

SEED_TITLES = {
    "Going Straight to the Source with Senior Advisory Boards (SABs)": (1, 7),
    "Beyond Your Department: Uniting Catalogers": (1, 13),
    "Passports & Notaries @ Your Library": (1, 14),
    "CORE/RUSA Webinar- From Goals to Impact: Library User Stories": (1, 20),
    "Next Gen Tools for SWOT Analysis and Strategic Insight": (1, 21),
    "How It Feels to Be Me: Understanding Autism Spectrum Disorder": (1, 21),
    "Leadership Skills Through Professional Service": (1, 21),
}


def quiet(*args):
    pass


def on(day):
    return time_machine.travel(datetime.combine(day, time(12), tzinfo=ZoneInfo(settings.TIME_ZONE)))


def test_the_seeds_events_fall_on_their_next_future_occurrence():
    with on(date(2026, 11, 26)):
        demo.seed(log=quiet)
    for title, (month, day) in SEED_TITLES.items():
        event = Event.objects.get(title=title)
        starts = timezone.localtime(event.starts_at)
        assert (starts.year, starts.month, starts.day) == (2027, month, day), title
        assert event.is_published and event.summary and "<p>" in event.description_html
    course = Event.objects.get(slug="fundamentals-of-cataloging-session-1")
    assert course.title == "Fundamentals of Cataloging 2027 - Session 1.0"
    assert course.kind == Event.Kind.ECOURSE
    assert timezone.localtime(course.starts_at).date() == date(2027, 1, 26)
    assert timezone.localtime(course.ends_at).date() == date(2027, 3, 6)  # the six weeks kept
    assert Event.objects.get(slug="how-it-feels-to-be-me").platform == "Zoom"


def test_a_date_still_ahead_this_year_stays_in_this_year():
    with on(date(2027, 1, 10)):
        demo.seed(log=quiet)
    passports = Event.objects.get(slug="passports-and-notaries")
    assert timezone.localtime(passports.starts_at).date() == date(2027, 1, 14)
    sabs = Event.objects.get(slug="senior-advisory-boards")
    assert timezone.localtime(sabs.starts_at).date() == date(2028, 1, 7)


def test_the_featured_virtual_event_is_free_for_student_members():
    membership_demo.seed(log=quiet)
    demo.seed(log=quiet)
    event = Event.objects.get(slug="recharging-in-challenging-times")
    assert event.is_featured and event.kind == Event.Kind.VIRTUAL_EVENT
    assert event.starts_at > timezone.now()
    assert event.on_demand_until > timezone.localdate(event.ends_at)
    assert [(p.membership_type.slug, p.price) for p in event.type_prices.all()] == [("student", Decimal("0.00"))]
    assert list(Event.objects.featured()) == [event]


def test_every_demo_page_and_feed_answers(client):
    demo.seed(log=quiet)
    assert client.get("/events/").status_code == 200
    assert len(client.get("/events/").context["page"]) == len(demo.EVENTS) + 1
    for event in Event.objects.all():
        assert client.get(event.get_absolute_url()).status_code == 200
        ics = client.get(f"/events/{event.slug}/ics/")
        assert len(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")) == 1
    feed = icalendar.Calendar.from_ical(client.get("/events/calendar.ics").content)
    assert len(feed.walk("VEVENT")) == len(demo.EVENTS) + 1


def test_seeding_again_adds_nothing_and_keeps_staff_changes():
    demo.seed(log=quiet)
    event = Event.objects.get(slug="passports-and-notaries")
    event.member_price, event.title, event.is_published = Decimal("10.00"), "Passports at the library", False
    event.updated_by = StaffFactory()
    event.save()
    count = Event.objects.count()

    demo.seed(log=quiet)

    event.refresh_from_db()
    assert Event.objects.count() == count
    assert (event.member_price, event.title, event.is_published) == (
        Decimal("10.00"),
        "Passports at the library",
        False,
    )


def test_volume_adds_generated_events_once():
    demo.seed(volume=25, log=quiet)
    demo.seed(volume=25, log=quiet)
    generated = Event.objects.filter(slug__startswith="generated-event-")
    assert generated.count() == 25
    assert all(event.description_html.startswith("<p>") for event in generated)
    assert generated.filter(member_price=0).exists() and generated.filter(member_price__gt=0).exists()


def test_seed_demo_points_the_menus_at_the_calendar():
    call_command("seed_demo", stdout=io.StringIO())
    main = dict(NavLink.objects.filter(menu=NavLink.Menu.MAIN).values_list("label", "url"))
    assert main["Conferences & Events"] == "/events/"
    assert main["Education & Careers"] == "/events/"
    assert main["eLearning"] == "/events/"
    assert Event.objects.filter(slug="recharging-in-challenging-times").exists()


def test_a_menu_link_staff_changed_stays_theirs():
    call_command("seed_demo", stdout=io.StringIO())
    NavLink.objects.filter(label="Conferences & Events").update(
        url="https://www.ala.org/conferences-events", updated_by=StaffFactory()
    )
    NavLink.objects.filter(label="eLearning").update(url="https://www.ala.org/educational-resources/elearning")

    call_command("seed_demo", stdout=io.StringIO())

    assert NavLink.objects.get(label="Conferences & Events").url == "https://www.ala.org/conferences-events"
    assert NavLink.objects.get(label="eLearning").url == "/events/"
