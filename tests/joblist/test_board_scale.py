"""The board on a big board: it counts, ranks and lists at most MATCH_LIMIT matches, and says so.

The limit is 1,000; these tests lower it (and the page size) so a few ads stand for many.
"""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ala_site import page_cache
from joblist import views
from tests.html_utils import links, visible_text
from tests.joblist.factories import EmployerFactory, published_job

pytestmark = pytest.mark.django_db

BOARD = "/joblist/"


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(views, "MATCH_LIMIT", 5)
    monkeypatch.setattr(views, "PAGE_SIZE", 2)


def titles(response):
    return [posting.title for posting in response.context["page"]]


def page_links(html):
    return {href for href, _ in links(html) if "page=" in href}


def test_past_the_limit_the_board_says_more_than_and_asks_to_narrow_the_search(client, small_limit):
    for day in range(8):
        published_job(days_ago=day, title=f"Job {day}")

    response = client.get(BOARD)

    text = visible_text(response.content.decode())
    assert "More than 5 jobs: showing 1–2." in text
    assert "Only the first 5 are listed: add keywords or filters to narrow the search." in text
    assert titles(response) == ["Job 0", "Job 1"]
    # Three pages hold the first five; no link goes past them.
    assert page_links(response.content.decode()) == {"?page=2", "?page=3"}
    assert titles(client.get(BOARD, {"page": "3"})) == ["Job 4"]
    assert titles(client.get(BOARD, {"page": "4"})) == ["Job 4"]  # past the end: the last page


def test_at_the_limit_the_count_is_exact(client, small_limit):
    for day in range(5):
        published_job(days_ago=day, title=f"Archivist {day}")

    text = visible_text(client.get(BOARD, {"q": "archivist"}).content.decode())

    assert "5 jobs match your search: showing 1–2." in text
    assert "More than" not in text and "Only the first" not in text


def test_a_search_past_the_limit_says_more_than_match_your_search(client, small_limit):
    for day in range(7):
        published_job(days_ago=day, title=f"Archivist {day}", state="IL")
    published_job(title="Cataloger", state="IL")

    html = client.get(BOARD, {"q": "archivist", "state": "IL"}).content.decode()

    assert "More than 5 jobs match your search: showing 1–2." in visible_text(html)
    assert page_links(html) == {"?q=archivist&state=IL&page=2", "?q=archivist&state=IL&page=3"}


def test_the_best_match_is_ranked_among_the_newest_matches(client, small_limit, monkeypatch):
    # The oldest ad matches best (the word in its title); the others only in their description.
    best = published_job(days_ago=20, title="Archivist", description="Archives.")
    for day in range(5):
        published_job(days_ago=day, title=f"Records job {day}", description="An archivist for our records.")

    # Six matches: only the newest five are ranked and listed.
    listed = [title for page in (1, 2, 3) for title in titles(client.get(BOARD, {"q": "archivist", "page": page}))]
    assert best.title not in listed
    assert sorted(listed) == [f"Records job {day}" for day in range(5)]

    # Within the limit every match is ranked: on PostgreSQL the title match comes first.
    monkeypatch.setattr(views, "MATCH_LIMIT", 10)
    first = titles(client.get(BOARD, {"q": "archivist"}))
    if connection.vendor == "postgresql":
        assert first == [best.title, "Records job 0"]
    else:  # SQLite ranks every match the same: the newest first
        assert first == ["Records job 0", "Records job 1"]


def _add_jobs(count):
    employers = EmployerFactory.create_batch(3)
    for number in range(count):
        published_job(
            days_ago=number % 28,
            title=f"Reference Librarian {number}",
            employer=employers[number % 3],
            salary_min=Decimal(40000 + number),
        )


@pytest.mark.parametrize("params", [{}, {"q": "librarian", "page": "2"}, {"order": "salary", "min_salary": "40000"}])
def test_a_capped_board_costs_the_same_queries_however_many_ads(client, params, small_limit):
    _add_jobs(8)
    client.get(BOARD, params)  # warm the caches every page shares
    page_cache.bump()  # the warm request stored the whole page: renew it, so the counted one renders
    with CaptureQueriesContext(connection) as few:
        client.get(BOARD, params)
    _add_jobs(60)
    client.get(BOARD, params)
    page_cache.bump()
    with CaptureQueriesContext(connection) as many:
        response = client.get(BOARD, params)

    assert len(many) == len(few)
    assert response.context["page"].paginator.capped


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the board's indexes exist on PostgreSQL only")
def test_on_postgresql_the_salary_order_can_walk_its_index():
    # The index's expression (migration 0003) must stay the SQL of yearly_salary_top(), or the
    # planner cannot use it. On a few rows it rightly reads the table and sorts: forbid that to see.
    published_job(salary_min=Decimal(50000))
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_bitmapscan", "enable_sort"):
            cursor.execute(f"SET LOCAL {setting} = off")
    page = views.board_page({}, "salary", 1)

    assert "joblist_salary_idx" in page.object_list.explain()
