"""The landing page's "Upcoming eLearning" carousel by keyboard only, with and without JavaScript."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.models import Event, Registration
from tests.events.factories import EventFactory

from .test_foundation import site  # noqa: F401  (the live site with the demo content)

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}  # three cards a page
TABLET = {"width": 800, "height": 900}  # two
PHONE = {"width": 390, "height": 844}  # one
TITLES = [f"eLearning session {number}" for number in range(1, 10)]


@pytest.fixture
def events_site(site):  # noqa: F811
    """The demo site with nine upcoming events of our own (and a featured one for the hero)."""
    Registration.objects.all().delete()
    Event.objects.all().delete()
    soon = timezone.now() + timedelta(days=1)
    for day, title in enumerate(TITLES):
        EventFactory(title=title, starts_at=soon + timedelta(days=day))
    EventFactory(title="Recharging in Challenging Times", is_featured=True, starts_at=soon)
    return site


def carousel(page):
    return page.get_by_role("region", name="Upcoming eLearning Opportunities", exact=True)


def event_link(page, title):
    return carousel(page).get_by_role("link", name=title, exact=True)


def focused_text(page):
    return page.evaluate("() => document.activeElement.textContent.trim().replace(/\\s+/g, ' ')")


def tab_from_see_all(page, count):
    """The text of each element Tab reaches after "See all eLearning"."""
    page.get_by_role("link", name="See all eLearning").focus()
    reached = []
    for _ in range(count):
        page.keyboard.press("Tab")
        reached.append(focused_text(page))
    return reached


def test_tab_reaches_only_the_events_in_view_then_the_buttons(page, events_site):
    page.set_viewport_size(WIDE)
    page.goto(events_site + "/")

    assert tab_from_see_all(page, 5) == [*TITLES[:3], "‹ Previous events", "Next events ›"]
    expect(event_link(page, TITLES[3])).to_be_hidden()


def test_next_moves_a_page_keeps_focus_and_announces_it(page, events_site):
    page.set_viewport_size(WIDE)
    page.goto(events_site + "/")
    next_button = carousel(page).get_by_role("button", name="Next events")
    status = carousel(page).locator("[aria-live='polite']")
    expect(status).to_have_text("")  # nothing is announced until the visitor moves

    next_button.focus()
    page.keyboard.press("Enter")

    expect(next_button).to_be_focused()
    expect(status).to_have_text("Events 4 to 6 of 9")
    expect(event_link(page, TITLES[3])).to_be_visible()
    expect(event_link(page, TITLES[0])).to_be_hidden()
    assert tab_from_see_all(page, 3) == TITLES[3:6]

    next_button.focus()
    page.keyboard.press("Space")
    expect(status).to_have_text("Events 7 to 9 of 9")
    page.keyboard.press("Enter")
    expect(status).to_have_text("Events 1 to 3 of 9")  # from the last page back to the first
    expect(next_button).to_be_focused()


def test_previous_from_the_first_page_goes_to_the_last(page, events_site):
    page.set_viewport_size(WIDE)
    page.goto(events_site + "/")
    previous_button = carousel(page).get_by_role("button", name="Previous events")

    previous_button.focus()
    page.keyboard.press("Enter")

    expect(carousel(page).locator("[aria-live='polite']")).to_have_text("Events 7 to 9 of 9")
    expect(previous_button).to_be_focused()
    assert tab_from_see_all(page, 3) == TITLES[6:9]


@pytest.mark.parametrize(
    "size, in_view, after_next",
    [(TABLET, TITLES[:2], "Events 3 to 4 of 9"), (PHONE, TITLES[:1], "Events 2 of 9")],
)
def test_a_page_is_as_many_cards_as_fit(page, events_site, size, in_view, after_next):
    page.set_viewport_size(size)
    page.goto(events_site + "/")

    assert tab_from_see_all(page, len(in_view) + 1) == [*in_view, "‹ Previous events"]

    carousel(page).get_by_role("button", name="Next events").focus()
    page.keyboard.press("Enter")
    expect(carousel(page).locator("[aria-live='polite']")).to_have_text(after_next)


def test_the_cards_in_view_sit_inside_the_carousel(page, events_site):
    page.set_viewport_size(WIDE)
    page.goto(events_site + "/")
    carousel(page).get_by_role("button", name="Next events").click()

    box = carousel(page).bounding_box()
    for title in TITLES[3:6]:
        link = event_link(page, title).bounding_box()
        assert box["x"] <= link["x"] and link["x"] + link["width"] <= box["x"] + box["width"]


def test_the_featured_event_is_in_the_hero_not_in_the_list(page, events_site):
    page.set_viewport_size(WIDE)
    page.goto(events_site + "/")

    hero = page.get_by_role("region", name="Featured")
    expect(hero.get_by_role("heading", name="Recharging in Challenging Times")).to_be_visible()
    expect(carousel(page).get_by_text("Recharging in Challenging Times")).to_have_count(0)


def test_without_javascript_every_event_is_reachable(browser, events_site):
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(events_site + "/")

    expect(carousel(page).get_by_role("button")).to_have_count(0)  # hidden: they would do nothing
    assert tab_from_see_all(page, 9) == TITLES
    for title in TITLES:
        link = event_link(page, title)
        link.focus()
        expect(link).to_be_in_viewport()  # the row scrolls to the focused card
    context.close()


@pytest.mark.parametrize("size", [WIDE, PHONE])
def test_landing_page_has_no_accessibility_violations(page, events_site, axe_violations, size):
    page.set_viewport_size(size)
    page.goto(events_site + "/")
    carousel(page).get_by_role("button", name="Next events").click()
    # Measure the steady page: no pointer left on the button, its colour transition finished.
    page.mouse.move(0, 0)
    page.wait_for_timeout(400)

    assert axe_violations(page) == []
