"""/censorship/: the hub for banned books, censorship data, book résumés and reporting."""

import pytest
from django.urls import NoReverseMatch, reverse

from tests.html_utils import h1_count, headings, links, visible_text

from .factories import BookResumeFactory, CensorshipYearFactory, ChallengedBookFactory

pytestmark = pytest.mark.django_db


def report_url():
    try:
        return reverse("censorship:report")
    except NoReverseMatch:
        return None


def test_the_hub_leads_to_data_resumes_and_reporting(client):
    response = client.get("/censorship/")

    assert response.status_code == 200
    assert reverse("censorship:hub") == "/censorship/"
    page = response.content.decode()
    assert h1_count(page) == 1
    assert "Fight Censorship: Take Action Against Book Bans" in headings(page, levels={"h1"})
    hrefs = [href for href, _text in links(page)]
    assert "/censorship/data/" in hrefs
    assert "/censorship/resumes/" in hrefs
    assert {"Censorship Data", "Defend Challenged Books with Book Résumés"} <= set(headings(page, levels={"h2"}))
    if report_url():
        assert (report_url(), "Report a challenge") in links(page)
        assert "Report Censorship" in headings(page, levels={"h2"})


def test_the_hub_shows_the_latest_published_figures_and_top_books(client):
    CensorshipYearFactory(year=2023, attempts=1247, unique_titles=4240)
    latest = CensorshipYearFactory(year=2024, attempts=821, unique_titles=2452)
    CensorshipYearFactory(year=2025, attempts=5, unique_titles=5, is_published=False)
    resume = BookResumeFactory(title="All Boys Aren't Blue")
    ChallengedBookFactory(year=latest, rank=1, title="All Boys Aren't Blue", challenges=39, resume=resume)
    ChallengedBookFactory(year=latest, rank=2, title="Gender Queer", challenges=38, reasons="LGBTQIA+ content")

    page = client.get("/censorship/").content.decode()
    text = visible_text(page)

    assert "821 attempts to restrict access to library materials in 2024" in text
    assert "2,452 unique titles" in text
    assert "The most challenged books of 2024" in headings(page)
    assert (resume.get_absolute_url(), "All Boys Aren't Blue") in links(page)
    assert "Gender Queer by Pat Author (38 challenges). Reasons given: LGBTQIA+ content" in text
    assert "2025" not in text


def test_the_hub_without_figures_still_answers(client):
    page = client.get("/censorship/").content.decode()

    assert "attempts to restrict access" not in visible_text(page)
    assert "The most challenged books" not in page


def test_an_unpublished_resume_is_not_linked_from_the_hub(client):
    year = CensorshipYearFactory(year=2024)
    hidden = BookResumeFactory(title="Draft", is_published=False)
    ChallengedBookFactory(year=year, title="Draft", resume=hidden)

    page = client.get("/censorship/").content.decode()

    assert hidden.get_absolute_url() not in page
    assert "Draft" in visible_text(page)


@pytest.mark.parametrize(
    "url",
    [
        "/censorship/",
        "/censorship/data/",
        "/censorship/data.csv",
        "/censorship/most-challenged.csv",
        "/censorship/resumes/",
        "/censorship/resumes/crank/",
    ],
)
def test_read_only_pages_take_get_and_head_only(client, url):
    BookResumeFactory(title="Crank", slug="crank")

    assert client.head(url).status_code == 200
    for method in (client.post, client.put, client.delete):
        assert method(url).status_code == 405


def test_the_report_form_takes_get_head_and_post_and_its_thank_you_page_get_and_head():
    from django.test import Client

    client = Client()
    assert client.head("/censorship/report/").status_code == 200
    assert client.put("/censorship/report/").status_code == 405
    assert client.head("/censorship/report/thanks/").status_code == 302  # no report from this browser yet
    assert client.post("/censorship/report/thanks/").status_code == 405
