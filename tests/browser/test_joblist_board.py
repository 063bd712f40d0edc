"""JobLIST in a real browser: search and filter by keyboard, open an ad; axe; phones at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from joblist.models import JobPosting
from tests.joblist.factories import JobPostingFactory

from .test_foundation import site  # noqa: F401  (the live site with the demo content)

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 720}


def focused(page):
    return page.evaluate("() => [document.activeElement.tagName, document.activeElement.id]")


def overflow(page):
    """How many pixels the page sticks out past the right edge (0 when it reflows)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def test_search_and_filter_by_keyboard_then_open_an_ad(page, site):  # noqa: F811
    page.goto(site + "/joblist/")
    keywords = page.get_by_label("Keywords")
    keywords.focus()
    page.keyboard.type("librarian")
    page.keyboard.press("Tab")
    assert focused(page) == ["SELECT", "id_state"]
    page.keyboard.type("Missouri")  # a closed list picks the option typed
    expect(page.get_by_label("State")).to_have_value("MO")
    keywords.focus()
    page.keyboard.press("Enter")  # Enter in a text field sends the form

    expect(page).to_have_url(
        site + "/joblist/?q=librarian&state=MO&library_type=&category=&job_type=&workplace=&min_salary=&order=relevance"
    )
    expect(page.get_by_role("status").first).to_contain_text("3 jobs match your search")
    results = page.locator(".joblist-results")
    expect(results.get_by_role("link")).to_have_count(3)

    # Tab from the results' count onwards reaches the first ad; Enter opens it.
    first = results.get_by_role("link").first
    title = first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.get_by_role("link", name=f"Apply online for {title}")).to_be_visible()


def test_sort_by_salary_and_clear_by_keyboard(page, site):  # noqa: F811
    page.goto(site + "/joblist/?state=OH")
    page.get_by_label("Sort by").focus()
    page.keyboard.type("Highest")
    page.get_by_role("button", name="Search jobs").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Sort by")).to_have_value("salary")
    first = page.locator(".joblist-results h3").first
    expect(first).to_have_text("Associate Dean for Research and Instruction")

    page.get_by_role("link", name="Clear").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(site + "/joblist/")
    expect(page.get_by_role("status").first).to_contain_text("15 jobs")


def test_the_board_works_without_javascript(browser, site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/joblist/")
    page.get_by_label("Keywords").fill("binghamton")
    # Any whole number goes (the recommended minimum salary is 45,282): the browser refuses none.
    page.get_by_label("Minimum yearly salary (USD)").fill("45282")
    page.get_by_role("button", name="Search jobs").click()
    expect(page).to_have_url(re.compile(r"min_salary=45282"))
    expect(page.locator(".joblist-results").get_by_role("link")).to_have_count(1)
    context.close()


def test_axe_finds_nothing_on_the_board_an_ad_and_an_ended_ad(page, site, axe_violations):  # noqa: F811
    ended = JobPostingFactory(expired=True, title="Archivist (filled)")
    featured = JobPosting.objects.filter(is_featured=True).first()
    for path in (
        "/joblist/",
        "/joblist/?q=nothing-matches-this&state=ZZ",
        "/joblist/?library_type=castle",
        featured.get_absolute_url(),
        "/joblist/6-librarian-i-childrens-coordinator/",  # applied for by email
        ended.get_absolute_url(),
    ):
        page.goto(site + path)
        assert axe_violations(page) == [], path


@pytest.mark.parametrize(
    "path",
    [
        "/joblist/",
        "/joblist/?q=nothing-matches-this&state=ZZ&min_salary=lots",
        "/joblist/2-director-of-library-services/",
    ],
)
def test_no_sideways_scrolling_at_320_pixels(page, site, path):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.goto(site + path)
    assert overflow(page) <= 0


def test_an_ended_ad_at_320_pixels(page, site):  # noqa: F811
    ended = JobPostingFactory(expired=True, title="Executive Director of Libraries and Archives Services")
    page.set_viewport_size(PHONE)
    page.goto(site + ended.get_absolute_url())
    expect(page.get_by_text("This job is no longer accepting applications.")).to_be_visible()
    assert overflow(page) <= 0
