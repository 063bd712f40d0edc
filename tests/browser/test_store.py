"""A real buyer's journey through the store: catalogue → product → cart → checkout → pay → paid."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from store.models import Order
from tests.store.factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def console_errors(page):
    """Console errors (a blocked script or style shows here as a CSP violation).

    A form sent back with errors answers 400, which Chromium logs too; that one is expected.
    """
    errors = []

    def collect(message):
        if message.type == "error" and "status of 400" not in message.text:
            errors.append(message.text)

    page.on("console", collect)
    return errors


@pytest.mark.django_db(transaction=True)
def test_buy_a_poster_and_pay(page, live_server, axe_violations, console_errors):
    posters = CategoryFactory(name="Posters")
    ProductFactory(
        title="READ Your Way Poster",
        category=posters,
        price=Decimal("18.00"),
        member_price=Decimal("16.20"),
        stock=5,
        short_description="It's all reading!",
    )
    ProductFactory(title="ALA 150th Anniversary Poster", category=posters, price=Decimal("16.00"))

    page.goto(live_server.url + "/store/")
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ALA Store")
    assert axe_violations(page) == []

    page.get_by_label("Sort by").select_option("price")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"sort=price"))
    page.get_by_role("link", name="READ Your Way Poster").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("READ Your Way Poster")
    assert axe_violations(page) == []

    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cart")
    expect(page.get_by_text("Added 2 × “READ Your Way Poster” to your cart.")).to_be_visible()
    expect(page.locator("tfoot")).to_contain_text("$36.00")
    assert axe_violations(page) == []

    page.get_by_role("link", name="Check out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Checkout")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Continue to payment").click()  # empty form: told what to fix
    expect(page.get_by_role("alert")).to_contain_text("Enter your name.")
    page.get_by_label("Full name").fill("Ana Reader")
    page.get_by_label("Email address").fill("ana@example.org")
    page.get_by_label("Street address").fill("1 Library Lane")
    page.get_by_label("City").fill("Chicago")
    page.get_by_label("State or region").fill("IL")
    page.get_by_label("ZIP or postal code").fill("60601")
    page.get_by_role("button", name="Continue to payment").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for order ALA-")
    expect(page.get_by_text("no card is charged")).to_be_visible()
    # The provider's raw fields are folded away; the two outcomes are plain buttons.
    raw_status = page.get_by_role("combobox", name=re.compile(r"^Status"))
    expect(raw_status).to_be_hidden()
    page.get_by_text("Other outcomes (testing)").click()
    expect(raw_status).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Approve payment").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Order ALA-")
    expect(page.locator(".order-status")).to_have_text(re.compile("Paid"))
    expect(page.get_by_text("Thank you! Order")).to_be_visible()
    assert axe_violations(page) == []
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.lines.get().product.stock == 3
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_declined_test_payment_says_so_and_can_be_tried_again(page, live_server):
    ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"))
    page.goto(live_server.url + "/store/read-your-way-poster/")
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Check out").click()
    page.get_by_label("Full name").fill("Ana Reader")
    page.get_by_label("Email address").fill("ana@example.org")
    page.get_by_label("Street address").fill("1 Library Lane")
    page.get_by_label("City").fill("Chicago")
    page.get_by_label("ZIP or postal code").fill("60601")
    page.get_by_role("button", name="Continue to payment").click()

    page.get_by_role("button", name="Decline payment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Order ALA-")
    expect(page.get_by_text("Your payment was not accepted. You can try again.")).to_be_visible()
    page.get_by_role("link", name="Pay $18.00 now").click()
    page.get_by_role("button", name="Approve payment").click()
    expect(page.locator(".order-status")).to_have_text(re.compile("Paid"))
    expect(page.get_by_text("Thank you! Order")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_store_works_without_javascript(browser, live_server):
    ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"))
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/store/read-your-way-poster/")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your cart")
    page.get_by_label("Quantity of READ Your Way Poster").fill("0")
    page.get_by_role("button", name="Update quantity of READ Your Way Poster").click()
    # exact: the error summary's link repeats it after the field's label
    expect(page.get_by_text("Enter a quantity of at least 1.", exact=True)).to_be_visible()
    page.get_by_role("button", name="Remove READ Your Way Poster").click()
    expect(page.get_by_text("Your cart is empty.")).to_be_visible()
    context.close()
