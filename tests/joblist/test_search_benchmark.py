"""manage.py joblist_search_benchmark: generates postings once, times the board's searches."""

import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from joblist.management.commands.joblist_search_benchmark import SEARCHES
from joblist.models import JobPosting

pytestmark = pytest.mark.django_db


def benchmark(*args):
    out = io.StringIO()
    call_command("joblist_search_benchmark", *args, stdout=out)
    return out.getvalue()


def result_lines(output):
    return [line for line in output.splitlines() if re.search(r"\d ms +[\d.]+ ms", line)]


def test_it_generates_the_rows_once_and_times_every_search():
    output = benchmark("--rows", "40", "--repeat", "2")

    generated = JobPosting.objects.filter(apply_url__startswith="https://jobs.example.org/generated/")
    assert generated.count() == 40
    lines = result_lines(output)
    assert len(lines) == len(SEARCHES)
    # Each line's match count is what the board finds for that search.
    librarian = next(line for line in lines if line.startswith("“librarian”, relevance"))
    expected = JobPosting.objects.visible().search("librarian").count()
    assert expected > 0
    assert re.search(rf"\s{expected}\s", librarian)

    benchmark("--rows", "40", "--repeat", "1")
    assert generated.count() == 40  # already there: nothing added


def test_it_says_what_it_measures_on_each_database():
    output = benchmark("--rows", "10", "--repeat", "1")

    if connection.vendor == "postgresql":
        assert "PostgreSQL full-text search" in output
        lines = result_lines(output)
        assert all(re.search(r" ms  (yes |NO  |n/a ) \S", line) for line in lines)
        assert all(" ms  n/a " in line for line in lines if not line.startswith("“"))
    else:
        assert "measures the simple word match" in output


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_on_postgresql_it_reports_the_gin_index_when_the_planner_uses_it():
    # On a few rows the planner rightly prefers reading the table, or another index: forbid table
    # scans, plain index scans and nested loops, and drop the date indexes (in the test's
    # transaction, rolled back after it), so a bitmap scan of the GIN index is the one way left.
    with connection.cursor() as cursor:
        for setting in ("enable_seqscan", "enable_indexscan", "enable_nestloop"):
            cursor.execute(f"SET LOCAL {setting} = off")
        cursor.execute("DROP INDEX joblist_visible_idx, joblist_newest_idx, joblist_deadline_idx")
    output = benchmark("--rows", "10", "--repeat", "1")

    # The selective searches (a word few ads have) read the index.
    selective = [line for line in result_lines(output) if line.startswith(("“numismatics”", "“archivist”"))]
    assert len(selective) == 2 and all(" ms  yes " in line for line in selective)


def test_live_keeps_that_many_generated_ads_on_the_board_and_the_rest_as_history():
    output = benchmark("--rows", "30", "--live", "5", "--repeat", "1")

    generated = JobPosting.objects.filter(apply_url__startswith="https://jobs.example.org/generated/")
    assert generated.count() == 30
    assert generated.filter(status=JobPosting.Status.EXPIRED).count() == 25
    assert generated.visible().count() == 5
    assert f"{JobPosting.objects.count()} postings, {JobPosting.objects.visible().count()} on the board" in output

    benchmark("--rows", "30", "--live", "5", "--repeat", "1")
    assert generated.visible().count() == 5


def test_bad_arguments_are_refused():
    with pytest.raises(CommandError):
        benchmark("--repeat", "0")
