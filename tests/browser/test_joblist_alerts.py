"""A job seeker's journey: filter the board → sign in from "Sign in to get these jobs by email" →
back on the same search → save it → see it on their saved searches; then stop its emails from the
email's one-click link, signed out. Axe clean on the saved searches and the unsubscribe pages."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from joblist import alert_links
from joblist.models import SavedSearch
from tests.factories import UserFactory
from tests.joblist.factories import published_job

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-42"  # tests.factories.UserFactory's


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


@pytest.mark.django_db(transaction=True)
def test_a_job_seeker_saves_a_filtered_search_and_finds_it_on_their_alerts(page, live_server, axe_violations):
    published_job(title="Teen Services Librarian", city="Columbus", state="OH")
    published_job(title="Teen Services Librarian", city="Chicago", state="IL")
    user = UserFactory(email="rosa.diaz@example.org")

    page.goto(live_server.url + "/joblist/")
    dismiss_cookie_banner(page)
    page.get_by_label("Keywords").fill("teen")
    page.get_by_label("State").select_option("OH")
    page.get_by_role("button", name="Search jobs").click()
    expect(page.get_by_text("1 job matches your search")).to_be_visible()

    page.get_by_role("link", name="Sign in to get these jobs by email").click()
    page.get_by_label("Email address").fill("rosa.diaz@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    # Back on the same search, now with the form to save it.
    expect(page.get_by_label("Keywords")).to_have_value("teen")
    expect(page.get_by_label("State")).to_have_value("OH")
    save = page.get_by_role("region", name="Email me new jobs like these")
    expect(save.get_by_label("Name this search")).to_have_value("“teen” · Ohio")
    assert axe_violations(page) == []
    save.get_by_label("Name this search").fill("Teen jobs in Ohio")
    save.get_by_role("button", name="Email me new jobs like these").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your saved job searches")
    expect(page.get_by_text("Saved “Teen jobs in Ohio”: we will email you new jobs that match.")).to_be_visible()
    expect(page.get_by_role("heading", name="Teen jobs in Ohio")).to_be_visible()
    expect(page.get_by_text("“teen” · Ohio", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    search = SavedSearch.objects.get(user=user)
    assert search.criteria == {"q": "teen", "state": "OH"}

    page.get_by_role("link", name="Run this search for “Teen jobs in Ohio”").click()
    expect(page.get_by_text("1 job matches your search")).to_be_visible()
    expect(page.get_by_label("State")).to_have_value("OH")

    # The email's unsubscribe link works signed out.
    page.context.clear_cookies()
    page.goto(live_server.url + urlsplit(alert_links.unsubscribe_url(search)).path)
    expect(page.get_by_role("heading", level=1)).to_have_text("Stop job alert emails")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Stop these emails").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert axe_violations(page) == []
    search.refresh_from_db()
    assert not search.is_active
