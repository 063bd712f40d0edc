"""The keyboard focus indicator, measured on every page: tab through it and look at each stop.

Each focused element must draw an outline (a box-shadow alone vanishes in forced-colors mode) at
least 2 px wide whose colour contrasts 3:1 with what was there before focus arrived: the
background just around the element (WCAG 2.4.7, 2.4.13, 1.4.11). Contrast is computed here from
the computed colours, as WCAG defines it. Form fields' borders must contrast 3:1 with the page too.
"""

import pytest

from tests.browser.test_reflow import ALL_PAGES, PAGE_IDS, open_page, site  # noqa: F401 (the fixture)

pytestmark = pytest.mark.browser

MAX_TAB_STOPS = 250

# Pages where each kind of control is found, as a visitor meets them.
KIND_PAGES = ["/", "/donate/", "/membership/join/", "/store/read-your-way-poster/", "cart with items"]
KIND_PAGES += ["checkout with items", "/cookies/", "/accounts/login/"]
KINDS = {
    "link",
    "button",
    "text field",
    "select",
    "radio",
    "checkbox",
    "summary",
    "alert close button",
    "carousel button",
}


def luminance(rgb):
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# Runs in the page with the focused element: what its focus indicator looks like, what the
# unfocused element before it looks like, and the colours behind the outline (taken at the
# outline's own position from whatever is painted there, so a skip link over a dark banner or a
# button on a coloured band is measured against that band). Opacity and filters on the element or
# its ancestors change the colour actually drawn: opacity is applied, a filter is reported.
MEASURE_JS = """
() => {
  const parse = (value) => {
    const match = /rgba?\\(([^)]+)\\)/.exec(value || '');
    if (!match) return null;
    const parts = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const blend = (top, bottom) => bottom.map((value, i) => top[i] * top[3] + value * (1 - top[3]));
  const backdrop = (stack) => {
    const layers = [];
    for (const node of stack) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) { layers.push(colour); if (colour[3] >= 1) break; }
    }
    return layers.reverse().reduce((below, layer) => blend(layer, below), [255, 255, 255]);
  };
  const describe = (el) => {
    let text = el.tagName.toLowerCase();
    if (el.id) text += '#' + el.id;
    if (el.classList.length) text += '.' + [...el.classList].join('.');
    const shown = el.innerText || el.value || el.getAttribute('aria-label') || '';
    const words = shown.trim().replace(/\\s+/g, ' ').slice(0, 40);
    return words ? `${text} "${words}"` : text;
  };
  const kind = (el) => {
    const tag = el.tagName.toLowerCase();
    const inAlert = el.closest('[data-alert-banner], .alert-banner');
    if (inAlert && (el.matches('.btn-close') || tag === 'button')) return 'alert close button';
    const inCarousel = el.closest('.carousel, [aria-roledescription=carousel]');
    if (inCarousel && tag === 'button') return 'carousel button';
    if (tag === 'summary') return 'summary';
    if (tag === 'select') return 'select';
    if (tag === 'textarea') return 'textarea';
    if (tag === 'input') {
      if (el.type === 'checkbox' || el.type === 'radio') return el.type;
      if (['submit', 'button', 'reset', 'image'].includes(el.type)) return 'button';
      return 'text field';
    }
    if (tag === 'button' || el.matches('.btn')) return 'button';
    if (tag === 'a') return 'link';
    return tag;
  };
  const outline = (el) => {
    const style = getComputedStyle(el);
    return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), offset: parseFloat(style.outlineOffset),
            colour: parse(style.outlineColor)};
  };

  const ancestors = (node) => { const list = []; while ((node = node.parentElement)) list.push(node); return list; };

  const el = document.activeElement;
  const previous = window.__focusPrevious && window.__focusPrevious.isConnected ? window.__focusPrevious : null;
  window.__focusPrevious = el;
  const result = {previous: previous && {element: describe(previous), outline: outline(previous)}};
  if (!el || el === document.body || el === document.documentElement) return result;
  window.__focusSeen = window.__focusSeen || new WeakSet();
  result.again = window.__focusSeen.has(el);
  window.__focusSeen.add(el);

  const ring = outline(el);
  let opacity = 1;
  let filter = null;
  for (let node = el; node; node = node.parentElement) {
    const style = getComputedStyle(node);
    opacity *= parseFloat(style.opacity);
    if (style.filter !== 'none' && !filter) filter = `${describe(node)} has filter: ${style.filter}`;
  }
  // Sample the middle of the outline's stroke on each side of the element.
  const box = el.getBoundingClientRect();
  const out = ring.offset + ring.width / 2;
  const points = [
    [box.left - out, box.top + box.height / 2], [box.right + out, box.top + box.height / 2],
    [box.left + box.width / 2, box.top - out], [box.left + box.width / 2, box.bottom + out],
  ];
  const behind = [];
  for (const [x, y] of points) {
    if (x < 1 || y < 1 || x > window.innerWidth - 1 || y > window.innerHeight - 1) continue;
    const stack = document.elementsFromPoint(x, y);
    if (!stack.length) continue;
    // Outside the element, the element's own boxes are not behind the outline.
    behind.push(backdrop(stack.filter((node) => ring.offset < 0 || !el.contains(node))));
  }
  if (!behind.length) {
    behind.push(backdrop(ring.offset < 0 ? [el, ...ancestors(el)] : ancestors(el)));
  }
  Object.assign(result, {element: describe(el), kind: kind(el), outline: ring, opacity, filter, behind});
  return result;
}
"""


