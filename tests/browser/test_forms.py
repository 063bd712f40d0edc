"""Forms by keyboard and screen reader: after a failed submit focus starts at the error summary,
its links move focus to the fields, a one-field form focuses its field, and the honeypot is
neither in the tab order nor in the accessibility tree."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.membership.factories import MembershipTypeFactory
from tests.store.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def console_errors(page):
    """Console errors (a blocked script shows here as a CSP violation); a form sent back answers 400."""
    errors = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if message.type == "error" and "status of 400" not in message.text else None
        ),
    )
    return errors


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


def summary(page):
    return page.get_by_role("alert").filter(has=page.get_by_role("heading", name="There is a problem"))


def test_donate_errors_take_focus_and_each_link_focuses_its_field(page, live_server, axe_violations, console_errors):
    page.goto(live_server.url + "/donate/")
    dismiss_cookie_banner(page)
    page.get_by_label("Other amount", exact=True).check()
    page.get_by_label("Other amount (USD)").fill("12.345")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page).to_have_title(re.compile(r"^Error: Donate"))
    expect(summary(page)).to_be_focused()
    expect(summary(page).get_by_role("link")).to_have_count(3)

    summary(page).get_by_role("link", name="Your name: This field is required.").click()
    name = page.get_by_role("textbox", name="Your name")
    expect(name).to_be_focused()
    expect(name).to_have_accessible_description(re.compile("This field is required"))
    expect(page.locator("label[for=id_name]")).to_be_in_viewport(ratio=1)

    page.get_by_role("heading", name="There is a problem").scroll_into_view_if_needed()
    summary(page).get_by_role("link", name=re.compile("^Other amount")).click()
    expect(page.get_by_role("textbox", name="Other amount (USD)")).to_be_focused()

    assert axe_violations(page) == []
    assert console_errors == []


def test_a_link_to_a_group_of_radios_focuses_the_first_with_its_legend_in_view(page, live_server):
    MembershipTypeFactory(name="Individual Type I")
    MembershipTypeFactory(name="Student")
    page.goto(live_server.url + "/membership/join/")
    dismiss_cookie_banner(page)
    page.get_by_role("button", name="Continue", exact=True).click()

    expect(page).to_have_title(re.compile(r"^Error: Join ALA"))
    expect(summary(page)).to_be_focused()
    summary(page).get_by_role("link", name="Membership type: Choose a membership type.").click()
    expect(page.get_by_role("radio").first).to_be_focused()
    expect(page.locator("legend", has_text="Membership type")).to_be_in_viewport(ratio=1)


def test_the_login_error_takes_focus_from_the_email_field(page, live_server):
    page.goto(live_server.url + "/accounts/login/")
    dismiss_cookie_banner(page)
    page.get_by_label("Email address").fill("nobody@example.org")
    page.get_by_label("Password").fill("wrong-guess")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_title(re.compile(r"^Error: Log in"))
    expect(summary(page)).to_be_focused()
    expect(summary(page)).to_contain_text("Please enter a correct email address and password.")


def test_a_quantity_error_on_a_product_focuses_the_field_and_is_its_description(page, live_server, console_errors):
    ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"), stock=10)
    page.goto(live_server.url + "/store/read-your-way-poster/")
    dismiss_cookie_banner(page)
    page.get_by_label("Quantity").fill("0")
    page.get_by_role("button", name="Add to cart").click()

    expect(page).to_have_title(re.compile(r"^Error: READ Your Way Poster"))
    quantity = page.get_by_role("spinbutton", name="Quantity")
    expect(quantity).to_be_focused()
    expect(quantity).to_have_accessible_description("Enter a quantity of at least 1.")
    expect(page.get_by_role("heading", name="There is a problem")).to_have_count(0)
    assert console_errors == []


def test_the_honeypot_is_out_of_reach_of_keyboard_and_screen_readers(page, live_server):
    page.goto(live_server.url + "/donate/")
    dismiss_cookie_banner(page)
    expect(page.get_by_role("textbox", name="Leave this empty")).to_have_count(0)
    expect(page.locator("input[name=website]")).to_have_count(1)

    page.get_by_role("textbox", name="Your email (for the receipt)").focus()
    reached = []
    for _ in range(4):  # the anonymity box, the honeypot's place, the button
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.name || document.activeElement.textContent.trim()"))
    assert "website" not in reached
    assert reached[:2] == ["is_anonymous", "Continue to payment"], reached


def test_the_required_asterisk_is_explained_and_not_read_out(page, live_server):
    page.goto(live_server.url + "/donate/")
    dismiss_cookie_banner(page)
    expect(page.get_by_text("Fields marked * are required.")).to_be_visible()
    # The accessible name has no "*": the field says "required" by its attribute.
    name = page.get_by_role("textbox", name="Your name", exact=True)
    expect(name).to_have_attribute("required", "")
    expect(page.get_by_role("radio", name="$50")).to_be_checked()
