"""The list pages' database work does not grow with the content (issue 15, "Volume").

The site is loaded as `make bench` loads it (`seed_demo --volume N`, every app's generator), first
with 10 generated rows of each kind, then with 10,000: each list page, rendered from an empty cache
both times, must run exactly as many queries. Work that grows with the content (a query for each
row beyond the page shown, for each page link, category, employer or month) shows as a difference.
"""

import io

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

# Each list page, and the model it lists (None: the landing page shows a few of everything).
PAGES = {
    "/": None,
    "/store/": "store.Product",
    "/store/?sort=price&page=2": "store.Product",
    "/events/": "events.Event",
    "/joblist/": "joblist.JobPosting",
    "/news/": "advocacy.Article",
    "/censorship/resumes/": "censorship.BookResume",
    "/advocacy/stories/": "advocacy.Story",
}
FEW, MANY = 10, 10_000


def seed(volume):
    call_command("seed_demo", volume=volume, stdout=io.StringIO())


def cold_render(client, url):
    """The queries of one anonymous request with every cache empty, and the response."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in queries], response


def listed(response):
    """How many rows the page's list has in all (its paginator's count)."""
    return response.context["page"].paginator.count


def test_list_pages_run_the_same_queries_at_ten_and_at_ten_thousand_rows_of_each_kind(client):
    seed(FEW)
    few = {url: cold_render(client, url) for url in PAGES}

    seed(MANY)
    many = {url: cold_render(client, url) for url in PAGES}

    for url, model in PAGES.items():
        if model is not None:  # the volume is really on the list (JobLIST counts up to 1,000)
            assert listed(few[url][1]) < 100 and listed(many[url][1]) >= 1000, url
    counts = {url: (len(few[url][0]), len(many[url][0])) for url in PAGES}
    grew = {url: (small, large) for url, (small, large) in counts.items() if small != large}
    assert not grew, f"queries at {FEW} and at {MANY} rows differ: {grew}"