def drawn(outline):
    return outline["style"] not in ("none", "hidden") and outline["width"] > 0


def tab_through(page):
    """Press Tab until focus comes back round; yields each stop's measurements."""
    page.evaluate("window.__focusPrevious = null; window.__focusSeen = new WeakSet()")
    for _ in range(MAX_TAB_STOPS):
        page.keyboard.press("Tab")
        stop = page.evaluate(MEASURE_JS)
        if "element" not in stop or stop["again"]:  # back on <body> or round again: the end
            yield {"previous": stop["previous"]}
            return
        yield stop
    raise AssertionError(f"more than {MAX_TAB_STOPS} tab stops")


def focus_problems(stop):
    """What is wrong with the focus indicator at one tab stop (in normal colours)."""
    if "element" not in stop:
        return []
    label = f"{stop['element']} ({stop['kind']})"
    ring = stop["outline"]
    if not drawn(ring) or ring["width"] < 2:
        return [f"{label}: no outline of 2 px or more ({ring['style']} {ring['width']} px)"]
    if stop["filter"]:
        return [f"{label}: the outline's colour is changed by a filter ({stop['filter']})"]
    colour = ring["colour"]
    alpha = colour[3] * stop["opacity"]
    problems = []
    for behind in stop["behind"]:
        seen = [colour[i] * alpha + behind[i] * (1 - alpha) for i in range(3)]
        ratio = contrast(seen, behind)
        if ratio < 3:
            rgb = tuple(round(value) for value in seen)
            problems.append(f"{label}: outline rgb{rgb} on rgb{tuple(round(v) for v in behind)} is {ratio:.2f}:1")
            break
    return problems


def unfocused_problems(stop):
    """The element that just lost focus must not keep the indicator."""
    previous = stop.get("previous")
    if previous and drawn(previous["outline"]) and previous["outline"]["width"] >= 1:
        ring = previous["outline"]
        return [f"{previous['element']}: keeps an outline when not focused ({ring['style']} {ring['width']} px)"]
    return []


