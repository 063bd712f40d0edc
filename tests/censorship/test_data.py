"""/censorship/data/: figures per year as accessible SVG charts beside tables, the CSV downloads,
the most-challenged books, and the counts from consenting reports."""

import csv
import io
import re
from xml.etree import ElementTree

import pytest

from censorship import views
from tests.html_utils import headings, visible_text

from .factories import BookResumeFactory, CensorshipYearFactory, ChallengedBookFactory

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def seed_years():
    for year, attempts, titles in [(2022, 1269, 2571), (2023, 1247, 4240), (2024, 821, 2452)]:
        CensorshipYearFactory(year=year, attempts=attempts, unique_titles=titles)


def charts(page):
    """Each <svg> chart, parsed (the templates write well-formed SVG)."""
    return [
        ElementTree.fromstring(svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1))
        for svg in re.findall(r"<svg .*?</svg>", page, re.S)
    ]


def get_page(client, url="/censorship/data/"):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_each_chart_is_an_image_with_a_title_a_description_and_a_bar_per_year(client):
    seed_years()

    page = get_page(client)
    found = charts(page)

    assert len(found) == 2
    for chart in found:
        assert chart.get("role") == "img"
        title_id, desc_id = chart.get("aria-labelledby").split()
        title = chart.find(f"{SVG}title")
        desc = chart.find(f"{SVG}desc")
        assert (title.get("id"), desc.get("id")) == (title_id, desc_id)
        assert title.text.strip() and "2022 to 2024" in desc.text
        assert len(chart.findall(f".//{SVG}rect")) == 3
    attempts, titles = found
    assert "Attempts to restrict access" in attempts.find(f"{SVG}title").text
    assert "Highest: 2022, 1,269. Lowest: 2024, 821." in attempts.find(f"{SVG}desc").text
    assert "Highest: 2023, 4,240." in titles.find(f"{SVG}desc").text
    # Bars are as tall as their values: 2023's unique titles reach highest.
    heights = [float(rect.get("height")) for rect in titles.findall(f".//{SVG}rect")]
    assert heights[1] == max(heights) and heights[0] > heights[2]


def test_no_inline_styles_anywhere_on_the_page(client):
    seed_years()

    page = get_page(client)

    assert "style=" not in page
    assert "<style" not in page


def test_a_table_beside_each_chart_holds_every_figure(client):
    seed_years()

    page = get_page(client)
    text = visible_text(page)

    assert "Attempts to restrict access, by year Year Attempts 2022 1,269 2023 1,247 2024 821" in text
    assert "Unique titles challenged, by year Year Unique titles 2022 2,571 2023 4,240 2024 2,452" in text


def test_unpublished_years_are_left_out(client):
    seed_years()
    CensorshipYearFactory(year=2025, attempts=9999, unique_titles=9999, is_published=False)

    page = get_page(client)

    assert "9,999" not in page and "2025" not in visible_text(page)
    assert all(len(chart.findall(f".//{SVG}rect")) == 3 for chart in charts(page))


def test_year_notes_show_under_what_the_figures_show(client):
    CensorshipYearFactory(year=2024, notes="72% of challenges came from pressure groups.\n\nA second paragraph.")

    page = get_page(client)

    assert "What the figures show" in headings(page)
    assert "<p>72% of challenges came from pressure groups.</p>" in page


def test_the_most_challenged_books_of_each_year_with_reasons(client):
    year = CensorshipYearFactory(year=2024)
    resume = BookResumeFactory(title="Looking for Alaska")
    ChallengedBookFactory(
        year=year, rank=6, title="Looking for Alaska", author="John Green", challenges=30, resume=resume
    )
    ChallengedBookFactory(year=year, rank=1, title="All Boys Aren't Blue", reasons="LGBTQIA+ content", challenges=39)
    older = CensorshipYearFactory(year=2023)
    ChallengedBookFactory(year=older, rank=1, title="Gender Queer", challenges=None)

    page = get_page(client)
    text = visible_text(page)

    assert headings(page, levels={"h3"})[:2] == ["2024", "2023"]
    assert text.index("All Boys Aren't Blue") < text.index("Looking for Alaska") < text.index("Gender Queer")
    assert "1 All Boys Aren't Blue Pat Author 39 LGBTQIA+ content" in text
    assert f'href="{resume.get_absolute_url()}"' in page
    assert "Gender Queer Pat Author not recorded —" in text


