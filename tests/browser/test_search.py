"""Site search in a real browser: the header box on any page → results → open one; axe; 320 px; no JS."""

import re

import pytest
from playwright.sync_api import expect

from .test_foundation import site  # noqa: F401  (the live site with the demo content)

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 720}


def overflow(page):
    """How many pixels the page sticks out past the right edge (0 when it reflows)."""
    return page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")


def header_box(page):
    return page.get_by_role("search", name="Site search").get_by_role("searchbox", name="Search the site")


def test_type_in_the_header_box_then_open_a_result(page, site):  # noqa: F811
    page.goto(site + "/events/")
    box = header_box(page)
    box.focus()
    page.keyboard.type("gender queer")
    page.keyboard.press("Enter")

    expect(page).to_have_url(site + "/search/?q=gender+queer")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("status").first).to_contain_text("for “gender queer”")
    results = page.locator(".search-result")
    expect(results.first.locator("mark").first).to_have_text(re.compile("gender", re.I))

    first = results.first.get_by_role("link")
    title = first.inner_text()
    first.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)


def test_filter_by_kind_and_search_again_from_the_page(page, site):  # noqa: F811
    page.goto(site + "/search/?q=library")
    kinds = page.get_by_role("navigation", name="Results by kind")
    jobs = kinds.get_by_role("link", name=re.compile(r"^Jobs"))
    jobs.click()

    expect(page).to_have_url(re.compile(r"kind=jobs"))
    expect(kinds.get_by_role("link", name=re.compile(r"^Jobs"))).to_have_attribute("aria-current", "page")
    badges = page.locator(".search-result .badge")
    expect(badges.first).to_have_text("Jobs")
    assert set(badges.all_inner_texts()) == {"Jobs"}

    page.get_by_label("Search for").fill("qwxzv")
    page.get_by_role("button", name="Search", exact=True).last.click()
    expect(page.get_by_role("status").first).to_contain_text("No results for “qwxzv” in Jobs")
    expect(page.get_by_role("link", name="Browse JobLIST")).to_be_visible()


@pytest.mark.parametrize("path", ["/search/?q=library", "/search/", "/search/?q=qwxzv", "/search/?q=library&page=2"])
def test_results_and_the_empty_state_are_axe_clean(page, site, axe_violations, path):  # noqa: F811
    page.goto(site + path)

    assert axe_violations(page) == []


def test_results_and_the_header_box_fit_a_phone(browser, site):  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    for path in ("/", "/search/?q=library", "/search/?q=" + "x" * 200):
        page.goto(site + path)
        assert overflow(page) == 0, path
        box = header_box(page).bounding_box()
        button = page.get_by_role("search", name="Site search").get_by_role("button", name="Search").bounding_box()
        assert box["x"] >= 0 and button["x"] + button["width"] <= PHONE["width"], path
    context.close()


def test_the_header_box_works_without_javascript(browser, site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    header_box(page).fill("webinar")
    page.get_by_role("search", name="Site search").get_by_role("button", name="Search").click()

    expect(page).to_have_url(site + "/search/?q=webinar")
    expect(page.locator(".search-result").first).to_be_visible()
    context.close()
