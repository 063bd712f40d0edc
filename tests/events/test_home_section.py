"""The landing page's "Upcoming eLearning Opportunities" carousel and the featured event in the hero."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ala_site.models import Promo
from events.models import Event
from events.templatetags.events_tags import UPCOMING_SHOWN, upcoming_elearning
from tests.ala_site.factories import PromoFactory
from tests.html_utils import headings, links, visible_text

from .factories import EventFactory

pytestmark = pytest.mark.django_db


def next_year_at(month, day, hour=14):
    return timezone.make_aware(datetime(timezone.localdate().year + 1, month, day, hour))


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page):
    """The eLearning section's HTML ("" when the page has none)."""
    match = re.search(r'<div class="home-section container upcoming-elearning">.*?</section>', page, re.S)
    return match.group(0) if match else ""


def hero(page):
    match = re.search(r'<section id="hero-carousel".*?</section>', page, re.S)
    return match.group(0) if match else ""


def cards(page):
    """The visible text of each event card, in order."""
    parts = re.split(r"data-carousel-slide>", section(page))[1:]
    return [visible_text(part.split("</article>")[0]) for part in parts]


def card_titles(page):
    return headings(section(page), levels={"h3"})


def test_section_shows_each_event_with_its_link_summary_and_platform(client):
    event = EventFactory(title="Passports & Notaries @ Your Library", platform="Zoom", summary="A 60 minute webinar.")

    page = home(client)

    assert "Upcoming eLearning Opportunities" in headings(page, levels={"h2"})
    assert (event.get_absolute_url(), "Passports & Notaries @ Your Library") in links(section(page))
    assert ("/events/", "See all eLearning") in links(section(page))
    [card] = cards(page)
    assert "A 60 minute webinar." in card
    assert "Zoom" in card


def test_date_badge_of_a_one_day_event_is_its_day_and_month(client):
    EventFactory(starts_at=next_year_at(1, 7), ends_at=next_year_at(1, 7, 15))

    [card] = cards(home(client))

    assert card.startswith("07 Jan eLearning")


def test_date_badge_of_a_course_over_weeks_is_a_range(client):
    EventFactory(kind=Event.Kind.ECOURSE, starts_at=next_year_at(1, 26), ends_at=next_year_at(3, 6))

    [card] = cards(home(client))

    assert card.startswith("26 Jan – 06 Mar eLearning")
    assert f'<time datetime="{timezone.localdate().year + 1}-03-06">' in section(home(client))


def test_date_badge_uses_the_associations_timezone(client, settings):
    # 02:30 UTC on 8 January is still the evening of 7 January in Chicago.
    starts = datetime(timezone.localdate().year + 1, 1, 8, 2, 30, tzinfo=UTC)
    settings.TIME_ZONE = "America/Chicago"
    EventFactory(starts_at=starts, ends_at=starts + timedelta(hours=1))

    [card] = cards(home(client))

    assert card.startswith("07 Jan ")


@pytest.mark.parametrize(
    "kind, badges",
    [
        (Event.Kind.WEBINAR, "eLearning Webinar"),
        (Event.Kind.ECOURSE, "eLearning"),
        (Event.Kind.WORKSHOP, "eLearning Workshop"),
        (Event.Kind.VIRTUAL_EVENT, "eLearning Virtual event"),
    ],
)
def test_kind_badges(client, kind, badges):
    EventFactory(title="The event", kind=kind, starts_at=next_year_at(1, 7), ends_at=next_year_at(1, 7, 15))

    [card] = cards(home(client))

    assert card.startswith(f"07 Jan {badges} The event")


def test_shows_the_next_events_soonest_first_each_once(client):
    soon = timezone.now() + timedelta(days=1)
    events = [EventFactory(starts_at=soon + timedelta(days=day)) for day in range(UPCOMING_SHOWN + 3)]
    # An eCourse under way is still upcoming; past and unpublished events are not.
    under_way = EventFactory(
        title="Course under way", starts_at=soon - timedelta(days=10), ends_at=soon + timedelta(days=30)
    )
    EventFactory(title="Over", past=True)
    EventFactory(title="Hidden", is_published=False, starts_at=soon)

    titles = card_titles(home(client))

    assert titles == [under_way.title] + [event.title for event in events[: UPCOMING_SHOWN - 1]]
    assert len(set(titles)) == len(titles)
    assert "Over" not in titles and "Hidden" not in titles


