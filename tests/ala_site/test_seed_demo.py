"""`manage.py seed_demo` fills the site from the seed texts and can be run again safely."""

import calendar
import io
import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from ala_site.models import AlertBanner, NavLink, Promo, QuickLink, QuickLinkGroup, SiteSettings, SocialLink
from membership import demo as membership_demo
from membership.models import Membership, MembershipTerm, add_years
from tests.html_utils import visible_text

pytestmark = pytest.mark.django_db


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def row_counts():
    """Rows in every table of every installed app, so later apps' demo content is covered too."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


def test_seed_demo_fills_the_site_content():
    output = seed()

    assert "Site content: demo content loaded." in output
    assert SiteSettings.objects.get().phone == "1.800.545.2433"
    assert AlertBanner.objects.count() == 1
    assert Promo.objects.filter(is_published=True).count() == 6  # the virtual event is an event now
    assert NavLink.objects.filter(menu=NavLink.Menu.MAIN, parent=None).count() == 6
    assert NavLink.objects.filter(menu=NavLink.Menu.MAIN, parent__isnull=False).count() > 6
    assert SocialLink.objects.count() == 7
    assert QuickLinkGroup.objects.count() == 5
    assert QuickLink.objects.count() > 5


def test_seed_demo_is_idempotent():
    seed()
    first = row_counts()

    seed()

    assert row_counts() == first


def test_seed_demo_twice_shows_each_section_once(client):
    seed()
    seed()

    page = client.get("/").content.decode()

    assert page.count("Recharging in Challenging Times</h2>") == 1
    assert page.count("Library funding is under threat.") == 1
    assert page.count(">Join ALA</a>") == 1


# --- Demo content is dated relative to the day it is loaded (issue 7, item 17) ---------------------------------

MONTHS = list(calendar.month_name)[1:]
MONTH = "(?:" + "|".join(f"{name[:3]}(?:{name[3:]})?" for name in MONTHS) + ")"
# "May 2026", "November/December 2025": a month, or a run of months, and a year.
MONTH_YEAR = re.compile(rf"\b({MONTH}(?:/{MONTH})*) ((?:19|20)\d\d)\b")
# "Read the Nov/Dec Issue": months without a year name the current issue.
ISSUE_MONTHS = re.compile(rf"\b({MONTH})/({MONTH}) Issue\b")
YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def month_number(name):
    return next(number for number, month in enumerate(MONTHS, 1) if month.startswith(name[:3]))


def at_noon(day):
    return datetime.combine(day, time(12), tzinfo=ZoneInfo(settings.TIME_ZONE))


def travel(day):
    """Move the clock to noon on `day` in the site's time zone."""
    traveller = time_machine.travel(at_noon(day))
    traveller.start()
    # Redis expires cached sections by its own clock, which time travel does not move.
    cache.clear()
    return traveller


@pytest.fixture(params=[date(2027, 11, 26), date(2029, 1, 15), date(2031, 2, 10)], ids=str)
def frozen_today(request):
    """A day after the seed texts were written: a year ahead, a January, and five years on."""
    traveller = travel(request.param)
    yield request.param
    traveller.stop()


def main_text(client):
    """What a visitor reads in the landing page's main content (promos, quick links, store)."""
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    return visible_text(page[page.index('<main id="main"') : page.index("</main>")])


def stale_dates(text, today):
    """Month-year phrases on the page that lie wholly before this month, and issue months not covering it."""
    stale = []
    for months, year in MONTH_YEAR.findall(text):
        if (int(year), month_number(months.split("/")[-1])) < (today.year, today.month):
            stale.append(f"{months} {year}")
    for first, last in ISSUE_MONTHS.findall(text):
        if not month_number(first) <= today.month <= month_number(last):
            stale.append(f"{first}/{last} Issue")
    return stale


def test_landing_page_shows_no_past_dates_and_no_old_years(client, frozen_today):
    seed()

    text = main_text(client)

    assert stale_dates(text, frozen_today) == []
    old_years = [year for year in YEAR.findall(text) if int(year) < frozen_today.year - 1]
    assert old_years == []
    # Every section of the seed is still there, only dated to the day.
    assert "Recharging in Challenging Times" in text
    assert "Register Now!" in text
    assert "Celebrating ALA's 150th Anniversary" in text
    assert "Read the Latest Issue" in text
    assert "Notable Children's Books" in text