def test_empty_state(client):
    page = get_page(client)

    assert "No figures have been published yet." in page
    assert "<svg" not in page
    assert "Most-challenged books" not in headings(page)


def read_csv(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("url", ["/censorship/data.csv", "/censorship/data/?format=csv"])
def test_csv_of_the_figures(client, url):
    seed_years()
    CensorshipYearFactory(year=2025, is_published=False)

    rows = read_csv(client.get(url))

    assert rows == [
        ["year", "attempts to restrict access", "unique titles challenged"],
        ["2022", "1269", "2571"],
        ["2023", "1247", "4240"],
        ["2024", "821", "2452"],
    ]


def test_csv_of_the_books_neutralises_formulas(client):
    year = CensorshipYearFactory(year=2024)
    ChallengedBookFactory(
        year=year, rank=1, title='=HYPERLINK("http://evil.example","x")', author="+cmd", reasons="@SUM(1)"
    )
    ChallengedBookFactory(
        year=year, rank=2, title="-2+3", author="\tTabbed", reasons="ordinary, reasons", challenges=None
    )

    rows = read_csv(client.get("/censorship/most-challenged.csv"))

    assert rows[0] == ["year", "rank", "title", "author", "challenges", "reasons given"]
    assert rows[1] == ["2024", "1", '\'=HYPERLINK("http://evil.example","x")', "'+cmd", "20", "'@SUM(1)"]
    assert rows[2] == ["2024", "2", "'-2+3", "'\tTabbed", "", "ordinary, reasons"]


def test_page_links_both_downloads(client):
    year = CensorshipYearFactory(year=2024)
    ChallengedBookFactory(year=year)

    page = get_page(client)

    assert 'href="/censorship/data.csv"' in page
    assert 'href="/censorship/most-challenged.csv"' in page


def test_queries_do_not_grow_with_years_and_books(client, django_assert_max_num_queries):
    def make(first, count):
        for offset in range(count):
            year = CensorshipYearFactory(year=first + offset)
            for rank in range(10):
                ChallengedBookFactory(year=year, rank=rank + 1, resume=BookResumeFactory())

    make(2000, 2)
    client.get("/censorship/data/")  # the first visit makes the site's settings row
    with django_assert_max_num_queries(12) as few:
        get_page(client)
    make(2010, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        get_page(client)


# Counts from reports (the report work's censorship.report_stats) -----------------------------


def test_report_counts_show_fewer_than_five_for_small_groups(client, monkeypatch):
    figures = {
        "by_year": {2025: 12, "Other years, together": 6},
        "by_reason": {"LGBTQIA+ content": 7, "Violence": None},
        "by_institution_type": {"Public library": 9, "Other kinds of library, together": 9},
    }
    monkeypatch.setattr("censorship.report_stats.consented_report_counts", lambda: figures)

    page = get_page(client)
    text = visible_text(page)

    assert "From reports filed with us" in headings(page)
    assert "Reports by the year of the challenge Year Reports 2025 12 Other years, together 6" in text
    assert "LGBTQIA+ content 7 Violence fewer than 5" in text
    assert "Public library 9 Other kinds of library, together 9" in text


def test_the_page_counts_consenting_reports_only_and_no_group_under_five(client):
    from datetime import date

    from tests.censorship.report_factories import ChallengeReportFactory

    ChallengeReportFactory.create_batch(
        7, occurred_on=date(2025, 4, 1), institution_type="public", reason_categories=["lgbtqia"]
    )
    ChallengeReportFactory.create_batch(
        2, occurred_on=date(2024, 4, 1), institution_type="school", reason_categories=["violence"]
    )
    # Refused: not counted, though 20 would otherwise lift every group above 5.
    ChallengeReportFactory.create_batch(
        20, may_disclose=False, occurred_on=date(2024, 4, 1), institution_type="school", reason_categories=["violence"]
    )

    text = visible_text(get_page(client))

    assert "Reports by the year of the challenge Year Reports All years, together 9" in text
    assert "Reports by the reasons given Reason given Reports LGBTQIA+ content 7 Violence fewer than 5" in text
    assert "Reports by kind of library Kind of library Reports All kinds of library, together 9" in text
    assert "no group of fewer than 5 reports is counted on its own" in text


def test_no_report_section_without_consenting_reports(client):
    page = get_page(client)

    assert views.report_figures() is None
    assert "From reports filed with us" not in page