def test_carousel_names_each_card_by_its_place(client):
    for day in range(3):
        EventFactory(starts_at=timezone.now() + timedelta(days=day + 1))

    page = section(home(client))

    assert re.findall(r'aria-label="(\d of \d)"', page) == ["1 of 3", "2 of 3", "3 of 3"]
    assert 'aria-live="polite"' in page
    assert "Previous events" in visible_text(page) and "Next events" in visible_text(page)


def test_featured_event_is_in_the_hero_and_not_in_the_list(client):
    featured = EventFactory(title="Recharging in Challenging Times", is_featured=True, summary="Join us online.")
    other = EventFactory(title="Uniting Catalogers")
    PromoFactory(slot=Promo.Slot.HERO, title="Celebrating ALA's 150th Anniversary")

    page = home(client)

    assert (featured.get_absolute_url(), "Register Now!: Recharging in Challenging Times") in links(hero(page))
    assert "Join us online." in visible_text(hero(page))
    # One carousel: the event's slide first, then the promos, numbered together.
    assert re.findall(r'aria-label="(\d of \d)"', hero(page)) == ["1 of 2", "2 of 2"]
    assert headings(hero(page)) == ["Recharging in Challenging Times", "Celebrating ALA's 150th Anniversary"]
    assert card_titles(page) == [other.title]
    assert [href for href, _ in links(page)].count(featured.get_absolute_url()) == 1


def test_featured_event_leaves_the_hero_once_it_is_over(client):
    EventFactory(title="Recharging in Challenging Times", is_featured=True, past=True)

    assert "Recharging in Challenging Times" not in home(client)


def test_no_events_no_section(client):
    EventFactory(past=True)

    page = home(client)

    assert "Upcoming eLearning Opportunities" not in page


def test_a_change_shows_at_the_next_request(client):
    event = EventFactory(title="Old title")
    assert card_titles(home(client)) == ["Old title"]

    event.title = "New title"
    event.save()
    assert card_titles(home(client)) == ["New title"]

    event.is_featured = True
    event.save()
    page = home(client)
    assert card_titles(page) == []
    assert "New title" in headings(hero(page))

    event.delete()
    assert "New title" not in home(client)


def test_section_expires_when_the_first_shown_event_ends():
    soon = timezone.now() + timedelta(hours=2)
    EventFactory(starts_at=soon - timedelta(days=3), ends_at=soon + timedelta(days=40))
    short = EventFactory(starts_at=soon, ends_at=soon + timedelta(hours=1))

    assert upcoming_elearning()["cache_until"] == short.ends_at


def landing_queries(client):
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        page = home(client)
    return len(queries), page


def test_landing_page_queries_do_not_grow_with_events(client):
    def make(count):
        soon = timezone.now() + timedelta(days=1)
        for day in range(count):
            EventFactory(starts_at=soon + timedelta(days=day))
            EventFactory(starts_at=soon + timedelta(days=day), is_featured=True)

    landing_queries(client)  # the first visit makes the site's settings row
    make(UPCOMING_SHOWN)
    few, page = landing_queries(client)
    assert len(card_titles(page)) == UPCOMING_SHOWN

    make(UPCOMING_SHOWN * 9)
    many, page = landing_queries(client)
    assert len(card_titles(page)) == UPCOMING_SHOWN

    assert many == few


def test_seed_demo_retires_the_old_hero_promo_unless_staff_edited_it(client):
    from django.core.management import call_command

    from tests.factories import UserFactory

    typed = PromoFactory(slot=Promo.Slot.HERO, title="Recharging in Challenging Times")
    edited = PromoFactory(slot=Promo.Slot.HERO, title="Recharging in Challenging Times", updated_by=UserFactory())
    home(client)  # the hero is cached with the promo in it

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    typed.refresh_from_db()
    edited.refresh_from_db()
    assert not typed.is_published
    assert edited.is_published
    # The hero's virtual event now comes once, from the featured event, plus the promo staff kept.
    page = home(client)
    featured = Event.objects.upcoming().featured().get()
    assert (featured.get_absolute_url(), "Register Now!: Recharging in Challenging Times") in links(hero(page))
    assert headings(hero(page)).count("Recharging in Challenging Times") == 2
