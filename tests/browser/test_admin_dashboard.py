"""Each staff group, in a real browser, sees its own dashboard panels and follows a line to the filtered list."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from playwright.sync_api import expect

from tests.ala_site.factories import PromoFactory
from tests.factories import StaffFactory
from tests.membership.factories import MembershipFactory
from tests.store.factories import ProductFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"

JOURNEYS = {
    "Content editors": {
        "panels": ["Promos", "Alert banners", "Recent staff actions"],
        "panel": "#dashboard-promos",
        "line": "Going live in the next 7 days",
        "list": "/admin/ala_site/promo/",
        "shown": "Banned Books Week opens",
        "not_shown": "Summer reading starts",
    },
    "Store staff": {
        "panels": ["Orders", "Stock", "Recent staff actions"],
        "panel": "#dashboard-store_stock",
        "line": "5 or fewer left",
        "list": "/admin/store/product/",
        "shown": "READ poster",
        "not_shown": "Library card poster",
    },
    "Membership staff": {
        "panels": ["Memberships", "Recent staff actions"],
        "panel": "#dashboard-memberships",
        "line": "Expiring within 30 days",
        "list": "/admin/membership/membership/",
        "shown": "Ana Silva",
        "not_shown": "Ben Ortiz",
    },
}


@pytest.fixture
def work_to_do():
    now = timezone.now()
    PromoFactory(title="Banned Books Week opens", publish_at=now + timedelta(days=3))
    PromoFactory(title="Summer reading starts", publish_at=now + timedelta(days=20))
    ProductFactory(title="READ poster", stock=2)
    ProductFactory(title="Library card poster", stock=40)
    MembershipFactory(user__first_name="Ana", user__last_name="Silva", expires_in=12)
    MembershipFactory(user__first_name="Ben", user__last_name="Ortiz", expires_in=200)


@pytest.fixture
def csp_violations(page):
    found = []
    page.on("console", lambda message: "Content Security Policy" in message.text and found.append(message.text))
    return found


def log_in(page, live_server, group):
    staff = StaffFactory(email="staff@ala.test", password=PASSWORD)
    staff.groups.add(Group.objects.get(name=group))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Email address").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


@pytest.mark.parametrize("group", JOURNEYS)
def test_each_group_sees_its_panels_and_a_line_opens_the_filtered_list(
    group, page, live_server, work_to_do, csp_violations
):
    journey = JOURNEYS[group]
    log_in(page, live_server, group)

    expect(page.locator(".admin-dashboard-panel > h2")).to_have_text(journey["panels"])
    expect(page.locator("#content-main table caption").first).to_be_visible()  # the app list is still there

    link = page.locator(journey["panel"]).get_by_role("link", name=re.compile(journey["line"]))
    expect(link).to_have_text(re.compile(r"^\s*1\s+" + re.escape(journey["line"])))
    link.click()

    expect(page).to_have_url(re.compile(re.escape(live_server.url + journey["list"]) + r"\?"))
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(journey["shown"])
    expect(page.locator("#result_list")).not_to_contain_text(journey["not_shown"])
    assert not csp_violations, csp_violations
