"""Every app's public pages as shared pages of the page cache (ala_site/page_cache.py).

A second anonymous visitor is answered from the cache without a query; an edit, a stock change
through an order, an admin bulk action or a moment on the clock (an ad's run ending, an article's
publish time, an event starting) shows at the next request; a signed-in visitor or one who made
a cookie choice never gets the anonymous page; a form replayed from the cache takes its visitor's
POST.
"""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advocacy.models import AlertSubscriber, Story
from ala_site.models import SiteSettings
from events.models import Event
from joblist.models import JobPosting
from membership.models import Donation
from tests.advocacy.factories import CampaignActionFactory
from tests.advocacy.news_factories import ArticleFactory, StoryFactory
from tests.censorship.factories import BookResumeFactory, CensorshipYearFactory, ChallengedBookFactory
from tests.events.factories import EventFactory
from tests.factories import UserFactory
from tests.html_utils import form_fields, visible_text
from tests.joblist.factories import JobPostingFactory, published_job
from tests.membership.factories import MembershipTypeFactory
from tests.membership.flows import join_data
from tests.store.factories import ProductFactory, order_for

pytestmark = pytest.mark.django_db

WORD = "Quillwort"  # a made-up word: it shows only where these tests put it
EDITED = f"{WORD} edited"
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ZONE = ZoneInfo(django_settings.TIME_ZONE)
DAY = date(2026, 11, 26)  # a Thursday, far from a month's or a daylight-saving change


@pytest.fixture
def content():
    """One shown item of each kind, its text carrying WORD."""
    SiteSettings.current()  # the first page would make the row, renewing every page
    resume = BookResumeFactory(title=f"{WORD} novel")
    year = CensorshipYearFactory(year=2024)
    return {
        "product": ProductFactory(title=f"{WORD} poster", stock=4),
        "event": EventFactory(title=f"{WORD} webinar"),
        "job": published_job(title=f"{WORD} librarian"),
        "article": ArticleFactory(title=f"{WORD} news"),
        "story": StoryFactory(approved=True, name=f"{WORD} Reader"),
        "action": CampaignActionFactory(title=f"{WORD} action"),
        "resume": resume,
        "book": ChallengedBookFactory(year=year, title=f"{WORD} challenged", resume=resume),
        "membership_type": MembershipTypeFactory(name=f"{WORD} membership"),
    }


# name: (address, the item it shows, the field of it shown, whether it is an HTML page)
PAGES = {
    "catalogue": (lambda c: "/store/", "product", "title", True),
    "product": (lambda c: c["product"].get_absolute_url(), "product", "title", True),
    "events": (lambda c: "/events/", "event", "title", True),
    "event": (lambda c: c["event"].get_absolute_url(), "event", "title", True),
    "event ics": (lambda c: f"/events/{c['event'].slug}/ics/", "event", "title", False),
    "calendar feed": (lambda c: "/events/calendar.ics", "event", "title", False),
    "board": (lambda c: "/joblist/", "job", "title", True),
    "ad": (lambda c: c["job"].get_absolute_url(), "job", "title", True),
    "jobs feed": (lambda c: "/joblist/feed/", "job", "title", False),
    "news": (lambda c: "/news/", "article", "title", True),
    "article": (lambda c: c["article"].get_absolute_url(), "article", "title", True),
    "news feed": (lambda c: "/news/feed/", "article", "title", False),
    "stories": (lambda c: "/advocacy/stories/", "story", "name", True),
    "campaign": (lambda c: "/advocacy/", "action", "title", True),
    "censorship hub": (lambda c: "/censorship/", "book", "title", True),
    "censorship data": (lambda c: "/censorship/data/", "book", "title", True),
    "books csv": (lambda c: "/censorship/most-challenged.csv", "book", "title", False),
    "resumes": (lambda c: "/censorship/resumes/", "resume", "title", True),
    "resume": (lambda c: c["resume"].get_absolute_url(), "resume", "title", True),
    "membership types": (lambda c: "/membership/", "membership_type", "name", True),
    "search": (lambda c: f"/search/?q={WORD}", "product", "title", True),
}
HTML_PAGES = [name for name, page in PAGES.items() if page[3]]
FORMS = ["/advocacy/alerts/", "/advocacy/stories/new/", "/membership/join/", "/donate/"]