def test_dated_texts_follow_the_day_they_are_loaded(client, frozen_today):
    seed()

    text = main_text(client)

    # The magazine's current issue is the two-month issue that covers today.
    issue = re.search(rf"Read the ({MONTH})/({MONTH}) (\d{{4}}) issue of American Libraries", text)
    assert issue, text
    assert month_number(issue[1]) <= frozen_today.month <= month_number(issue[2])
    assert month_number(issue[2]) == month_number(issue[1]) + 1
    assert int(issue[3]) == frozen_today.year
    assert f"Read the {issue[1][:3]}/{issue[2][:3]} Issue" in text
    # The recorded sessions stay available for months to come.
    through = re.search(rf"On-demand access to sessions through ({MONTH}) (\d{{4}})\.", text)
    assert through, text
    months_ahead = (int(through[2]) - frozen_today.year) * 12 + month_number(through[1]) - frozen_today.month
    assert 3 <= months_ahead <= 12
    # The Notable lists are the latest ones named: this year's once announced (late January), else last year's.
    notable_year = frozen_today.year if frozen_today.month > 1 else frozen_today.year - 1
    for kind in ["Books", "Recordings", "Digital Media"]:
        assert f"{notable_year} Notable Children's {kind}" in text


def test_dated_promos_are_published_only_while_their_dates_hold(frozen_today):
    """A dated promo leaves the page when its month has passed, even if nobody runs seed_demo again."""
    seed()
    now = timezone.now()

    dated = 0
    for promo in Promo.objects.visible():
        mentions = MONTH_YEAR.findall(f"{promo.body} {promo.cta_label}")
        if not mentions:
            continue
        dated += 1
        months, year = mentions[-1]
        last_month = date(int(year), month_number(months.split("/")[-1]), 1)
        after_last_month = (last_month + timedelta(days=31)).replace(day=1)
        assert promo.publish_at is None or promo.publish_at <= now
        assert promo.expires_at is not None, promo.title
        assert now < promo.expires_at <= at_noon(after_last_month).replace(hour=0)
    assert dated == 1  # the magazine issue (the on-demand sessions are the featured event's own date)


def test_without_a_new_seed_no_past_dated_item_shows_in_the_months_after(client):
    traveller = travel(date(2027, 11, 26))
    seed()
    traveller.stop()

    for months_later in range(1, 14):
        day = date(2027 + (10 + months_later) // 12, (10 + months_later) % 12 + 1, 1)
        traveller = travel(day)
        try:
            assert stale_dates(main_text(client), day) == [], day
        finally:
            traveller.stop()


def test_seed_on_a_later_day_updates_the_dated_rows_it_made(client):
    traveller = travel(date(2027, 11, 26))
    seed()
    traveller.stop()
    first = row_counts()

    traveller = travel(date(2031, 2, 10))
    try:
        seed()

        assert row_counts() == first
        labels = set(QuickLink.objects.values_list("label", flat=True))
        assert "2031 Notable Children's Books" in labels
        assert not any(label.startswith("2027 ") for label in labels)
        magazine = Promo.objects.get(title="Read the Latest Issue")
        assert "January/February 2031 issue" in magazine.body
        assert magazine.cta_label == "Read the Jan/Feb Issue"
        assert stale_dates(main_text(client), date(2031, 2, 10)) == []
    finally:
        traveller.stop()


def test_demo_membership_is_dated_relative_to_today(client, frozen_today):
    seed()

    membership = Membership.objects.get(user__email=membership_demo.DEMO_MEMBER_EMAIL)
    term = membership.terms.get()
    assert membership in Membership.objects.current()
    assert membership.member_since == term.starts_on < frozen_today < term.ends_on == membership.expires_on
    assert term.ends_on == add_years(term.starts_on, 1) - timedelta(days=1)
    assert term.status == MembershipTerm.Status.STARTED
    assert term.starts_on <= timezone.localdate(term.paid_at) < frozen_today


def test_seed_on_a_later_day_renews_the_demo_membership_dates(frozen_today):
    traveller = travel(frozen_today - timedelta(days=500))
    try:
        seed()
    finally:
        traveller.stop()
    membership = Membership.objects.get(user__email=membership_demo.DEMO_MEMBER_EMAIL)
    assert membership not in Membership.objects.current()  # a year and more has gone by

    seed()

    membership.refresh_from_db()
    term = membership.terms.get()
    assert membership in Membership.objects.current()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.member_since == term.starts_on < frozen_today < term.ends_on == membership.expires_on
    assert term.reminded_30_at is None and term.reminded_7_at is None


def test_seed_leaves_a_demo_membership_with_its_own_history_alone():
    traveller = travel(date(2027, 11, 26))
    try:
        seed()
        membership = Membership.objects.get(user__email=membership_demo.DEMO_MEMBER_EMAIL)
        renewal = membership.new_term()
        renewal.mark_paid()
        renewal.refresh_from_db()
        renewal.start()
    finally:
        traveller.stop()
    membership.refresh_from_db()
    before = (
        membership.member_since,
        membership.expires_on,
        sorted(membership.terms.values_list("starts_on", "ends_on")),
    )

    traveller = travel(date(2031, 2, 10))
    try:
        output = seed()
    finally:
        traveller.stop()

    membership.refresh_from_db()
    after = (
        membership.member_since,
        membership.expires_on,
        sorted(membership.terms.values_list("starts_on", "ends_on")),
    )
    assert after == before
    assert "left as they are" in output
