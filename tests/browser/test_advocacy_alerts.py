"""A supporter's journey: the landing page's alert banner → the campaign page → sign up for alerts
(a mistake first) → confirm by the emailed link → receive an alert → unsubscribe by its link.
Axe-clean on every page on the way."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from advocacy import demo_campaign
from advocacy.models import AdvocacyAlert, AlertSubscriber
from ala_site.models import AlertBanner

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/advocacy/alerts/confirm/[^/\s]+/)")
UNSUBSCRIBE_LINK = re.compile(r"https?://[^/\s]+(/advocacy/alerts/unsubscribe/[^/\s]+/)")


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_by_the_emailed_link_then_unsubscribe_by_the_alerts_link(
    page, live_server, axe_violations, console_errors
):
    # The banner as the site's demo once wrote it, to the association's old campaign page: the
    # campaign's demo moves it to /advocacy/.
    AlertBanner.objects.create(
        message="Library funding is under threat. Find out how you can show up for libraries:",
        link_label="ala.org/showup",
        link_url="https://www.ala.org/showup",
    )
    demo_campaign.seed(log=lambda *args: None)
    page.goto(live_server.url + "/")
    dismiss_cookie_banner(page)
    page.get_by_role("region", name="Site alert").get_by_role("link", name="Show Up for Libraries").click()
    expect(page).to_have_url(live_server.url + "/advocacy/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Show Up to Support Library Funding")
    expect(page.get_by_role("heading", name="If you have 5 minutes")).to_be_visible()
    assert axe_violations(page) == []

    page.get_by_role("link", name="Sign up for Advocacy Alerts", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up for Advocacy Alerts")
    assert axe_violations(page) == []

    # A mistake first: the ZIP code is one digit short.
    page.get_by_label("Email address").fill("pat.reader@example.org")
    page.get_by_label("Your name").fill("Pat Reader")
    page.get_by_label("ZIP code").fill("6060")
    page.get_by_label("Library funding (LSTA, IAL and state funding)").check()
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_text("Enter a five-digit ZIP code").first).to_be_visible()
    assert not AlertSubscriber.objects.exists()
    assert axe_violations(page) == []

    page.get_by_label("ZIP code").fill("60601")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email to confirm")
    assert axe_violations(page) == []
    subscriber = AlertSubscriber.objects.get()
    assert (subscriber.state, subscriber.status) == ("IL", AlertSubscriber.Status.PENDING)

    [confirmation] = mail.outbox
    page.goto(live_server.url + CONFIRM_LINK.search(confirmation.body)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your Advocacy Alerts sign-up")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Confirm my sign-up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are signed up for Advocacy Alerts")
    assert axe_violations(page) == []
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.CONFIRMED

    alert = AdvocacyAlert.objects.create(subject="Call Congress about LSTA today", body="The vote is on **Thursday**.")
    alert.start_sending(by=None)
    alert.send_all()
    [alert_email] = [message for message in mail.outbox if message.subject == "Call Congress about LSTA today"]
    assert alert_email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    page.goto(live_server.url + UNSUBSCRIBE_LINK.search(alert_email.body)[1])
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe from Advocacy Alerts")
    expect(page.get_by_text("pat.reader@example.org")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    assert axe_violations(page) == []
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.UNSUBSCRIBED

    assert console_errors == []  # no script or style blocked by the CSP on the way

    # A link that does not work says so (a 400), in the site's look.
    page.goto(live_server.url + "/advocacy/alerts/unsubscribe/not-a-real-link/")
    expect(page.get_by_role("heading", level=1)).to_have_text("This unsubscribe link does not work")
    assert axe_violations(page) == []
