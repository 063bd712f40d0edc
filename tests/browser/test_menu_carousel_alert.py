"""Keyboard and screen-reader use of the main menu, the hero carousel and the alert banner (issue 8)."""

import time

import pytest
from playwright.sync_api import expect

from ala_site import alerts
from ala_site.models import AlertBanner

from .test_foundation import site  # noqa: F401  (the live site with the demo content)

pytestmark = pytest.mark.browser

WIDE = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
GROUPS = ["Membership", "Advocacy & News", "Conferences & Events", "Awards & Grants", "Tools & Resources"]
FIRST_SLIDE = "Recharging in Challenging Times"
SECOND_SLIDE = "Celebrating ALA's 150th Anniversary"


def main_nav(page):
    return page.get_by_role("navigation", name="Main")


def group(page, label):
    return main_nav(page).locator("details[data-nav-group]", has=page.locator(f"summary:text-is('{label}')"))


def is_open(details):
    return details.evaluate("element => element.open")


def focused_element_is_uncovered(page):
    """Whether the focused element is what a pointer at its centre would hit (nothing lies over it)."""
    return page.evaluate(
        """() => {
            const focused = document.activeElement;
            const box = focused.getBoundingClientRect();
            const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
            return focused.contains(hit);
        }"""
    )


def tab_until_outside(page, details):
    for _ in range(30):
        page.keyboard.press("Tab")
        if not details.evaluate("element => element.contains(document.activeElement)"):
            return
    raise AssertionError("focus never left the drop-down")


# Main menu


@pytest.mark.parametrize("label", GROUPS)
def test_a_drop_down_closes_when_tab_leaves_it_and_hides_nothing(page, site, label):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    details = group(page, label)
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert is_open(details)

    tab_until_outside(page, details)

    assert not is_open(details)
    expect(details.locator("ul")).to_be_hidden()
    assert focused_element_is_uncovered(page)


def test_tabbing_past_membership_leaves_register_now_uncovered(page, site):  # noqa: F811
    page.set_viewport_size({"width": 1100, "height": 900})
    page.goto(site + "/")
    details = group(page, "Membership")
    details.locator("summary").focus()
    page.keyboard.press("Enter")

    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent").startswith("Register Now!"):
            break
    else:
        raise AssertionError("Register Now! was never reached")

    assert not is_open(details)
    assert focused_element_is_uncovered(page)


def test_shift_tab_out_of_a_drop_down_closes_it(page, site):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    details = group(page, "Advocacy & News")
    details.locator("summary").focus()
    page.keyboard.press("Enter")

    page.keyboard.press("Shift+Tab")

    expect(main_nav(page).locator("summary", has_text="Membership")).to_be_focused()
    assert not is_open(details)


def test_escape_from_a_link_in_a_drop_down_closes_it_and_returns_to_its_summary(page, site):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    details = group(page, "Membership")
    summary = details.locator("summary")
    summary.click()
    join = main_nav(page).get_by_role("link", name="Join ALA")
    join.focus()

    page.keyboard.press("Escape")

    expect(join).to_be_hidden()
    expect(summary).to_be_focused()


def test_escape_on_an_open_summary_closes_its_drop_down(page, site):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    details = group(page, "Tools & Resources")
    summary = details.locator("summary")
    summary.focus()
    page.keyboard.press("Enter")
    assert is_open(details)

    page.keyboard.press("Escape")

    assert not is_open(details)
    expect(summary).to_be_focused()


def test_escape_closes_the_phone_menu_one_level_at_a_time(page, site):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.goto(site + "/")
    nav = main_nav(page)
    menu_button = nav.get_by_text("Menu", exact=True)
    menu_button.click()
    details = group(page, "Membership")
    details.locator("summary").click()
    nav.get_by_role("link", name="Join ALA").focus()

    page.keyboard.press("Escape")  # the drop-down first
    expect(details.locator("summary")).to_be_focused()
    expect(nav.get_by_role("link", name="Join ALA")).to_be_hidden()
    expect(details.locator("summary")).to_be_visible()

    page.keyboard.press("Escape")  # then the Menu itself
    expect(menu_button).to_be_focused()
    expect(details.locator("summary")).to_be_hidden()


@pytest.mark.parametrize("touch", [False, True], ids=["mouse", "touch"])
def test_on_a_phone_tapping_another_drop_down_opens_it(browser, site, touch):  # noqa: F811
    # On phones the panels are in the page's flow: closing one as focus leaves it would move the
    # next summary away between the press and the release, and the tap would open nothing.
    context = browser.new_context(viewport=PHONE, has_touch=touch, is_mobile=touch)
    page = context.new_page()
    page.goto(site + "/")
    main_nav(page).get_by_text("Menu", exact=True).click()
    membership, advocacy = group(page, "Membership"), group(page, "Advocacy & News")

    def press(details):
        summary = details.locator("summary")
        summary.tap() if touch else summary.click()

    press(membership)
    assert is_open(membership)
    for opened, closed in [(advocacy, membership), (membership, advocacy)]:
        press(opened)  # the one below the open panel, then the one above it
        assert is_open(opened), "the drop-down tapped did not open"
        assert not is_open(closed)
    context.close()