@pytest.mark.parametrize(("name", "steps"), ALL_PAGES, ids=PAGE_IDS)
def test_every_tab_stop_shows_a_strong_focus_outline_and_every_field_a_clear_border(page, site, name, steps):  # noqa: F811
    """Also: every form field's border contrasts with the page (one visit per page for both)."""
    open_page(page, site, name, steps)
    problems = border_problems(page)
    stops = 0
    for stop in tab_through(page):
        problems += focus_problems(stop) + unfocused_problems(stop)
        stops += "element" in stop
    assert stops > 5, "the page should have a header, a footer and their links"

    # Forced colors (Windows High Contrast): box-shadows are dropped, colours are the user's own;
    # the outline must still be drawn.
    page.emulate_media(forced_colors="active")
    page.reload()
    for stop in tab_through(page):
        if "element" in stop and (not drawn(stop["outline"]) or stop["outline"]["width"] < 2):
            problems.append(f"forced colors: {stop['element']} ({stop['kind']}) has no outline")

    assert not problems, "\n".join(problems)


def test_each_kind_of_control_is_on_the_pages_measured(page, site):  # noqa: F811
    """The sweep above is only as good as what it meets: every kind of control is among its stops."""
    kinds = set()
    for name in KIND_PAGES:
        open_page(page, site, name)
        kinds |= {stop["kind"] for stop in tab_through(page) if "kind" in stop}

    assert kinds >= KINDS


def test_a_textarea_gets_the_same_outline_and_border(page, site):  # noqa: F811
    """No form has a textarea yet; the first one is held to the same focus ring and border."""
    open_page(page, site, "/accounts/login/")
    page.evaluate("""() => {
        const field = document.createElement('textarea');
        field.className = 'form-control';
        field.setAttribute('aria-label', 'Notes');
        document.querySelector('main form').prepend(field);
    }""")
    page.get_by_label("Notes").focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    stop = page.evaluate(MEASURE_JS)

    assert stop["kind"] == "textarea"
    assert focus_problems(stop) == []
    page.evaluate("document.activeElement.blur()")
    assert border_problems(page) == []


# Each form field's border against the background it sits on (WCAG 1.4.11). Checkboxes and radios
# drawn by the browser itself (appearance: auto) are the browser's; styled ones are measured.
BORDERS_JS = """
() => {
  const parse = (value) => {
    const match = /rgba?\\(([^)]+)\\)/.exec(value || '');
    if (!match) return null;
    const parts = match[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
  };
  const blend = (top, bottom) => bottom.map((value, i) => top[i] * top[3] + value * (1 - top[3]));
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) { layers.push(colour); if (colour[3] >= 1) break; }
    }
    return layers.reverse().reduce((below, layer) => blend(layer, below), [255, 255, 255]);
  };
  const fields = document.querySelectorAll(
    'input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea');
  return [...fields].filter((el) => el.getClientRects().length && !el.disabled && !el.closest('.hp-field'))
    .map((el) => {
      const style = getComputedStyle(el);
      const kind = el.tagName === 'INPUT' ? el.type : el.tagName.toLowerCase();
      const sides = ['Top', 'Right', 'Bottom', 'Left'].map((side) => ({
        width: parseFloat(style[`border${side}Width`]), colour: parse(style[`border${side}Color`]),
        style: style[`border${side}Style`],
      }));
      const native = style.appearance !== 'none' && (kind === 'checkbox' || kind === 'radio');
      return {element: `${kind} ${el.name || el.id}`, native, sides, background: background(el.parentElement)};
    });
}
"""


def border_problems(page):
    problems = []
    for field in page.evaluate(BORDERS_JS):
        if field["native"]:
            continue
        for side in field["sides"]:
            if side["style"] in ("none", "hidden") or side["width"] < 1:
                problems.append(f"{field['element']}: no border all round")
                break
            colour, behind = side["colour"], field["background"]
            seen = [colour[i] * colour[3] + behind[i] * (1 - colour[3]) for i in range(3)]
            if contrast(seen, behind) < 3:
                problems.append(f"{field['element']}: border rgb{tuple(colour[:3])} is {contrast(seen, behind):.2f}:1")
                break
    return problems
