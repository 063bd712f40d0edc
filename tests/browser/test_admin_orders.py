"""Store staff refund an order with restock through its confirmation page, and its history shows it."""

import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from payments import PaymentStatus
from playwright.sync_api import expect

from store.models import Order, OrderEvent, Payment, Product
from tests.factories import StaffFactory
from tests.store.factories import ProductFactory, order_for

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def csp_violations(page):
    found = []

    def record(message):
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", record)
    return found


@pytest.fixture
def paid_order(transactional_db):
    poster = ProductFactory(title="Freedom to Read poster", price=Decimal("18.00"), stock=5)
    order = order_for(poster, quantity=2)
    payment = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)
    payment.change_status(PaymentStatus.CONFIRMED)  # the provider's callback
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    return order


@pytest.fixture
def store_staff_page(transactional_db, live_server, page):
    staff = StaffFactory(email="sam@ala.test", first_name="Sam", last_name="Clerk", password=PASSWORD)
    staff.groups.add(Group.objects.get(name="Store staff"))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Email address").fill("sam@ala.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(live_server.url + "/admin/")
    return page


def test_store_staff_refund_with_restock_and_the_timeline_shows_it(
    live_server, store_staff_page, paid_order, csp_violations
):
    page = store_staff_page
    order = paid_order
    page.goto(live_server.url + "/admin/store/order/")
    page.get_by_role("link", name=order.reference).click()
    expect(page.locator("#order-history")).to_contain_text("Paid online")

    page.get_by_role("link", name="Refund and restock").click()

    title = f"Refund and put the items back in stock: order {order.reference}"
    expect(page.get_by_role("heading", name=title)).to_be_visible()
    expect(page.locator("#content-main")).to_contain_text("$36.00")
    expect(page.get_by_text("2 × “Freedom to Read poster” go back in stock (3 now, 5 after).")).to_be_visible()
    expect(page.get_by_text("$36.00 goes back to the buyer through dummy")).to_be_visible()

    # No reason: asked again, nothing done.
    page.get_by_role("button", name="Refund and restock").click()
    expect(page.get_by_text("Give a reason: it is kept in the order's history.")).to_be_visible()
    assert Order.objects.get(pk=order.pk).status == Order.Status.PAID

    page.get_by_label("Reason").fill("The posters arrived torn; the buyer sent them back.")
    page.get_by_role("button", name="Refund and restock").click()

    expect(page).to_have_url(re.compile(rf"/admin/store/order/{order.pk}/change/$"))
    expect(page.get_by_text(f"Refunded {order.reference} ($36.00) and put its items back in stock.")).to_be_visible()
    expect(page.locator("div.form-row.field-status")).to_contain_text("Refunded")
    refund_row = page.locator("#order-history tr.order-event-refunded")
    expect(refund_row).to_contain_text("$36.00")
    expect(refund_row).to_contain_text("Sam Clerk (sam@ala.test)")
    expect(refund_row).to_contain_text("The posters arrived torn; the buyer sent them back.")
    expect(page.get_by_role("link", name="Refund and restock")).to_have_count(0)

    assert Product.objects.get(title="Freedom to Read poster").stock == 5
    assert OrderEvent.objects.filter(order=order, kind=OrderEvent.Kind.REFUNDED).count() == 1
    assert not csp_violations, csp_violations