def test_escape_on_the_phone_menu_button_closes_the_menu(page, site):  # noqa: F811
    page.set_viewport_size(PHONE)
    page.goto(site + "/")
    menu_button = main_nav(page).get_by_text("Menu", exact=True)
    menu_button.focus()
    page.keyboard.press("Enter")
    expect(main_nav(page).locator("summary", has_text="Membership")).to_be_visible()

    page.keyboard.press("Escape")

    expect(main_nav(page).locator("summary", has_text="Membership")).to_be_hidden()
    expect(menu_button).to_be_focused()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
@pytest.mark.parametrize("width", [992, 1024, 1100, 1180, 1240, 1300, 1400])
def test_every_drop_down_stays_inside_the_window(browser, site, width, javascript):  # noqa: F811
    context = browser.new_context(java_script_enabled=javascript, viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(site + "/")

    for details in main_nav(page).locator("details[data-nav-group]").all():
        details.locator("summary").click()
        panel = details.locator("ul")
        expect(panel).to_be_visible()
        if javascript:
            # The script places the panel on the details' toggle event, which comes a moment after
            # the click: wait for it (a panel that never fits still fails below).
            panel.evaluate("() => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(resolve)))")
        edges = panel.evaluate(
            "panel => { const box = panel.getBoundingClientRect();"
            " return [box.left, box.right, document.documentElement.clientWidth]; }"
        )
        label = details.locator("summary").inner_text()
        assert edges[0] >= 0 and edges[1] <= edges[2], f"{label} at {width} px: {edges}"
        if not javascript:
            details.locator("summary").click()  # without a script only a second click closes it
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")
    context.close()


# Hero carousel


def hero(page):
    return page.get_by_role("region", name="Featured", exact=True)


def place_on_page(locator):
    """Where the element is on the page (not in the window, which scrolls to a clicked button)."""
    return locator.evaluate(
        "element => { const box = element.getBoundingClientRect();"
        " return [box.left + scrollX, box.top + scrollY, box.width, box.height]; }"
    )


def slide_heading(page, title):
    return page.get_by_role("heading", name=title)


def test_the_hero_follows_the_aria_carousel_pattern(page, site):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    carousel = hero(page)

    expect(carousel).to_have_attribute("aria-roledescription", "carousel")
    slides = carousel.get_by_role("group", include_hidden=True)
    expect(slides).to_have_count(2)
    for number, slide in enumerate(slides.all(), start=1):
        expect(slide).to_have_attribute("aria-roledescription", "slide")
        expect(slide).to_have_attribute("aria-label", f"{number} of 2")
    status = carousel.locator("[aria-live='polite']")
    expect(status).to_have_text("")  # nothing is announced until the visitor changes slides
    # The hidden slide's link is out of the keyboard's way, not just out of sight.
    expect(carousel.get_by_role("link", name=SECOND_SLIDE, exact=False)).to_be_hidden()


def test_focus_stays_on_the_button_pressed_and_each_change_is_announced(page, site):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    carousel = hero(page)
    next_button = carousel.get_by_role("button", name="Next slide")
    previous_button = carousel.get_by_role("button", name="Previous slide")
    status = carousel.locator("[aria-live='polite']")

    next_button.focus()
    page.keyboard.press("Enter")
    expect(next_button).to_be_focused()
    expect(slide_heading(page, SECOND_SLIDE)).to_be_visible()
    expect(slide_heading(page, FIRST_SLIDE)).to_be_hidden()
    expect(status).to_have_text(f"Slide 2 of 2: {SECOND_SLIDE}")

    page.keyboard.press("Space")  # past the last slide, back to the first
    expect(next_button).to_be_focused()
    expect(status).to_have_text(f"Slide 1 of 2: {FIRST_SLIDE}")

    page.keyboard.press("Shift+Tab")
    expect(previous_button).to_be_focused()
    page.keyboard.press("Enter")
    expect(previous_button).to_be_focused()
    expect(status).to_have_text(f"Slide 2 of 2: {SECOND_SLIDE}")
    expect(slide_heading(page, SECOND_SLIDE)).to_be_visible()


@pytest.mark.parametrize("key", ["ArrowRight", "ArrowLeft"])
def test_arrow_keys_leave_focus_and_the_slide_where_they_are(page, site, key):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    next_button = hero(page).get_by_role("button", name="Next slide")
    next_button.focus()
    page.keyboard.press("Enter")
    expect(slide_heading(page, FIRST_SLIDE)).to_be_hidden()

    page.keyboard.press(key)

    expect(next_button).to_be_focused()
    page.wait_for_timeout(700)  # long enough for a slide change to start and end
    expect(slide_heading(page, SECOND_SLIDE)).to_be_visible()
    expect(slide_heading(page, FIRST_SLIDE)).to_be_hidden()


def test_arrow_keys_on_a_link_in_a_slide_do_not_hide_it(page, site):  # noqa: F811
    page.set_viewport_size(WIDE)
    page.goto(site + "/")
    hero(page).get_by_role("button", name="Next slide").click()
    hero(page).get_by_role("button", name="Previous slide").click()
    register = hero(page).get_by_role("link", name="Register Now!")
    expect(slide_heading(page, SECOND_SLIDE)).to_be_hidden()
    register.focus()

    page.keyboard.press("ArrowRight")

    page.wait_for_timeout(700)
    expect(register).to_be_visible()
    expect(register).to_be_focused()


@pytest.mark.parametrize("width", [320, 390, 768, 1100, 1280])
def test_the_buttons_do_not_move_between_slides(page, site, width):  # noqa: F811
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site + "/")
    carousel = hero(page)
    next_button = carousel.get_by_role("button", name="Next slide")
    previous_button = carousel.get_by_role("button", name="Previous slide")
    before = [place_on_page(element) for element in (next_button, previous_button, carousel)]

    next_button.click()
    expect(slide_heading(page, SECOND_SLIDE)).to_be_visible()
    expect(slide_heading(page, FIRST_SLIDE)).to_be_hidden()  # any transition is over

    assert [place_on_page(element) for element in (next_button, previous_button, carousel)] == before


