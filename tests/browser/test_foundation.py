"""Real-browser journeys over the foundation: cookie banner, accessibility, keyboard, menus, carousel."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.ala_site.test_smoke import PUBLIC_PAGES

pytestmark = pytest.mark.browser

# Cookies the site may set without consent (strictly necessary), plus the consent cookie itself.
# ala_alerts_dismissed remembers the alert banners the visitor asked to hide (ala_site/alerts.py).
NECESSARY_COOKIES = {"csrftoken", "sessionid", "ala_consent", "messages", "ala_alerts_dismissed"}


@pytest.fixture
def site(transactional_db, live_server):
    """The live site with the demo content loaded; returns its base address."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


@pytest.fixture
def console_errors(page):
    """Console errors (a blocked script or style shows here as a CSP violation)."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def consent_banner(page):
    return page.get_by_role("region", name="Cookies on this site")


def test_accept_all_hides_the_banner_for_good(page, site):
    page.goto(site + "/")
    banner = consent_banner(page)
    expect(banner).to_be_visible()
    expect(banner.get_by_role("link", name="Cookie settings")).to_be_visible()

    banner.get_by_role("button", name="Accept all").click()

    expect(page).to_have_url(site + "/")
    expect(consent_banner(page)).to_have_count(0)
    page.reload()
    expect(consent_banner(page)).to_have_count(0)
    assert "ala_consent" in {cookie["name"] for cookie in page.context.cookies()}


def test_reject_sets_no_non_essential_cookie_and_hides_the_banner(page, site):
    page.goto(site + "/")

    consent_banner(page).get_by_role("button", name="Reject non-essential").click()

    expect(consent_banner(page)).to_have_count(0)
    page.reload()
    expect(consent_banner(page)).to_have_count(0)
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert "ala_consent" in names
    assert names <= NECESSARY_COOKIES, f"non-essential cookies: {names - NECESSARY_COOKIES}"


def test_no_non_essential_cookie_before_any_choice(page, site):
    page.goto(site + "/")
    page.goto(site + "/cookies/")
    page.goto(site + "/accounts/login/")

    names = {cookie["name"] for cookie in page.context.cookies()}
    assert names <= NECESSARY_COOKIES - {"ala_consent"}


def test_cookie_settings_page_saves_a_choice_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/cookies/")

    page.get_by_label("Analytics").check()
    page.get_by_role("button", name="Save my choices").click()

    expect(page.get_by_text("Your cookie choices are saved.")).to_be_visible()
    expect(page.get_by_label("Analytics")).to_be_checked()
    expect(page.get_by_label("Marketing")).not_to_be_checked()
    context.close()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_pages_have_no_accessibility_violations(page, site, axe_violations, path):
    page.goto(site + path)

    assert axe_violations(page) == []


def test_home_page_has_no_console_errors(page, site, console_errors):
    page.goto(site + "/")
    page.wait_for_load_state("networkidle")

    assert console_errors == []


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page, site):
    page.goto(site + "/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()  # it appears when focused

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_hero_carousel_next_button_shows_the_next_slide(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/")
    first = page.get_by_role("heading", name="Recharging in Challenging Times")
    second = page.get_by_role("heading", name="Celebrating ALA's 150th Anniversary")
    expect(first).to_be_visible()
    expect(second).to_be_hidden()

    page.get_by_role("button", name="Next slide").click()

    expect(second).to_be_visible()
    expect(first).to_be_hidden()

    page.get_by_role("button", name="Previous slide").click()
    expect(first).to_be_visible()


def test_hero_carousel_works_from_the_keyboard(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/")

    page.get_by_role("button", name="Next slide").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Celebrating ALA's 150th Anniversary")).to_be_visible()


def test_narrow_screen_collapses_the_main_menu_behind_a_menu_button(page, site):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site + "/")
    main_nav = page.get_by_role("navigation", name="Main")
    membership = main_nav.get_by_text("Membership", exact=True)
    expect(membership).to_be_hidden()

    main_nav.get_by_text("Menu", exact=True).click()

    expect(membership).to_be_visible()
    membership.click()
    expect(main_nav.get_by_role("link", name="Join ALA")).to_be_visible()


def test_wide_screen_shows_the_main_menu_and_its_drop_downs(page, site):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(site + "/")
    main_nav = page.get_by_role("navigation", name="Main")

    for label in ["Membership", "Advocacy & News", "Conferences & Events", "Tools & Resources"]:
        expect(main_nav.get_by_text(label, exact=True)).to_be_visible()
    join = main_nav.get_by_role("link", name="Join ALA")
    expect(join).to_be_hidden()

    main_nav.get_by_text("Membership", exact=True).click()
    expect(join).to_be_visible()
    page.keyboard.press("Escape")
    expect(join).to_be_hidden()


@pytest.mark.parametrize("width", [390, 1280])
def test_without_javascript_menu_links_and_both_hero_slides_are_reachable(browser, site, width):
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site + "/")
    main_nav = page.get_by_role("navigation", name="Main")

    expect(page.get_by_role("heading", name="Recharging in Challenging Times")).to_be_visible()
    expect(page.get_by_role("heading", name="Celebrating ALA's 150th Anniversary")).to_be_visible()
    if width < 992:  # on a phone the menu opens from its native "Menu" button
        main_nav.get_by_text("Menu", exact=True).click()
    for label in ["Membership", "Awards & Grants", "Education & Careers"]:
        expect(main_nav.get_by_text(label, exact=True)).to_be_visible()

    main_nav.get_by_text("Awards & Grants", exact=True).click()
    grants = main_nav.get_by_role("link", name="Grants", exact=True)
    expect(grants).to_be_visible()
    expect(grants).to_have_attribute("href", re.compile(r"/awardsgrants/grants$"))
    context.close()


def test_alert_banner_can_be_dismissed_with_and_without_javascript(browser, page, site):
    page.goto(site + "/")
    alert = page.get_by_role("region", name="Site alert")
    expect(alert).to_contain_text("Library funding is under threat.")
    alert.get_by_role("button", name="Dismiss this alert").click()
    expect(page.get_by_role("region", name="Site alert")).to_have_count(0)

    context = browser.new_context(java_script_enabled=False)
    no_js = context.new_page()
    no_js.goto(site + "/")
    expect(no_js.get_by_role("region", name="Site alert")).to_be_visible()
    no_js.get_by_role("button", name="Dismiss this alert").click()  # a form: it works without a script
    expect(no_js.get_by_role("region", name="Site alert")).to_have_count(0)
    context.close()


@pytest.mark.parametrize("path", ["/no-such-page/", "/membership/verify/not-a-real-token/"])
def test_error_pages_have_no_accessibility_violations(page, site, axe_violations, path):
    page.goto(site + path)

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert axe_violations(page) == []
