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
    expect(page.get_by_text(f"Amount due: {amount}")).to_be_visible()
    page.get_by_role("button", name="Approve payment").click()


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
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    # exact: the error summary's link repeats it after the field's label
    expect(
        page.get_by_text("Members agree to the Code of Conduct; tick the box to continue.", exact=True)
    ).to_be_visible()
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

    thanks = f"Thank you: your dues are paid. Your membership runs until {long_date(expiry)}."
    expect(page.get_by_text(thanks)).to_be_visible()
    # Just joined: nothing pushes a renewal, but renewing early stays possible.
    utility = page.get_by_role("navigation", name="Utility")
    expect(utility.get_by_role("link", name="Renew", exact=True)).to_have_count(0)
    expect(utility.get_by_role("link", name="Join", exact=True)).to_have_count(0)
    expect(page.get_by_role("main").get_by_role("link", name="Renew", exact=True)).to_have_count(0)

    # Renew early: one more year from the current expiry, whatever the day it is paid.
    page.get_by_role("main").get_by_role("link", name="Renew early").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Renew your membership")
    expect(page.get_by_text(f"runs until {long_date(expiry)}")).to_be_visible()
    expect(page.get_by_text("You may renew early now if you prefer")).to_be_visible()
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

    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    expect(page.get_by_text("Use at most two decimal places (cents).", exact=True)).to_be_visible()
    page.get_by_label("Other amount (USD)").fill("40")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_text("Donation: Where it is needed most")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_a_guest_gives_what_they_typed_and_is_thanked_for_the_gift(page, seeded, axe_violations, console_errors):
    page.goto(seeded.url + "/donate/")
    dismiss_cookie_banner(page)
    expect(page.get_by_label("$50", exact=True)).to_be_checked()
    # Typing another amount chooses "Other amount" (donate.js), so $50 is not charged instead.
    page.get_by_label("Other amount (USD)").fill("35")
    expect(page.get_by_label("Other amount", exact=True)).to_be_checked()
    page.get_by_label("Dedication type").select_option("memory")
    page.get_by_label("Dedicated to").fill("E. J. Josey")
    page.get_by_label("Your name").fill("Pat Donor")
    page.get_by_label("Your email (for the receipt)").fill("pat@example.org")
    page.get_by_role("button", name="Continue to payment").click()

    # The checkout does not ask again for the name and email just typed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_label("Full name")).to_have_value("Pat Donor")
    expect(page.get_by_label("Email address")).to_have_value("pat@example.org")
    fill_billing_and_pay(page, "$35.00")

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your gift")
    main = page.get_by_role("main")
    expect(main).to_contain_text("$35.00")
    expect(main).to_contain_text("Where it is needed most")
    expect(main).to_contain_text("In memory of E. J. Josey")
    expect(main).to_contain_text("A receipt is on its way to pat@example.org.")
    expect(page.get_by_text("Order ALA-")).to_have_count(0)
    assert axe_violations(page) == []
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_without_javascript_a_typed_amount_with_a_preset_is_questioned(browser, seeded):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(seeded.url + "/donate/")
    page.get_by_label("Other amount (USD)").fill("35")
    page.get_by_label("Your name").fill("Pat Donor")
    page.get_by_label("Your email (for the receipt)").fill("pat@example.org")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Support Our Mission")
    expect(page.get_by_text("You chose $50 and also typed $35.00.", exact=False).first).to_be_visible()
    page.get_by_label("Other amount", exact=True).check()
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_role("main")).to_contain_text("$35.00")
    context.close()


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
