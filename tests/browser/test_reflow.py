"""Reflow on phones (WCAG 1.4.10, 1.4.12) and phone tap targets, over every page of the site.

Every page in PUBLIC_PAGES and AUTHENTICATED_URLS, plus the pages only reached by doing something
(a cart with items, the checkout, the payment page, a missing page), is loaded 320 and 390 px wide
and with the text-spacing overrides of WCAG 1.4.12: nothing may stick out past the right edge of
the screen. A page added to those lists later is held to the same test.
"""

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from playwright.sync_api import expect

from tests.ala_site.test_smoke import AUTHENTICATED_URLS, PUBLIC_PAGES
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

PRODUCT = "/store/read-your-way-poster/"
LONG_TITLED_PRODUCT = "/store/vintage-ala-pencil-recycled-tote-bag/"

# Pages reached by doing something first: (name, steps) where steps(page, site) leaves the page there.
ALL_PAGES = (
    [(path, None) for path in PUBLIC_PAGES]
    + [(path, "log in") for path in AUTHENTICATED_URLS]
    + [("/no-such-page/", None), ("cart with items", None), ("checkout with items", None), ("pay page", None)]
)
PAGE_IDS = [name if steps is None else f"{name} (logged in)" for name, steps in ALL_PAGES]

# WCAG 1.4.12's text-spacing overrides, as a reader's own style sheet would set them.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


@pytest.fixture
def site(transactional_db, live_server):
    """The live site with the demo content loaded; returns its base address."""
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # The site's CSP (rightly) refuses inline styles; the text-spacing style sheet is the reader's own.
    return {**browser_context_args, "bypass_csp": True}


def log_in(page, site):
    client = Client()
    client.force_login(UserFactory())
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site}])


def fill_cart(page, site):
    for path in (PRODUCT, LONG_TITLED_PRODUCT):
        page.goto(site + path)
        page.get_by_role("button", name="Add to cart").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Your cart")


def open_page(page, site, name, steps=None):
    """Bring `page` to the page called `name` in ALL_PAGES."""
    if steps == "log in":
        log_in(page, site)
    if name == "cart with items":
        fill_cart(page, site)
    elif name == "checkout with items":
        fill_cart(page, site)
        page.goto(site + "/store/checkout/")
    elif name == "pay page":
        fill_cart(page, site)
        page.goto(site + "/store/checkout/")
        page.get_by_label("Full name").fill("Ana Reader")
        page.get_by_label("Email address").fill("ana@example.org")
        page.get_by_label("Street address").fill("1 Library Lane")
        page.get_by_label("City").fill("Chicago")
        page.get_by_label("State or region").fill("IL")
        page.get_by_label("ZIP or postal code").fill("60601")
        page.get_by_role("button", name="Continue to payment").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("Pay for order ALA-")
    else:
        page.goto(site + name)
    expect(page.get_by_role("heading", level=1)).to_be_visible()


# What sticks out past the right edge of the screen. Overflow inside an element that clips or
# scrolls on purpose (a wide table in its scrolling wrapper) is that element's business, except
# that a control there must still be wholly on screen: a cut-off "Remove" button is missed.
# Clipping follows the containing-block chain: an absolutely positioned element escapes every
# clipping ancestor below its positioned one, which is how visually-hidden text widened the page.
OVERFLOW_JS = """
() => {
  const viewport = window.innerWidth;
  const controls = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]';
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.classList.length) text += '.' + [...el.classList].join('.');
    const words = (el.innerText || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    return words ? `${text} "${words}"` : text;
  };
  const found = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) continue;
    // Off-page carousel cards are visibility: hidden: nobody sees, reads or tabs to them.
    if (getComputedStyle(el).visibility === 'hidden') continue;
    let position = getComputedStyle(el).position;
    let clip = null;
    let hidden = false;
    for (let node = el.parentElement; node && node !== document.body; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (position === 'fixed') break;
      const containsAbsolute = style.position !== 'static' || style.transform !== 'none';
      if (position === 'absolute' && !containsAbsolute) continue;
      if (style.overflowX !== 'visible') {
        const edge = node.getBoundingClientRect().left + node.clientLeft + node.clientWidth;
        clip = clip === null ? edge : Math.min(clip, edge);
        if (node.clientWidth <= 1) hidden = true;
      }
      position = style.position;
    }
    const right = box.right + window.scrollX;
    const isControl = el.matches(controls) && !hidden && box.width > 1;
    if (clip === null && right > viewport + 0.5) {
      found.push(`${describe(el)} reaches ${Math.round(right)} px`);
    } else if (isControl && right > Math.min(clip ?? viewport, viewport) + 0.5) {
      const edge = Math.round(Math.min(clip ?? viewport, viewport));
      found.push(`${describe(el)} is cut off at ${edge} px (reaches ${Math.round(right)} px)`);
    }
  }
  return {width: document.documentElement.scrollWidth, viewport, found};
}
"""


def overflow(page):
    return page.evaluate(OVERFLOW_JS)


@pytest.mark.parametrize(("name", "steps"), ALL_PAGES, ids=PAGE_IDS)
def test_pages_reflow_on_phones_and_with_text_spacing(page, site, name, steps):
    page.set_viewport_size({"width": 390, "height": 844})
    open_page(page, site, name, steps)
    problems = []
    for width, spacing in ((390, False), (320, False), (320, True)):
        page.set_viewport_size({"width": width, "height": 720})
        if spacing:
            page.add_style_tag(content=TEXT_SPACING)
        result = overflow(page)
        label = f"{width} px{' with text spacing' if spacing else ''}"
        if result["width"] > result["viewport"]:
            problems.append(f"{label}: the page is {result['width']} px wide")
        problems += [f"{label}: {item}" for item in result["found"][:8]]

    assert not problems, "\n".join(problems)


def open_phone_menu(page):
    main_nav = page.get_by_role("navigation", name="Main")
    main_nav.get_by_text("Menu", exact=True).click()
    return main_nav


TAP_TARGETS_JS = """
(nav) => [...nav.querySelectorAll('summary, a[href]')]
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => {
    const box = el.getBoundingClientRect();
    return {text: el.innerText.trim(), width: box.width, height: box.height};
  })
"""


@pytest.mark.parametrize(("width", "spacing"), [(320, False), (390, False), (390, True)])
def test_phone_menu_button_and_links_are_big_enough_to_tap(page, site, width, spacing):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(site + "/")
    if spacing:
        page.add_style_tag(content=TEXT_SPACING)
    main_nav = open_phone_menu(page)
    groups = main_nav.locator("[data-nav-group] > summary")
    assert groups.count() >= 4
    targets = {}
    for index in range(groups.count()):
        panel = groups.nth(index).locator("xpath=following-sibling::*[1]")
        groups.nth(index).click()
        expect(panel).to_be_visible()
        for target in main_nav.element_handle().evaluate(TAP_TARGETS_JS):
            targets[target["text"]] = target
        result = overflow(page)  # an open menu fits too
        assert result["width"] <= result["viewport"] and result["found"] == []
        groups.nth(index).click()
        expect(panel).to_be_hidden()

    assert {"Menu", "Membership", "Join ALA"} <= set(targets)
    too_small = [
        f"{target['text']}: {target['width']:.0f}×{target['height']:.1f} px"
        for target in targets.values()
        if min(target["width"], target["height"]) < 44
    ]
    assert too_small == []
