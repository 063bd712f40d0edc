"""A person shares their library's story from the landing page: a refused submit first, then the
confirmation. Staff approve it and it appears on /advocacy/stories/. Axe clean on the stories
pages, the news list and a news article."""

import re

import pytest
from playwright.sync_api import expect

from advocacy.models import Story
from tests.advocacy.news_factories import ArticleFactory
from tests.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def console_errors(page):
    """Console errors (a blocked script or style shows here as a CSP violation)."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


def test_share_a_story_from_the_landing_page(page, live_server, axe_violations, console_errors):
    page.goto(live_server.url + "/")
    dismiss_cookie_banner(page)
    page.get_by_role("link", name="Share Your Library's Story", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Share Your Library's Story")
    assert axe_violations(page) == []
    page.get_by_label("Your name").fill("Ana Reyes")
    page.get_by_label("Your email").fill("ana@example.org")
    page.get_by_label("Your library").fill("Rolla Public Library")
    page.get_by_label("City").fill("Rolla")
    page.get_by_label("State").select_option("MO")
    page.get_by_label("ZIP code").fill("65401")
    page.get_by_label("Your story").fill("The library's <b>job lab</b> helped me find work.")
    page.get_by_role("button", name="Share my story").click()

    # The consents were not answered: the summary says so, and nothing is stored.
    expect(page).to_have_title(re.compile(r"^Error: Share Your Library's Story"))
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Tell us whether we may publish"))).to_be_visible()
    assert Story.objects.count() == 0
    assert axe_violations(page) == []

    page.get_by_role("group", name=re.compile("members of Congress")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("publish your story")).get_by_label("Yes").check()
    page.get_by_role("button", name="Share my story").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for sharing your story")
    assert axe_violations(page) == []
    story = Story.objects.get()
    assert (story.name, story.state, story.congress_consent, story.publish_consent) == ("Ana Reyes", "MO", True, True)

    story.approve(by=StaffFactory())
    page.goto(live_server.url + "/advocacy/stories/")
    card = page.locator("article").filter(has_text="Rolla Public Library")
    expect(card).to_contain_text("Ana Reyes · Rolla, Missouri")
    expect(card).to_contain_text("The library's <b>job lab</b> helped me find work.")
    expect(page.get_by_text("ana@example.org")).to_have_count(0)
    assert axe_violations(page) == []
    assert console_errors == []


def test_the_empty_stories_list_and_the_news_pages_are_axe_clean(page, live_server, axe_violations, console_errors):
    ArticleFactory(title="PLA seeks responses to the survey", slug="pla-survey")
    ArticleFactory(title="ALA names a director", press_release=True)

    page.goto(live_server.url + "/advocacy/stories/")
    dismiss_cookie_banner(page)
    expect(page.get_by_text("No stories are published yet.")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(live_server.url + "/news/")
    page.get_by_role("link", name="Press releases").click()
    expect(page.get_by_role("link", name="Press releases")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("heading", level=2, name="ALA names a director")).to_be_visible()
    assert axe_violations(page) == []

    page.goto(live_server.url + "/news/pla-survey/")
    expect(page.get_by_role("heading", level=1)).to_have_text("PLA seeks responses to the survey")
    assert axe_violations(page) == []
    assert console_errors == []
