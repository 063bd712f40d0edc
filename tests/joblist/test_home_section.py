"""The landing page's "Featured Jobs | ALA JobLIST": the newest jobs, their ages, and its cache."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from joblist.templatetags.joblist_tags import FEATURED_JOBS_SHOWN, featured_jobs
from tests.html_utils import headings, links, visible_text
from tests.joblist.factories import EmployerFactory, JobPostingFactory, published_job

pytestmark = pytest.mark.django_db

LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page):
    match = re.search(r'<section class="home-section container featured-jobs".*?</section>', page, re.S)
    return match.group(0) if match else ""


def lines(page):
    items = re.findall(r'<li class="featured-jobs__item">(.*?)</li>', section(page), re.S)
    return [visible_text(item) for item in items]


def at(day, hour):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE)))


def test_the_section_lists_jobs_as_the_seed_does_with_a_link_to_the_board(client):
    employer = EmployerFactory(name="University of Missouri")
    job = published_job(days_ago=14, title="Education Librarian", employer=employer, city="Columbia", state="MO")

    page = home(client)

    assert "Featured Jobs | ALA JobLIST" in headings(page, levels={"h2"})
    assert lines(page) == ["Education Librarian - University of Missouri - Columbia, MO 2 weeks ago"]
    pairs = links(section(page))
    assert (job.get_absolute_url(), "Education Librarian - University of Missouri - Columbia, MO") in pairs
    assert ("/joblist/", "GO TO JOBLIST") in pairs


def test_the_newest_fifteen_live_jobs_are_shown(client):
    for number in range(FEATURED_JOBS_SHOWN + 2):
        published_job(days_ago=number, title=f"Job {number:02d}")
    JobPostingFactory(title="Draft job")
    JobPostingFactory(expired=True, title="Expired job")

    shown = lines(home(client))

    assert len(shown) == FEATURED_JOBS_SHOWN
    assert shown[0].startswith("Job 00 -") and shown[0].endswith("today")
    assert shown[-1].startswith("Job 14 -")
    assert not any(line.startswith(("Draft", "Expired", "Job 15", "Job 16")) for line in shown)


def test_no_live_jobs_no_section(client):
    JobPostingFactory(expired=True)
    assert section(home(client)) == ""


def test_a_new_ad_shows_at_the_next_request(client):
    published_job(title="First")
    assert len(lines(home(client))) == 1
    published_job(title="Second")  # saving bumps the cached section
    assert len(lines(home(client))) == 2


def test_the_cache_ends_when_a_listed_ad_expires_or_at_midnight():
    now = timezone.now()
    soon = published_job(days_ago=29)
    soon.expires_at = now + timedelta(minutes=5)
    soon.save()
    published_job(days_ago=2)
    assert featured_jobs()["cache_until"] == soon.expires_at

    soon.delete()
    midnight = datetime.combine(timezone.localdate() + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert featured_jobs()["cache_until"] == midnight


def test_an_application_deadline_or_a_scheduled_ad_ends_the_cache_too():
    deadline = timezone.localdate()
    published_job(days_ago=3, application_deadline=deadline)
    end_of_deadline = datetime.combine(deadline + timedelta(days=1), time.min, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert featured_jobs()["cache_until"] == end_of_deadline
    now = timezone.now()
    # Halfway to the deadline's end, so the ad starts first even when the test runs just before midnight.
    scheduled = JobPostingFactory(published=True, published_at=now + (end_of_deadline - now) / 2)
    assert featured_jobs()["cache_until"] == scheduled.published_at


def test_an_expired_ad_leaves_at_once_and_ages_move_on_at_midnight(client, settings):
    settings.CACHES = LOCAL_CACHE  # time travel moves the local cache's clock (not Redis's)
    day = date(2026, 11, 26)
    with at(day, 9):
        ending = published_job(days_ago=29, title="Ending")
        ending.expires_at = timezone.now() + timedelta(hours=2)
        ending.save()
        published_job(days_ago=13, title="Staying")
        assert [line.split(" - ")[0] for line in lines(home(client))] == ["Staying", "Ending"]
        assert lines(home(client))[0].endswith("1 week ago")
    with at(day, 12):
        assert [line.split(" - ")[0] for line in lines(home(client))] == ["Staying"]
    with at(day + timedelta(days=1), 0):
        assert lines(home(client))[0].endswith("2 weeks ago")


def test_the_section_costs_the_same_queries_however_many_jobs():
    def count():
        with CaptureQueriesContext(connection) as captured:
            featured_jobs()
        return len(captured)

    published_job()
    few = count()
    for number in range(40):
        published_job(days_ago=number % 28)
    assert count() == few