def get(url, client=None):
    """(response, number of queries) for an anonymous visitor's request (a new one by default)."""
    with CaptureQueriesContext(connection) as captured:
        response = (client or Client()).get(url)
    assert response.status_code == 200, url
    return response, len(captured)


def text(response):
    return response.content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_second_anonymous_visitor_is_served_without_a_query(content, name):
    url = PAGES[name][0](content)
    first, rendering = get(url)
    again, replaying = get(url)

    assert rendering > 0
    assert replaying == 0
    assert WORD in text(again)
    assert again["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("name", PAGES)
def test_an_edit_of_a_shown_item_shows_at_the_next_request(content, name):
    address, key, field, _html = PAGES[name]
    get(address(content))
    assert get(address(content))[1] == 0  # stored

    item = content[key]
    setattr(item, field, EDITED)
    item.save()  # as the admin saves it

    edited = get(address(content))[0]  # an ad's address follows its title
    assert EDITED in (visible_text(edited.content) if PAGES[name][3] else text(edited))


def test_an_admin_bulk_action_shows_at_the_next_request(content):
    admin = UserFactory(is_staff=True, is_superuser=True)
    product = content["product"]
    assert WORD in text(get("/store/")[0])
    assert get(product.get_absolute_url())[0]  # stored too

    editor = Client()
    editor.force_login(admin)
    done = editor.post("/admin/store/product/", {"action": "unpublish", "_selected_action": [product.pk]})

    assert done.status_code == 302
    assert WORD not in text(get("/store/")[0])
    assert Client().get(product.get_absolute_url()).status_code == 404


def test_a_stock_change_through_an_order_shows_at_the_next_request(content):
    product = content["product"]
    assert "Only 4 left" in visible_text(get(product.get_absolute_url())[0].content)
    assert "Sold out" not in visible_text(get("/store/")[0].content)

    order = order_for(product, quantity=4)
    order.mark_paid()  # lowers the stock with a bulk update

    assert "Sold out" in visible_text(get(product.get_absolute_url())[0].content)
    assert "Sold out" in visible_text(get("/store/")[0].content)

    order.restock()  # as a refund with restock does: a bulk update, and no save of the order

    assert "Only 4 left" in visible_text(get(product.get_absolute_url())[0].content)
    assert "Sold out" not in visible_text(get("/store/")[0].content)


@pytest.mark.parametrize("name", HTML_PAGES)
def test_a_signed_in_visitor_never_gets_the_anonymous_page(content, name):
    url = PAGES[name][0](content)
    get(url)
    assert "Log out" not in text(get(url)[0])

    member = Client()
    member.force_login(UserFactory(first_name="Ada"))
    for _ in range(2):
        assert "Log out" in member.get(url).content.decode()
    assert "Log out" not in text(get(url)[0])  # nor is their page stored for others


@pytest.mark.parametrize("name", HTML_PAGES)
def test_a_visitor_who_made_a_cookie_choice_does_not_get_the_banner(content, name):
    url = PAGES[name][0](content)
    assert "Cookies on this site" in text(get(url)[0])
    decided = Client()
    decided.post("/cookies/", {"choice": "reject", "next": "/"})
    decided.cookies.pop("messages", None)  # the "saved" message was shown

    for _ in range(2):
        assert "Cookies on this site" not in text(get(url, decided)[0])
    assert "Cookies on this site" in text(get(url)[0])


def _answers(url, content):
    return {
        "/advocacy/alerts/": {"email": "pat@example.org", "name": "Pat Reader", "zip_code": "60601", "state": ""},
        "/advocacy/stories/new/": {
            "name": "Ana Reyes",
            "email": "ana@example.org",
            "library": "Springfield Public Library",
            "city": "Springfield",
            "state": "IL",
            "zip_code": "62701",
            "story": "Our library's job lab helped me find work after the plant closed.",
            "congress_consent": "yes",
            "publish_consent": "no",
        },
        "/membership/join/": join_data(content["membership_type"]),
        "/donate/": {"preset_amount": "50", "fund": "intellectual_freedom", "name": "Pat", "email": "pat@example.org"},
    }[url] | {"website": ""}


@pytest.mark.parametrize("url", FORMS)
def test_a_form_replayed_from_the_cache_takes_a_new_visitors_post(content, url):
    get(url)  # stored by someone else's visit
    visitor = Client(enforce_csrf_checks=True)
    page, queries = get(url, visitor)
    assert queries == 0
    [token] = {field["value"] for field in form_fields(page.content, "csrfmiddlewaretoken")}

    sent = visitor.post(url, {**_answers(url, content), "csrfmiddlewaretoken": token})

    assert sent.status_code == 302, visible_text(sent.content)
    stored = {
        "/advocacy/alerts/": AlertSubscriber.objects.filter(email="pat@example.org"),
        "/advocacy/stories/new/": Story.objects.filter(email="ana@example.org"),
        "/membership/join/": get_user_model().objects.filter(
            email=join_data(content["membership_type"])["account-email"]
        ),
        "/donate/": Donation.objects.filter(email="pat@example.org"),
    }[url]
    assert stored.exists()


def test_the_confidential_report_form_is_never_stored(content):
    """Its page tells browsers to keep no copy (a filled-in report on a shared computer)."""
    get("/censorship/report/")
    again = Client().get("/censorship/report/")
    assert again.context is not None  # rendered again, not replayed
    assert "no-store" in again["Cache-Control"]


# The clock ------------------------------------------------------------------------------------


def at(day, hour, minute=0, second=0):
    return travel(datetime.combine(day, time(hour, minute, second), tzinfo=ZONE))


def travel(moment):
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def clock(settings):
    # Time travel moves the local-memory cache's clock, not Redis's. Pages may be kept for a week,
    # so what ends them in these tests is the moment their views announce.
    settings.CACHES = LOCAL_CACHE
    settings.PAGE_CACHE_SECONDS = 7 * 24 * 60 * 60
    cache.clear()
    SiteSettings.current()  # the first page would make the row, renewing every page


def titles_on(url):
    return visible_text(get(url)[0].content)


def test_an_ad_leaves_the_board_the_feed_and_the_search_the_moment_its_run_ends(clock):
    with at(DAY, 9):
        job = published_job(days_ago=5, title=f"{WORD} Youth Services Librarian")
        job.expires_at = timezone.now() + timedelta(hours=2)
        job.save()
        published_job(days_ago=3, title=f"{WORD} Archivist")
        urls = ["/joblist/", "/joblist/feed/", f"/search/?q={WORD}", job.get_absolute_url()]
        for url in urls:
            assert "Youth Services Librarian" in titles_on(url)
        assert "has ended" not in titles_on(job.get_absolute_url())
    with at(DAY, 10, 59, 59):
        for url in urls:
            page, queries = get(url)
            assert queries == 0, url
            assert "Youth Services Librarian" in text(page)
    with at(DAY, 11, 0, 1):
        for url in urls[:3]:
            assert "Youth Services Librarian" not in titles_on(url), url
            assert "Archivist" in titles_on(url)
        assert "The ad has ended" in titles_on(job.get_absolute_url())


def test_ages_move_on_and_a_deadline_day_ends_at_midnight(clock):
    with at(DAY, 22):
        published_job(days_ago=0, title="Cataloger")
        deadline = published_job(days_ago=3, title="Archivist", application_deadline=DAY)
        assert "Posted today" in titles_on("/joblist/")
        assert "Archivist" in titles_on("/joblist/")
    with at(DAY, 23, 59, 59):
        assert get("/joblist/")[1] == 0
    with at(DAY + timedelta(days=1), 0, 0, 1):
        board = titles_on("/joblist/")
        assert "Posted yesterday" in board
        assert "Archivist" not in board
        assert "The ad has ended" in titles_on(deadline.get_absolute_url())


def test_an_ad_scheduled_for_later_appears_at_its_time(clock):
    with at(DAY, 9):
        published_job(days_ago=2, title="Archivist")
        JobPostingFactory(
            published=True,
            title="Scheduled Cataloger",
            published_at=timezone.now() + timedelta(hours=1),
            expires_at=timezone.now() + timedelta(days=30),
        )
        assert "Scheduled Cataloger" not in titles_on("/joblist/")
    with at(DAY, 9, 59, 59):
        assert get("/joblist/")[1] == 0
    with at(DAY, 10, 0, 1):
        assert "Scheduled Cataloger" in titles_on("/joblist/")


def test_a_scheduled_article_joins_the_list_the_feed_and_the_search_at_its_time(clock):
    with at(DAY, 9):
        ArticleFactory(title=f"{WORD} today")
        ArticleFactory(title=f"{WORD} tomorrow", publish_at=timezone.now() + timedelta(hours=1))
        urls = ["/news/", "/news/feed/", f"/search/?q={WORD}"]
        for url in urls:
            assert f"{WORD} tomorrow" not in titles_on(url)
    with at(DAY, 9, 59, 59):
        for url in urls:
            assert get(url)[1] == 0, url
    with at(DAY, 10, 0, 1):
        for url in urls:
            assert f"{WORD} tomorrow" in titles_on(url), url


def test_an_event_opens_registration_starts_and_ends_on_time(clock):
    with at(DAY, 9):
        event = EventFactory(
            title="Storytime skills",
            registration_opens_at=timezone.now() + timedelta(hours=1),
            starts_at=timezone.now() + timedelta(hours=2),
            ends_at=timezone.now() + timedelta(hours=3),
        )
        page = event.get_absolute_url()
        assert "Registration for “Storytime skills” opens on" in titles_on(page)
        assert "Storytime skills" in titles_on("/events/")
        assert "Storytime skills" not in titles_on("/events/past/")
        assert "Storytime skills" in text(get("/events/calendar.ics")[0])
    with at(DAY, 9, 59, 59):
        assert get(page)[1] == 0
    with at(DAY, 10, 0, 1):
        assert "Sign in to register" in titles_on(page)
    with at(DAY, 11, 0, 1):
        assert "is under way" in titles_on(page)
        assert "Sign in to register" not in titles_on(page)
    with at(DAY, 11, 59, 59):
        for url in ("/events/", "/events/past/", "/events/calendar.ics"):
            assert get(url)[1] == 0, url
    with at(DAY, 12, 0, 1):
        assert "This event has ended" in titles_on(page)
        assert "Storytime skills" not in titles_on("/events/")
        assert "Storytime skills" in titles_on("/events/past/")
        assert "Storytime skills" not in text(get("/events/calendar.ics")[0])


def test_the_month_filter_moves_on_when_the_month_does(clock):
    last_day = date(2026, 11, 30)
    with at(last_day, 23):
        EventFactory(starts_at=timezone.now() + timedelta(days=60), ends_at=timezone.now() + timedelta(days=61))
        assert form_fields(get("/events/")[0].content, "month")  # the filter is there
        assert "November 2026" in titles_on("/events/")
    with at(last_day, 23, 59, 59):
        assert get("/events/")[1] == 0
    with at(last_day + timedelta(days=1), 0, 0, 1):
        assert "November 2026" not in titles_on("/events/")
        assert "December 2026" in titles_on("/events/")


def test_a_page_without_a_moment_to_come_is_kept_only_as_long_as_any_page(settings):
    settings.CACHES = LOCAL_CACHE  # time travel moves its clock
    cache.clear()
    SiteSettings.current()
    start = datetime.combine(DAY, time(9), tzinfo=ZONE)
    with travel(start):
        event = EventFactory(past=True)
        assert event.next_change() is None
        get(event.get_absolute_url())
    with travel(start + timedelta(seconds=settings.PAGE_CACHE_SECONDS - 2)):
        assert get(event.get_absolute_url())[1] == 0
    with travel(start + timedelta(seconds=settings.PAGE_CACHE_SECONDS + 1)):
        assert get(event.get_absolute_url())[1] > 0


def test_the_clock_moments_cost_one_query_each():
    now = timezone.now().replace(microsecond=0)
    published_job(days_ago=2, application_deadline=timezone.localdate(now) + timedelta(days=3))
    scheduled = JobPostingFactory(
        published=True, published_at=now + timedelta(hours=5), expires_at=now + timedelta(days=30)
    )
    event = EventFactory()

    with CaptureQueriesContext(connection) as captured:
        job_moment = JobPosting.objects.next_change(now)
        event_moment = Event.objects.next_change(now)

    assert len(captured) == 2
    assert job_moment == scheduled.published_at  # sooner than any run's or deadline day's end
    assert event_moment == event.ends_at


def test_a_deadline_day_end_is_the_soonest_moment_when_it_comes_first():
    now = timezone.now().replace(microsecond=0)
    published_job(days_ago=2, application_deadline=timezone.localdate(now))
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    assert JobPosting.objects.next_change(now) == datetime.combine(tomorrow, time.min, tzinfo=ZONE)
