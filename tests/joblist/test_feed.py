"""RSS of the newest 20 visible postings (/joblist/feed/)."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone
from django.utils.http import http_date

from .factories import EmployerFactory, JobPostingFactory, published_job

pytestmark = pytest.mark.django_db


def feed_items(client):
    response = client.get("/joblist/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    return ElementTree.fromstring(response.content).findall("./channel/item")


def test_each_item_is_title_employer_place_with_link_summary_and_date(client):
    employer = EmployerFactory(name="Ohio History Connection")
    job = published_job(
        days_ago=3,
        title="Digital Archivist",
        employer=employer,
        city="Columbus",
        state="OH",
        description="Care for **born-digital** collections & <script>alert(1)</script> their <em>users</em>.",
    )

    [item] = feed_items(client)

    assert item.findtext("title") == "Digital Archivist - Ohio History Connection - Columbus, OH"
    assert item.findtext("link") == f"http://testserver{job.get_absolute_url()}"
    summary = item.findtext("description")
    assert summary.startswith("Care for born-digital collections &")
    assert "<" not in summary and "alert(1)" not in summary.replace("&lt;", "")  # plain text, no markup
    assert item.findtext("pubDate") == http_date(job.published_at.timestamp()).replace("GMT", "+0000")


def test_the_feed_has_the_newest_twenty_visible_jobs_newest_first(client):
    jobs = [published_job(days_ago=day, title=f"Job {day:02d}") for day in range(1, 24)]
    JobPostingFactory(title="Draft job")
    JobPostingFactory(run_over=True, title="Run over job")
    JobPostingFactory(expired=True, title="Expired job")
    published_job(days_ago=0, title="Deadline passed", application_deadline=timezone.localdate() - timedelta(days=1))

    titles = [item.findtext("title").split(" - ")[0] for item in feed_items(client)]

    assert titles == [job.title for job in jobs[:20]]


def test_the_feed_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    for day in range(3):
        published_job(days_ago=day + 1)
    # The ads, and when they next change by the clock (how long the shared feed may be kept).
    with django_assert_num_queries(2) as few:
        feed_items(client)
    for day in range(40):
        published_job(days_ago=day + 1)
    with django_assert_num_queries(len(few.captured_queries)):
        feed_items(client)


def test_an_empty_board_gives_an_empty_feed(client):
    assert feed_items(client) == []


def test_the_feed_answers_head_and_refuses_post(client):
    published_job()
    head = client.head("/joblist/feed/")
    assert head.status_code == 200 and head["Content-Type"].startswith("application/rss+xml")
    for method in (client.post, client.put, client.delete):
        assert method("/joblist/feed/").status_code == 405
