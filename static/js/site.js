// Enhancements only: every page works without this file.
document.documentElement.classList.replace("no-js", "js");

// The main menu's drop-downs (<details> elements): one open at a time, closed when focus or a
// click goes elsewhere and on Escape, and never wider than the window.
function mainMenu(nav) {
  const groups = Array.from(nav.querySelectorAll("[data-nav-group]"));

  // A panel that would run past the window's right edge opens leftwards instead.
  function keepInView(group) {
    const panel = group.querySelector("[data-nav-panel]");
    panel.classList.remove("main-nav__children--end");
    if (getComputedStyle(panel).position !== "absolute") return; // phones: the panel is in the page's flow
    if (panel.getBoundingClientRect().right > document.documentElement.clientWidth) {
      panel.classList.add("main-nav__children--end");
    }
  }

  groups.forEach((group) => {
    group.addEventListener("toggle", () => {
      if (!group.open) return;
      groups.filter((other) => other !== group).forEach((other) => (other.open = false));
      keepInView(group);
    });
    // An open panel lies over the page: left open, it would hide whatever gets focus next.
    // (No relatedTarget: focus went to another window, or a click landed on nothing focusable,
    // which the click handler below deals with.)
    // On phones the panel is in the page's flow and covers nothing; closing it there would move
    // the next summary away between a tap's press and release, so the tap would open nothing.
    group.addEventListener("focusout", (event) => {
      if (!group.open || !event.relatedTarget || group.contains(event.relatedTarget)) return;
      if (getComputedStyle(group.querySelector("[data-nav-panel]")).position !== "absolute") return;
      group.open = false;
    });
  });

  // Escape closes the innermost open drop-down (or the phone's Menu) around the focus, and
  // focus goes back to the summary that opened it.
  nav.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const details = event.target.closest("details[open]");
    if (!details || !nav.contains(details)) return;
    const summary = details.querySelector(":scope > summary");
    if (!summary.getClientRects().length) return; // the wide-screen menu, always shown, has no button
    event.preventDefault();
    event.stopPropagation();
    details.open = false;
    summary.focus();
  });

  document.addEventListener("click", (event) => {
    groups.forEach((group) => {
      if (group.open && !group.contains(event.target)) group.open = false;
    });
  });
  window.addEventListener("resize", () => groups.filter((group) => group.open).forEach(keepInView));
}

// The ARIA "carousel with buttons" (templates/ala_site/_carousel.html): one slide shown at a
// time. Focus stays on the button pressed, and the new slide is announced.
// A carousel of cards (data-carousel="Events") shows a page of them at once, as many as site.css
// fits in the width (--carousel-per-page), moves by a page and announces "Events 4 to 6 of 9".
function carousel(root) {
  const slides = Array.from(root.querySelectorAll("[data-carousel-slide]"));
  const status = root.querySelector("[data-carousel-status]");
  if (slides.length < 2) return;
  const cards = root.dataset.carousel;
  const list = root.querySelector(".carousel-pattern__slides");
  let current = Math.max(0, slides.findIndex((slide) => slide.classList.contains("is-current")));

  function perPage() {
    if (!cards) return 1;
    return Math.max(1, parseInt(getComputedStyle(list).getPropertyValue("--carousel-per-page"), 10) || 1);
  }

  // Cards off the page are hidden from everyone (so Tab reaches only the ones in view); the row
  // slides along so the page's cards are the ones in view.
  function place(index) {
    const size = perPage();
    const pages = Math.ceil(slides.length / size);
    const page = (Math.floor(index / size) + pages) % pages;
    current = page * size;
    slides.forEach((slide, position) =>
      slide.classList.toggle("is-current", position >= current && position < current + size),
    );
    list.style.setProperty("--carousel-start", current);
    return size;
  }

  function announce(size) {
    if (cards) {
      const last = Math.min(current + size, slides.length);
      const range = last > current + 1 ? `${current + 1} to ${last}` : `${current + 1}`;
      status.textContent = `${cards} ${range} of ${slides.length}`;
      return;
    }
    const heading = slides[current].querySelector("h1, h2, h3, h4, h5, h6");
    const title = heading ? `: ${heading.textContent.trim()}` : "";
    status.textContent = `Slide ${current + 1} of ${slides.length}${title}`;
  }

  // Previous from the first page goes to the last page, not to a page cut from its middle.
  const step = (direction) => () => {
    const size = perPage();
    const target = direction < 0 && current === 0 ? slides.length - 1 : current + direction * size;
    announce(place(target >= slides.length ? 0 : target));
  };
  root.querySelector("[data-carousel-previous]").addEventListener("click", step(-1));
  root.querySelector("[data-carousel-next]").addEventListener("click", step(1));
  if (cards) {
    place(current);
    window.addEventListener("resize", () => place(current));
  }
}

// The alert banner's ✕ is a form that works without JavaScript (the server sets the cookie and
// sends the visitor back). Here it is sent in the background and the banner goes without a reload.
// One dismissal at a time: each answer rewrites the whole cookie from the one its request carried,
// so a second ✕ sent before the first came back would forget the first.
let dismissals = Promise.resolve();

function dismissibleAlert(form) {
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    dismissals = dismissals.then(() => dismissAlert(form));
  });
}

async function dismissAlert(form) {
  const banner = form.closest("[data-alert-banner]");
  if (!banner || !banner.isConnected) return; // pressed twice: already gone
  let response = null;
  try {
    response = await fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
  } catch {
    response = null;
  }
  if (!response || !response.ok) {
    form.submit(); // the page that comes back says what went wrong (an expired form, too many tries)
    return;
  }
  const next = nextBanner(banner) || firstFocusableAfter(banner.parentElement) || document.getElementById("main");
  const hadFocus = banner.contains(document.activeElement);
  banner.remove();
  if (hadFocus || document.activeElement === document.body) next.focus();
}

function nextBanner(banner) {
  let sibling = banner.nextElementSibling;
  while (sibling && !sibling.matches("[data-alert-banner]")) sibling = sibling.nextElementSibling;
  return sibling;
}

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([type="hidden"]):not([disabled]), select:not([disabled]), ' +
  'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

// The element a Tab would reach next once `element` is gone: where the keyboard carries on.
function firstFocusableAfter(element) {
  return Array.from(document.querySelectorAll(FOCUSABLE)).find(
    (candidate) =>
      element.compareDocumentPosition(candidate) & Node.DOCUMENT_POSITION_FOLLOWING &&
      !element.contains(candidate) &&
      candidate.getClientRects().length > 0 &&
      getComputedStyle(candidate).visibility !== "hidden",
  );
}

document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-main-nav]").forEach(mainMenu);
  document.querySelectorAll("[data-carousel]").forEach(carousel);
  document.querySelectorAll("[data-alert-dismiss]").forEach(dismissibleAlert);
});
