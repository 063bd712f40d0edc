"""Membership staff in a real browser: find a member, read the term with the order that paid it, open the order."""

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.factories import StaffFactory
from tests.membership.factories import MembershipFactory
from tests.membership.test_admin_members import dues_order

# serialized_rollback: each test starts with the staff groups the migrations made.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def paid_member():
    membership = MembershipFactory(
        user__first_name="Ana", user__last_name="Silva", user__email="ana.silva@example.org", expires_in=100
    )
    return membership, dues_order(membership.terms.get())


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    return errors


def log_in_as_membership_staff(page, live_server, *, can_view_orders):
    staff = StaffFactory(email="membership@ala.test", first_name="Mo", last_name="Staff", password=PASSWORD)
    group = Group.objects.get(name="Membership staff")
    if can_view_orders:
        staff.groups.add(group)
    else:
        staff.user_permissions.add(*group.permissions.exclude(content_type__app_label="store"))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Memberships")).to_be_visible()


def open_member(page, email):
    page.get_by_role("link", name="Memberships").first.click()
    page.get_by_role("searchbox").fill(email)
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Ana Silva").click()
    expect(page.get_by_role("heading", name="Change membership")).to_be_visible()


def test_membership_staff_follow_a_term_to_the_order_that_paid_it(page, live_server, paid_member, console_errors):
    membership, order = paid_member
    log_in_as_membership_staff(page, live_server, can_view_orders=True)

    open_member(page, "ana.silva@example.org")

    term = page.locator("td.field-paid_by")
    expect(term).to_contain_text(f"{order.reference} · $125.00 · Online · Paid")
    expect(page.locator(".field-status_now")).to_contain_text("Active")
    expect(page.locator(".field-number")).to_contain_text(f"M{membership.pk:06d}")
    with page.expect_response(lambda response: "/admin/store/order/" in response.url) as opened:
        term.get_by_role("link", name=order.reference).click()
    assert opened.value.status == 200
    expect(page).to_have_url(f"{live_server.url}/admin/store/order/{order.pk}/change/")
    expect(page.locator("#content")).to_contain_text(order.reference)
    assert not [error for error in console_errors if "Content Security Policy" in error]


def test_staff_who_may_not_open_orders_read_the_order_without_a_dead_link(page, live_server, paid_member):
    _, order = paid_member
    log_in_as_membership_staff(page, live_server, can_view_orders=False)

    open_member(page, "ana.silva@example.org")

    term = page.locator("td.field-paid_by")
    expect(term).to_contain_text(f"{order.reference} · $125.00 · Online · Paid")
    expect(term.get_by_role("link")).to_have_count(0)
    # The order page is closed to them: a link there would have been a dead end.
    assert page.goto(f"{live_server.url}/admin/store/order/{order.pk}/change/").status == 403
