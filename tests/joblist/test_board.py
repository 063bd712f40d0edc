"""The board, /joblist/: search, filters, order, pages, ages, and bad input that never fails it."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ala_site import page_cache
from joblist.models import JobPosting
from joblist.templatetags.joblist_tags import age_in_words, posted_ago, salary
from tests.html_utils import h1_count, links, visible_text
from tests.joblist.factories import EmployerFactory, JobPostingFactory, published_job

pytestmark = pytest.mark.django_db

BOARD = "/joblist/"


def titles(response):
    return [posting.title for posting in response.context["page"]]


def test_the_board_lists_live_ads_newest_first_and_nothing_else(client):
    older = published_job(days_ago=10, title="Archivist")
    newer = published_job(days_ago=2, title="Cataloger")
    JobPostingFactory(title="Draft ad")
    JobPostingFactory(pending=True, title="Pending ad")
    JobPostingFactory(expired=True, title="Expired ad")
    JobPostingFactory(run_over=True, title="Run over ad")
    JobPostingFactory(withdrawn=True, title="Withdrawn ad")
    JobPostingFactory(rejected=True, title="Rejected ad")
    published_job(days_ago=3, title="Deadline passed", application_deadline=timezone.localdate() - timedelta(days=1))
    JobPostingFactory(
        published=True,
        title="Scheduled ad",
        published_at=timezone.now() + timedelta(days=1),
    )

    response = client.get(BOARD)

    assert response.status_code == 200
    assert titles(response) == [newer.title, older.title]
    html = response.content.decode()
    assert h1_count(html) == 1
    for hidden in ("Draft ad", "Pending ad", "Expired ad", "Run over ad", "Withdrawn ad", "Rejected ad", "Scheduled"):
        assert hidden not in html
    assert "2 jobs." in visible_text(html)


def test_a_card_shows_employer_place_salary_age_and_the_featured_mark(client):
    employer = EmployerFactory(name="Dayton Metro Library")
    published_job(
        days_ago=15,
        title="Children Services Librarian",
        employer=employer,
        city="Dayton",
        state="OH",
        salary_min=Decimal("27.35"),
        salary_max=Decimal("31.90"),
        salary_period=JobPosting.SalaryPeriod.HOUR,
        is_featured=True,
    )
    published_job(days_ago=0, title="Clerk", salary_min=None, salary_max=None)

    text = visible_text(client.get(BOARD).content.decode())

    assert "Children Services Librarian" in text
    assert "Dayton Metro Library · Dayton, OH" in text
    assert "$27.35–$31.90 per hour" in text
    assert "Posted 2 weeks ago" in text
    assert "Featured" in text
    assert "Posted today" in text
    # The ad without a salary says nothing about pay (no "None", no empty dollar sign).
    assert "None" not in text and "$ " not in text


def test_keywords_find_title_employer_and_description(client):
    by_title = published_job(title="Digital Scholarship Librarian")
    by_employer = published_job(title="Director", employer=EmployerFactory(name="Binghamton University"))
    by_text = published_job(title="Reference Librarian", description="Support our institutional repository.")
    published_job(title="Children's Librarian")

    assert titles(client.get(BOARD, {"q": "scholarship"})) == [by_title.title]
    assert titles(client.get(BOARD, {"q": "binghamton"})) == [by_employer.title]
    assert titles(client.get(BOARD, {"q": "repository"})) == [by_text.title]
    assert titles(client.get(BOARD, {"q": "nothing-like-this"})) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL full-text search")
def test_keyword_results_come_best_match_first_on_postgresql(client):
    in_description = published_job(days_ago=1, title="Branch Manager", description="Some archives work too.")
    in_title = published_job(days_ago=9, title="Archives Librarian", description="Manage the archives.")

    response = client.get(BOARD, {"q": "archives"})

    assert titles(response) == [in_title.title, in_description.title]
    assert response.context["order"] == "relevance"
    # Asked for newest first, the newer ad leads.
    assert titles(client.get(BOARD, {"q": "archives", "order": "newest"})) == [in_description.title, in_title.title]


def test_filters_narrow_the_list(client):
    ohio = published_job(title="Ohio public", state="OH", library_type=JobPosting.LibraryType.PUBLIC)
    remote = published_job(
        title="Remote cataloger",
        state="TX",
        workplace=JobPosting.Workplace.REMOTE,
        library_type=JobPosting.LibraryType.ACADEMIC,
        category=JobPosting.Category.TECHNICAL,
        job_type=JobPosting.JobType.PART_TIME,
    )

    assert titles(client.get(BOARD, {"state": "OH"})) == [ohio.title]
    assert titles(client.get(BOARD, {"library_type": "academic"})) == [remote.title]
    assert titles(client.get(BOARD, {"category": "technical"})) == [remote.title]
    assert titles(client.get(BOARD, {"job_type": "part_time"})) == [remote.title]
    assert titles(client.get(BOARD, {"workplace": "remote"})) == [remote.title]
    assert titles(client.get(BOARD, {"state": "OH", "workplace": "remote"})) == []


def test_minimum_salary_compares_yearly_pay_and_salary_order_puts_the_best_paid_first(client):
    yearly = published_job(title="Yearly", salary_min=Decimal("50000"), salary_max=Decimal("60000"))
    hourly = published_job(  # 35 an hour is 72,800 a year
        title="Hourly", salary_min=Decimal("30"), salary_max=Decimal("35"), salary_period=JobPosting.SalaryPeriod.HOUR
    )
    published_job(title="Unpaid line", salary_min=None, salary_max=None)

    assert titles(client.get(BOARD, {"min_salary": "65000"})) == [hourly.title]
    assert titles(client.get(BOARD, {"order": "salary"})) == [hourly.title, yearly.title, "Unpaid line"]
    assert titles(client.get(BOARD, {"order": "salary", "min_salary": "55000"})) == [hourly.title, yearly.title]


def test_the_form_has_labels_keeps_the_visitors_choices_and_offers_clear(client):
    html = client.get(BOARD, {"q": "archives", "state": "OH"}).content.decode()

    for name in ("q", "state", "library_type", "category", "job_type", "workplace", "min_salary", "order"):
        assert f'<label class="form-label" for="id_{name}">' in html
    assert 'value="archives"' in html
    assert '<option value="OH" selected>' in html
    assert ("Clear", "/joblist/") in [(text, href) for href, text in links(html)]
    assert 'method="get"' in html
    # The unfiltered board has nothing to clear.
    assert "Clear" not in visible_text(client.get(BOARD).content.decode())


@pytest.mark.parametrize(
    ("params", "shown", "sorted_by"),
    [
        ({}, "relevance", "newest"),
        ({"state": "IL"}, "relevance", "newest"),
        ({"q": "archives"}, "relevance", "relevance"),
        ({"q": "archives", "order": "bogus"}, "relevance", "relevance"),
        ({"q": "archives", "order": "newest"}, "newest", "newest"),
        ({"order": "salary"}, "salary", "salary"),
    ],
)
def test_the_sort_list_shows_the_order_chosen(client, params, shown, sorted_by):
    """Best match is the default choice: with keywords it ranks, without them it is the newest first.

    So a visitor who types keywords on the plain board gets the best match, not the newest.
    """
    response = client.get(BOARD, params)
    html = response.content.decode()
    order_list = re.search(r'<select name="order".*?</select>', html, re.S).group(0)
    # The option a browser shows: the one marked selected, else the first.
    selected = re.findall(r'<option value="(\w+)" selected>', order_list) or re.findall(r'value="(\w+)"', order_list)
    assert selected[0] == shown
    assert response.context["order"] == sorted_by
    assert "Without keywords, the best match is the newest first." in visible_text(html)


def test_pages_keep_the_search_in_their_links(client):
    for number in range(25):
        published_job(days_ago=number % 20, title=f"Archivist {number}")

    first = client.get(BOARD, {"q": "archivist", "state": "IL"})
    assert len(first.context["page"]) == 20
    assert "25 jobs match your search: showing 1–20." in visible_text(first.content.decode())
    hrefs = [href for href, _ in links(first.content.decode())]
    assert "?q=archivist&state=IL&page=2" in hrefs

    second = client.get(BOARD, {"q": "archivist", "state": "IL", "page": "2"})
    assert len(second.context["page"]) == 5

    # An order other than the default for the search goes along; the default needs no mention.
    newest = client.get(BOARD, {"q": "archivist", "order": "newest"}).content.decode()
    assert "?q=archivist&order=newest&page=2" in [href for href, _ in links(newest)]
    by_salary = client.get(BOARD, {"order": "salary"}).content.decode()
    assert "?order=salary&page=2" in [href for href, _ in links(by_salary)]
    plain = client.get(BOARD, {"order": "newest"}).content.decode()
    assert "?page=2" in [href for href, _ in links(plain)]


def test_an_empty_search_suggests_removing_filters(client):
    published_job(title="Archivist", state="IL")

    html = client.get(BOARD, {"q": "archivist", "state": "OH"}).content.decode()

    assert "No jobs match your search." in visible_text(html)
    pairs = [(text, href) for href, text in links(html)]
    assert ("Remove “State”", "?q=archivist") in pairs
    assert ("Remove “Keywords”", "?state=OH") in pairs
    assert ("See all jobs", "/joblist/") in pairs


def test_removing_the_only_filter_leads_to_the_whole_board(client):
    published_job(title="Archivist", state="IL")
    html = client.get(BOARD, {"state": "OH"}).content.decode()
    assert ("Remove “State”", "/joblist/") in [(text, href) for href, text in links(html)]


def test_an_empty_board_says_so(client):
    assert "There are no jobs on the board right now." in visible_text(client.get(BOARD).content.decode())


def test_the_board_offers_to_save_the_search(client):
    assert "Email me new jobs like these" in client.get(BOARD, {"q": "archives"}).content.decode()


BAD_INPUT = [
    {"q": "x" * 10_000},
    {"q": "librarian " * 1_000},
    {"q": '"'},
    {"q": '"unbalanced quote'},
    {"q": "&"},
    {"q": "|"},
    {"q": "!"},
    {"q": ":*"},
    {"q": "a & b | !c :* (d"},
    {"q": "' OR 1=1 --"},
    {"q": "<script>alert(1)</script>"},
    {"q": "\\"},
    {"q": "%_%"},
    {"q": "the"},  # only a stop word
    {"q": "ümlaut 图书馆"},
    {"q": "nul\x00byte"},
    {"state": "ZZ"},
    {"library_type": "castle"},
    {"category": ["librarian", "youth"]},
    {"job_type": "<b>"},
    {"workplace": "moon"},
    {"min_salary": "lots"},
    {"min_salary": "-5"},
    {"min_salary": "1e400"},
    {"min_salary": "99999999999999999999"},
    {"order": "price; DROP TABLE"},
    {"page": "abc"},
    {"page": "99999999999999999999"},
    {"page": "-1"},
]


@pytest.mark.parametrize("params", BAD_INPUT, ids=range(len(BAD_INPUT)))
def test_bad_input_gives_a_normal_page(client, params):
    published_job(title="Archives Librarian", salary_min=Decimal("50000"), salary_max=Decimal("60000"))

    response = client.get(BOARD, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(html) == 1
    assert "<script>alert(1)</script>" not in html


def test_an_unknown_filter_value_is_dropped_with_a_message_and_the_rest_applies(client):
    published_job(title="Archives Librarian", state="IL")
    published_job(title="Cataloger", state="IL")

    response = client.get(BOARD, {"q": "archives", "library_type": "castle"})

    assert titles(response) == ["Archives Librarian"]
    html = response.content.decode()
    assert "We left this out of the search." in visible_text(html)
    assert 'aria-describedby="id_library_type-error"' in html


def test_a_page_number_past_the_end_shows_the_last_page(client):
    published_job(title="Only one")
    assert titles(client.get(BOARD, {"page": "500"})) == ["Only one"]


def test_the_board_answers_head_and_refuses_post(client):
    assert client.head(BOARD).status_code == 200
    assert client.post(BOARD).status_code == 405


# Queries: the demo has 15 jobs; ten times as many cost no more. ------------------------------


def _add_jobs(count):
    employers = EmployerFactory.create_batch(5)
    for number in range(count):
        published_job(
            days_ago=number % 28,
            title=f"Reference Librarian {number}",
            employer=employers[number % 5],
            salary_min=Decimal(40000 + number),
            is_featured=number % 7 == 0,
        )


def _queries(client, url):
    client.get(url)  # warm the caches every page shares (site settings, sections)
    page_cache.bump()  # it stored the whole page too: renew it, so the counted request renders
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    "url",
    [BOARD, BOARD + "?page=2", BOARD + "?q=librarian&state=IL", BOARD + "?order=salary&min_salary=40000&page=3"],
)
def test_the_board_costs_the_same_queries_at_ten_times_the_demo_volume(client, url, django_assert_max_num_queries):
    _add_jobs(15)
    at_demo_volume = _queries(client, url)
    _add_jobs(135)
    client.get(url)
    page_cache.bump()
    with django_assert_max_num_queries(at_demo_volume):
        response = client.get(url)
    assert len(response.context["page"]) > 0


# The filters ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (0, "today"),
        (1, "yesterday"),
        (3, "3 days ago"),
        (7, "1 week ago"),
        (14, "2 weeks ago"),
        (21, "3 weeks ago"),
        (25, "1 month ago"),
        (29, "1 month ago"),
        (61, "2 months ago"),
        (400, "1 year ago"),
    ],
)
def test_ages_read_as_job_boards_say_them(days, words):
    assert age_in_words(days) == words


def test_the_age_counts_calendar_days_in_the_association_time_zone():
    assert posted_ago(timezone.now()) == "today"
    assert posted_ago(timezone.now() - timedelta(days=14)) == "2 weeks ago"
    assert posted_ago(None) == ""


@pytest.mark.parametrize(
    ("low", "high", "period", "words"),
    [
        ("58000", "72000", "year", "$58,000–$72,000 per year"),
        ("58000", None, "year", "From $58,000 per year"),
        (None, "72000", "year", "Up to $72,000 per year"),
        ("5000", "5000", "month", "$5,000 per month"),
        ("23.10", "26.40", "hour", "$23.10–$26.40 per hour"),
        (None, None, "year", ""),
    ],
)
def test_salary_in_words(low, high, period, words):
    posting = JobPosting(
        salary_min=Decimal(low) if low else None, salary_max=Decimal(high) if high else None, salary_period=period
    )
    assert salary(posting) == words
