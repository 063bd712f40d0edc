"""The employer's journey in Chromium: sign in from the form → fill it → preview → pay through the
store's checkout (dummy provider) → the ad waits for review; a JobLIST staff member approves it in
admin after its confirmation page → the ad is on the board and the landing page. Axe clean on the
form, the preview and the employer's pages."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from joblist.models import JOBLIST_STAFF_GROUP, JobPosting
from tests.factories import StaffFactory, UserFactory
from tests.joblist.factories import AdProductFactory

pytestmark = pytest.mark.browser

PASSWORD = "a-long-test-password-42"  # tests.factories.UserFactory's


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


def log_in(page, email):
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.django_db(transaction=True)
def test_an_employer_posts_pays_staff_approve_and_the_ad_is_on_the_board(
    page, browser, live_server, axe_violations, console_errors
):
    AdProductFactory(name="Online ad (30 days)", price=Decimal("250.00"))
    UserFactory(first_name="Rosa", last_name="Diaz", email="rosa@lakeside.example.org")
    reviewer = StaffFactory(email="jo@ala.example.org", first_name="Jo", last_name="Reviewer")
    reviewer.groups.add(Group.objects.get(name=JOBLIST_STAFF_GROUP))

    # The employer signs in from the form and fills it in.
    page.goto(live_server.url + "/joblist/post/")
    dismiss_cookie_banner(page)
    log_in(page, "rosa@lakeside.example.org")
    expect(page.get_by_role("heading", level=1)).to_have_text("Post a job")
    assert axe_violations(page) == []

    expect(page.get_by_label("A new employer")).to_be_checked()
    page.locator("#id_employer_name").fill("Lakeside Public Library")
    page.locator("#id_employer_city").fill("Madison")
    page.locator("#id_employer_state").select_option("WI")
    expect(page.get_by_label("Online ad (30 days): $250.00")).to_be_checked()
    page.locator("#id_title").fill("Teen Services Librarian")
    page.locator("#id_city").fill("Madison")
    page.locator("#id_state").select_option("WI")
    page.get_by_label("On-site").check()
    page.locator("#id_library_type").select_option("public")
    page.locator("#id_category").select_option("youth")
    page.get_by_label("Full time").check()
    page.locator("#id_salary_min").fill("70000")
    page.locator("#id_salary_max").fill("61000")
    page.locator("#id_description").fill("Plan **teen programs** and run the maker space.")
    page.locator("#id_apply_url").fill("https://jobs.lakeside.example.org/teen")
    page.get_by_role("button", name="Save and preview the ad").click()

    # A salary range upside down: the message sits by the field, and nothing is saved.
    expect(page.get_by_text("The top of the salary range must not be below its start.").first).to_be_visible()
    assert JobPosting.objects.count() == 0
    assert axe_violations(page) == []
    page.locator("#id_salary_min").fill("52000")
    page.get_by_role("button", name="Save and preview the ad").click()

    # The preview, then the store's checkout.
    expect(page.get_by_role("heading", level=1)).to_have_text("Preview your ad")
    expect(page.get_by_role("heading", name="Teen Services Librarian")).to_be_visible()
    expect(page.locator(".joblist-ad-preview strong")).to_have_text("teen programs")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Pay $250.00 and submit for review").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    expect(page.get_by_label("Full name")).to_have_value("Rosa Diaz")
    page.get_by_label("Street address").fill("1 Library Way")
    page.get_by_label("City").fill("Madison")
    page.get_by_label("State or region").fill("WI")
    page.get_by_label("ZIP or postal code").fill("53703")
    page.get_by_role("button", name="Continue to payment").click()
    expect(page.get_by_text("Amount due: $250.00")).to_be_visible()
    page.get_by_role("button", name="Approve payment").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your ad: Teen Services Librarian")
    expect(page.get_by_role("heading", name="Pending review")).to_be_visible()
    assert axe_violations(page) == []
    posting = JobPosting.objects.get()
    assert posting.status == JobPosting.Status.PENDING

    page.goto(live_server.url + "/joblist/my-ads/")
    the_ad = page.locator(".joblist-my-ads__item").filter(has_text="Teen Services Librarian")
    expect(the_ad).to_contain_text("Pending review")
    assert axe_violations(page) == []

    # A JobLIST staff member approves it, after the confirmation page.
    staff = browser.new_context().new_page()
    staff.goto(live_server.url + f"/admin/joblist/jobposting/{posting.pk}/change/")
    log_in(staff, "jo@ala.example.org")
    staff.get_by_role("link", name="Approve", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Approve “Teen Services Librarian”?")
    staff.get_by_role("button", name="Approve and publish").click()
    expect(staff.get_by_text("Approved and published “Teen Services Librarian”.")).to_be_visible()
    staff.context.close()

    # The employer finds it on the board and on the landing page.
    page.goto(live_server.url + "/joblist/my-ads/")
    expect(the_ad).to_contain_text("On the board")
    page.goto(live_server.url + "/joblist/")
    page.get_by_role("link", name="Teen Services Librarian").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teen Services Librarian")
    page.goto(live_server.url + "/")
    expect(
        page.get_by_role("link", name="Teen Services Librarian - Lakeside Public Library - Madison, WI")
    ).to_be_visible()
    assert console_errors == []
