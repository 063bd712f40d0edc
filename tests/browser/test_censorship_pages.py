"""The public censorship pages in a real browser: axe on the hub, the data page's charts (and its
figures from consenting reports), the résumé directory and a résumé; a résumé on a 320 px phone; a résumé printed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import expect

from censorship import demo_content, demo_reports
from censorship.models import BookResume
from tests.censorship.factories import (
    ResumeRecognitionFactory,
    ResumeResourceFactory,
    ResumeRetentionFactory,
    ResumeReviewFactory,
)

pytestmark = pytest.mark.browser

RESUME = "/censorship/resumes/looking-for-alaska/"
PAGES = ["/censorship/", "/censorship/data/", "/censorship/resumes/", "/censorship/resumes/?q=hopkins", RESUME]


def cover():
    png = io.BytesIO()
    Image.new("RGB", (600, 900), "#0b2e59").save(png, format="PNG")
    return SimpleUploadedFile("cover.png", png.getvalue(), content_type="image/png")


@pytest.fixture
def site(transactional_db, live_server):
    """The censorship demo, with one résumé as full as staff make them (cover, reviews, history)."""
    demo_content.seed(log=lambda message: None)
    demo_reports.seed(log=lambda message: None)  # the data page's figures from consenting reports
    resume = BookResume.objects.get(slug="looking-for-alaska")
    resume.image = cover()
    resume.image_alt = "The cover of Looking for Alaska: a plume of smoke on a white background"
    resume.isbn = "978-0-525-47506-4"
    resume.author_statement = "I wrote it for *teenagers* who ask big questions."
    resume.save()
    ResumeReviewFactory(resume=resume, quote="Funny, sad and true.", source="A review journal")
    ResumeRecognitionFactory(resume=resume, name="A state readers' choice list", kind="list")
    ResumeRetentionFactory(resume=resume)
    ResumeResourceFactory(
        resume=resume, label="A discussion guide with a very long address", url="https://example.org/" + "guide-" * 30
    )
    return live_server.url


@pytest.mark.parametrize("path", PAGES)
def test_pages_are_axe_clean_without_console_errors(page, site, path, axe_violations):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)

    page.goto(site + path)

    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert axe_violations(page) == []
    assert errors == []  # a style attribute or inline script would show here as a CSP violation


def test_charts_are_named_images_beside_tables(page, site):
    page.goto(site + "/censorship/data/")

    attempts = page.get_by_role("img", name="Attempts to restrict access to library materials, by year")
    titles = page.get_by_role("img", name="Unique titles challenged, by year")
    expect(attempts).to_be_visible()
    expect(titles).to_be_visible()
    table = page.get_by_role("table", name="Attempts to restrict access, by year")
    expect(table.get_by_role("row", name="2022 1,269")).to_be_visible()
    assert attempts.locator("rect").count() == len(demo_content.YEARS)
    # The description (aria-describedby is the <desc>) tells the highest and lowest years.
    description = attempts.evaluate("svg => svg.querySelector('desc').textContent")
    assert "Highest: 2022, 1,269" in description
    # The figures counted from consenting reports (no group under 5) are on the page axe checks.
    expect(page.get_by_role("heading", name="From reports filed with us")).to_be_visible()
    expect(page.get_by_role("table", name="Reports by kind of library")).to_be_visible()


@pytest.mark.parametrize("path", [RESUME, "/censorship/data/", "/censorship/resumes/"])
def test_no_sideways_scrolling_at_320_px(page, site, path):
    page.set_viewport_size({"width": 320, "height": 720})
    page.goto(site + path)

    widths = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")

    assert widths[0] <= widths[1], f"{path} is {widths[0]} px wide in a {widths[1]} px window"


def test_a_resume_prints_without_the_site_around_it(page, site):
    page.goto(site + RESUME)
    header = page.locator(".site-header")
    footer = page.locator(".site-footer")
    address = page.locator(".resume__print-url").first
    expect(header).to_be_visible()
    expect(address).to_be_hidden()

    page.emulate_media(media="print")

    expect(header).to_be_hidden()
    expect(footer).to_be_hidden()
    expect(page.get_by_role("navigation", name="Breadcrumb")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Looking for Alaska")
    expect(page.get_by_role("heading", name="Retention history")).to_be_visible()
    expect(address).to_be_visible()
    assert page.pdf(format="Letter")[:4] == b"%PDF"


def test_search_and_filter_work_without_javascript(browser, site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/censorship/resumes/")

    page.get_by_label("Title or author").fill("hopkins")
    page.get_by_label("Format").select_option(label="Novel in verse")
    page.get_by_role("search", name="Book résumés").get_by_role("button", name="Search").click()

    cards = page.locator(".resume-card h2")
    expect(cards).to_have_text(["Crank", "Tricks"])
    context.close()