def test_without_javascript_every_slide_shows_one_below_the_other(browser, site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False, viewport=WIDE)
    page = context.new_page()
    page.goto(site + "/")

    first, second = slide_heading(page, FIRST_SLIDE), slide_heading(page, SECOND_SLIDE)
    expect(first).to_be_visible()
    expect(second).to_be_visible()
    slides = hero(page).get_by_role("group").all()
    top, bottom = slides[0].bounding_box(), slides[1].bounding_box()
    assert bottom["y"] >= top["y"] + top["height"]  # stacked, not overlapping
    expect(hero(page).get_by_role("button", name="Next slide")).to_be_hidden()  # it would do nothing
    context.close()


# Alert banner

MESSAGE = "Library funding is under threat."


def alert(page):
    return page.get_by_role("region", name="Site alert")


def brand_link(page):
    return page.locator(".masthead").get_by_role("link").first


def test_with_javascript_dismissing_moves_focus_on_and_the_banner_stays_away(page, site):  # noqa: F811
    page.goto(site + "/")
    page.evaluate("window.sameDocument = true")
    dismiss = alert(page).get_by_role("button", name="Dismiss this alert")
    dismiss.focus()

    page.keyboard.press("Enter")

    expect(alert(page)).to_have_count(0)
    expect(brand_link(page)).to_be_focused()  # what a Tab would have reached next
    assert page.evaluate("window.sameDocument") is True  # no reload
    for path in ["/store/", "/"]:
        page.goto(site + path)
        expect(page.get_by_text(MESSAGE)).to_have_count(0)


def test_with_javascript_dismissing_one_of_two_banners_moves_focus_to_the_other(page, site):  # noqa: F811
    AlertBanner.objects.create(message="Libraries closed on Monday.")
    page.goto(site + "/")
    expect(alert(page)).to_have_count(2)
    first = alert(page).first
    first.get_by_role("button", name="Dismiss this alert").click()

    expect(alert(page)).to_have_count(1)
    expect(alert(page)).to_be_focused()
    page.reload()
    expect(alert(page)).to_have_count(1)


def test_two_banners_dismissed_in_quick_succession_both_stay_away(page, site, monkeypatch):  # noqa: F811
    # A slow server: the second ✕ is pressed while the first is still being answered.
    store_dismissal = alerts.store_dismissal

    def slow_store_dismissal(*args):
        time.sleep(0.5)
        store_dismissal(*args)

    monkeypatch.setattr(alerts, "store_dismissal", slow_store_dismissal)
    AlertBanner.objects.create(message="Libraries closed on Monday.")
    page.goto(site + "/")
    buttons = alert(page).get_by_role("button", name="Dismiss this alert")
    buttons.nth(0).click()
    buttons.nth(1).click()

    expect(alert(page)).to_have_count(0)
    page.reload()
    expect(alert(page)).to_have_count(0)


def test_an_edited_banner_shows_again(page, site):  # noqa: F811
    page.goto(site + "/")
    alert(page).get_by_role("button", name="Dismiss this alert").click()
    expect(alert(page)).to_have_count(0)

    banner = AlertBanner.objects.get()
    banner.message = "Library funding is under threat: act by Friday."
    banner.save()

    page.reload()
    expect(alert(page)).to_contain_text("act by Friday")


def test_without_javascript_the_dismiss_button_works_and_tab_carries_on_after_the_banners(browser, site):  # noqa: F811
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/store/")
    dismiss = alert(page).get_by_role("button", name="Dismiss this alert")
    expect(dismiss).to_be_visible()
    dismiss.focus()

    page.keyboard.press("Enter")

    page.wait_for_url(site + "/store/#site-alerts")
    expect(alert(page)).to_have_count(0)
    page.keyboard.press("Tab")
    expect(brand_link(page)).to_be_focused()
    page.goto(site + "/")
    expect(page.get_by_text(MESSAGE)).to_have_count(0)
    context.close()
