"""The admin runs under the site's Content-Security-Policy, and every admin page still works."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"


@pytest.fixture
def staff_site(transactional_db, live_server, page):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    UserFactory(email="boss@ala.test", is_staff=True, is_superuser=True, password=PASSWORD)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Email address").fill("boss@ala.test")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Content and operations")).to_be_visible()
    return live_server.url


@pytest.fixture
def csp_violations(page):
    found = []

    def record(message):
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", record)
    return found


def admin_pages(superuser):
    """Every changelist, add page and one change page per registered model."""
    request = RequestFactory().get("/admin/")
    request.user = superuser
    pages = ["/admin/", "/admin/password_change/"]
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        pages.append(reverse("admin:{}_{}_changelist".format(*info)))
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
    return pages


def test_admin_pages_send_a_csp_and_none_of_them_breaks_it(staff_site, page, csp_violations):
    from membership.models import User

    response = page.goto(staff_site + "/admin/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    superuser = User.objects.get(email="boss@ala.test")
    for path in admin_pages(superuser):
        response = page.goto(staff_site + path)
        assert response.status == 200, path
        assert "content-security-policy" in response.headers, path
        page.wait_for_load_state("load")
        assert not csp_violations, (path, csp_violations)


def test_admin_scripts_still_run_under_the_csp(staff_site, page, csp_violations):
    # Prepopulated slug (prepopulate.js) fills in as the title is typed.
    page.goto(staff_site + "/admin/store/product/add/")
    page.get_by_label("Title:").press_sequentially("Banned Books Week Poster")
    expect(page.get_by_label("Slug:")).to_have_value("banned-books-week-poster")

    # Date shortcuts (DateTimeShortcuts.js): "Today" fills the date field.
    page.goto(staff_site + "/admin/ala_site/promo/add/")
    page.get_by_role("link", name="Today").first.click()
    expect(page.locator("#id_publish_at_0")).not_to_have_value("")

    # The changelist's "select all" checkbox (actions.js) ticks every row.
    page.goto(staff_site + "/admin/ala_site/navlink/")
    page.locator("#action-toggle").check()
    assert page.locator("input.action-select:checked").count() == page.locator("input.action-select").count() > 0

    # The image preview keeps its size from the admin stylesheet, not an inline style.
    page.goto(staff_site + "/admin/ala_site/promo/")
    preview = page.locator("img.admin-image-preview").first
    if preview.count():
        assert preview.evaluate("img => getComputedStyle(img).maxHeight") == "80px"
    assert not csp_violations, csp_violations
