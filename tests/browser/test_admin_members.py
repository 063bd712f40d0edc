"""Membership staff in a real browser: find a member, read the term with the order that paid it, open the order."""

from importlib import import_module

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from playwright.sync_api import expect

from tests.factories import StaffFactory
from tests.membership.factories import MembershipFactory
from tests.membership.test_admin_members import dues_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GROUP = "Membership staff"
# The migrations that make the group and give it its permissions, in order.
GROUP_MIGRATIONS = [
    ("membership.migrations.0003_membership_staff_group", "create_group"),
    ("membership.migrations.0005_membership_staff_permissions", "adjust"),
]

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


def membership_staff_group():
    """The group as the migrations make it.

    A transactional test that ran before this one empties the tables, migrations' rows included,
    and serialized_rollback cannot restore them once the flush has made the content types again;
    so the group is made again here by the migrations' own code, on the migrations' models.
    """
    group = Group.objects.filter(name=GROUP).first()
    if group is None:
        state_apps = MigrationLoader(connection).project_state().apps
        for module, function in GROUP_MIGRATIONS:
            getattr(import_module(module), function)(state_apps, None)
        group = Group.objects.get(name=GROUP)
    return group


def log_in_as_membership_staff(page, live_server, *, can_view_orders):
    staff = StaffFactory(email="membership@ala.test", first_name="Mo", last_name="Staff", password=PASSWORD)
    group = membership_staff_group()
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


def test_the_member_list_fits_a_laptop_screen(page, live_server, paid_member):
    MembershipFactory(
        user__first_name="Maximiliana",
        user__last_name="Oyelaran-Whitcombe",
        user__email="maximiliana.oyelaran-whitcombe@university-library.example.edu",
        membership_type__name="Individual Type II",
    )
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in_as_membership_staff(page, live_server, can_view_orders=True)

    page.get_by_role("link", name="Memberships").first.click()

    expect(page.get_by_role("columnheader", name="Status")).to_be_visible()
    rows = page.locator("#result_list")
    expect(rows).to_contain_text("Maximiliana Oyelaran-Whitcombe")
    expect(rows).to_contain_text("maximiliana.oyelaran-whitcombe@university-library.example.edu")
    results = page.locator("#changelist .results")
    assert results.evaluate("element => element.scrollWidth <= element.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_staff_who_may_not_open_orders_read_the_order_without_a_dead_link(page, live_server, paid_member):
    _, order = paid_member
    log_in_as_membership_staff(page, live_server, can_view_orders=False)

    open_member(page, "ana.silva@example.org")

    term = page.locator("td.field-paid_by")
    expect(term).to_contain_text(f"{order.reference} · $125.00 · Online · Paid")
    expect(term.get_by_role("link")).to_have_count(0)
    # The order page is closed to them: a link there would have been a dead end.
    assert page.goto(f"{live_server.url}/admin/store/order/{order.pk}/change/").status == 403
