"""A real member's journey: join → confirm the address → log in → pay → active; renew → one more year."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from membership import demo
from membership.models import Membership, MembershipTerm, add_years

pytestmark = pytest.mark.browser

PASSWORD = "Shelves-and-stacks-2026"
VERIFY_LINK = re.compile(r"https?://\S+/membership/verify/\S+/")


def one_year_from(day):
    return add_years(day, 1) - timedelta(days=1)


def long_date(day):
    return f"{day:%B} {day.day}, {day.year}"


@pytest.fixture
def console_errors(page):
    """Console errors (a blocked script or style shows here as a CSP violation)."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


@pytest.fixture
def seeded(live_server):
    demo.seed(log=lambda *args: None)
    return live_server


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


def fill_billing_and_pay(page, amount):
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    page.get_by_label("Street address").fill("225 N Michigan Ave")
    page.get_by_label("City").fill("Chicago")
    page.get_by_label("State or region").fill("IL")
    page.get_by_label("ZIP or postal code").fill("60601")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for order ALA-")
    page.get_by_role("combobox", name=re.compile(r"^Status")).select_option("confirmed")
    page.get_by_role("button", name=f"Pay {amount}").click()


@pytest.mark.django_db(transaction=True)
def test_join_confirm_pay_then_renew(page, seeded, axe_violations, console_errors):
    live_server = seeded
    page.goto(live_server.url + "/membership/")
    dismiss_cookie_banner(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Membership")
    expect(page.get_by_role("heading", name="Individual Type II")).to_be_visible()
    page.get_by_role("link", name="Join as Individual Type I", exact=True).click()

    # Join: an account, the type (chosen from the link), both confirmations, preferences.
    expect(page.get_by_role("heading", level=1)).to_have_text("Join ALA")
    expect(page.get_by_label("Individual Type I — $125.00 a year")).to_be_checked()
    page.get_by_label("Email address").fill("Mina.Okafor@example.org")
    page.get_by_label("First name").fill("Mina")
    page.get_by_label("Last name").fill("Okafor")
    page.get_by_role("textbox", name=re.compile(r"^Password\W*$")).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("I confirm I meet the eligibility requirements").check()
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.get_by_text("Members agree to the Code of Conduct; tick the box to continue.")).to_be_visible()
    page.get_by_role("textbox", name=re.compile(r"^Password\W*$")).fill(PASSWORD)  # passwords are never sent back
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_label("I agree to follow the ALA Code of Conduct.").check()
    page.get_by_label("advocacy alerts by email").check()
    page.get_by_role("button", name="Continue", exact=True).click()

    # The same answer whether or not the address has an account: look in the inbox.
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email to continue")
    expect(page.get_by_text("We have sent an email to Mina.Okafor@example.org")).to_be_visible()
    membership = Membership.objects.get(user__email="Mina.Okafor@example.org")
    assert membership.status == Membership.Status.PENDING
    assert membership.advocacy_emails

    # The confirmation link from the email (the live server's mail lands in this process's outbox),
    # then log in, and the account page leads to paying the dues.
    [message] = mail.outbox
    page.goto(VERIFY_LINK.search(message.body).group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    expect(page.get_by_text("Thank you: your email address is confirmed. Log in to continue.")).to_be_visible()
    page.get_by_label("Email address").fill("mina.okafor@EXAMPLE.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_test_id("membership-status")).to_contain_text("Pending")
    expect(page.get_by_text("Your Individual Type I membership is waiting for its dues: $125.00")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Pay your dues").click()
    expect(page.get_by_text("Individual Type I membership dues, one year")).to_be_visible()
    fill_billing_and_pay(page, "$125.00")

    today = timezone.localdate()
    expiry = one_year_from(today)
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_test_id("membership-status")).to_have_text("Active")
    expect(page.get_by_test_id("membership-expiry")).to_have_text(long_date(expiry))
    membership.refresh_from_db()
    assert membership.expires_on == expiry
    assert membership.user.is_member
    assert any("membership is active" in m.subject for m in mail.outbox)

    # Renew: one more year from the current expiry, whatever the day it is paid.
    page.get_by_role("main").get_by_role("link", name="Renew").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Renew your membership")
    expect(page.get_by_text(f"runs until {long_date(expiry)}")).to_be_visible()
    page.get_by_role("button", name="Continue to payment").click()
    fill_billing_and_pay(page, "$125.00")

    renewed_to = one_year_from(expiry + timedelta(days=1))
    expect(page.get_by_test_id("membership-expiry")).to_have_text(long_date(renewed_to))
    expect(page.get_by_test_id("membership-status")).to_have_text("Active")
    history = page.get_by_role("table", name="Membership terms")
    expect(history.get_by_role("row")).to_have_count(3)  # a header and two years
    membership.refresh_from_db()
    assert membership.expires_on == renewed_to
    assert membership.terms.filter(status=MembershipTerm.Status.STARTED).count() == 2
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path", ["/membership/", "/membership/join/", "/membership/join/check-email/", "/donate/", "/membership/renew/"]
)
def test_membership_pages_have_no_accessibility_violations(page, seeded, axe_violations, path):
    if path == "/membership/renew/":  # renewal is for members: log the demo member in
        log_in_demo_member(page, seeded)
    page.goto(seeded.url + path)

    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_the_account_page_has_no_accessibility_violations(page, seeded, axe_violations):
    log_in_demo_member(page, seeded)
    page.goto(seeded.url + "/membership/account/")
    expect(page.get_by_test_id("membership-status")).to_have_text("Active")

    assert axe_violations(page) == []


@pytest.mark.django_db(transaction=True)
def test_a_bad_donation_amount_is_explained_next_to_the_field(page, seeded):
    page.goto(seeded.url + "/donate/")
    dismiss_cookie_banner(page)
    page.get_by_label("Other amount", exact=True).check()
    page.get_by_label("Other amount (USD)").fill("12.345")
    page.get_by_label("Your name").fill("Pat Donor")
    page.get_by_label("Your email (for the receipt)").fill("pat@example.org")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("alert")).to_contain_text("Please correct the fields marked below.")
    expect(page.get_by_text("Use at most two decimal places (cents).")).to_be_visible()
    page.get_by_label("Other amount (USD)").fill("40")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_text("Donation: Where it is needed most")).to_be_visible()


def log_in_demo_member(page, live_server):
    from membership.models import User

    member = User.objects.get(email=demo.DEMO_MEMBER_EMAIL)
    member.set_password(PASSWORD)
    member.save()
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email address").fill(demo.DEMO_MEMBER_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My account")).to_be_visible()
