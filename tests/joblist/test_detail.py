"""One ad's page, /joblist/<pk>-<slug>/: what it shows, its JSON-LD, an ended ad, and who sees it."""

import io
import json
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from joblist.models import JobPosting
from tests.html_utils import h1_count, links, parse, visible_text
from tests.joblist.factories import EmployerFactory, JobPostingFactory, published_job
from tests.sitemap_utils import sitemap_paths

pytestmark = pytest.mark.django_db


def json_ld(response):
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S)
    for block in found:
        data = json.loads(block)
        if data.get("@type") == "JobPosting":
            return data
    return None


def logo():
    buffer = io.BytesIO()
    Image.new("RGB", (400, 200), (0, 45, 98)).save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def test_the_page_shows_the_job_and_how_to_apply(client, settings):
    employer = EmployerFactory(name="Dayton Metro Library", website="https://www.daytonmetrolibrary.org/")
    posting = published_job(
        days_ago=14,
        title="Children Services Librarian",
        employer=employer,
        city="Dayton",
        state="OH",
        library_type=JobPosting.LibraryType.PUBLIC,
        category=JobPosting.Category.YOUTH,
        salary_min=Decimal("54000"),
        salary_max=Decimal("62000"),
        description="Lead **story times**.",
        requirements="- A master's degree",
        application_deadline=timezone.localdate() + timedelta(days=20),
        apply_url="https://jobs.example.org/dayton/children",
    )

    response = client.get(posting.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert h1_count(html) == 1
    text = visible_text(html)
    for expected in (
        "Children Services Librarian",
        "Dayton Metro Library",
        "Dayton, OH",
        "On-site",
        "Public",
        "Children's and youth services",
        "Full time",
        "$54,000–$62,000 per year",
        "Apply by",
        "Posted 2 weeks ago",
    ):
        assert expected in text, expected
    assert "<strong>story times</strong>" in html and "<li>A master's degree</li>" in html
    assert ("Apply online for Children Services Librarian", "https://jobs.example.org/dayton/children") in [
        (label, href) for href, label in links(html)
    ]
    assert 'name="robots"' not in html
    assert f'<link rel="canonical" href="{settings.SITE_URL}{posting.get_absolute_url()}">' in html


def test_an_email_application_is_a_mailto_link(client):
    posting = published_job(title="Director", apply_url="", apply_email="search@library.example.org")
    html = client.get(posting.get_absolute_url()).content.decode()
    assert any(href.startswith("mailto:search@library.example.org?subject=Director") for href, _ in links(html))


def test_the_employer_logo_has_its_alt_text(client, settings):
    employer = EmployerFactory(image=logo(), image_alt="Dayton Metro Library logo")
    employer.save()
    posting = published_job(employer=employer)
    html = client.get(posting.get_absolute_url()).content.decode()
    assert 'alt="Dayton Metro Library logo"' in html
    data = json_ld(client.get(posting.get_absolute_url()))
    assert data["hiringOrganization"]["logo"] == settings.SITE_URL + employer.image_rendition.url


def test_script_in_the_ad_is_shown_inert(client):
    posting = published_job(
        title="<script>alert('t')</script>",
        description="<script>alert('d')</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        requirements="<iframe src='https://evil.example'></iframe>",
    )
    response = client.get(posting.get_absolute_url())
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "javascript:" not in html and "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert "<iframe" not in html
    # Every <script> on the page is a file or JSON-LD, never inline code.
    assert all(attrs.get("src") or attrs.get("type") == "application/ld+json" for attrs in parse(html).scripts)
    # The JSON-LD cannot be closed early by the title.
    assert "</script><script>" not in html
    assert json_ld(response)["title"] == "<script>alert('t')</script>"


def test_json_ld_for_an_on_site_job_with_a_salary(client, settings):
    settings.SITE_URL = "https://www.ala.example"
    employer = EmployerFactory(name="University of Missouri", website="https://library.missouri.edu/")
    posting = published_job(
        title="Education Librarian",
        employer=employer,
        city="Columbia",
        state="MO",
        salary_min=Decimal("58000"),
        salary_max=Decimal("65000.50"),
        job_type=JobPosting.JobType.PART_TIME,
        description="Teach.",
        requirements="A degree.",
    )

    data = json_ld(client.get(posting.get_absolute_url()))

    assert data["@type"] == "JobPosting"
    assert data["title"] == "Education Librarian"
    assert "<p>Teach.</p>" in data["description"] and "A degree." in data["description"]
    assert data["datePosted"] == timezone.localtime(posting.published_at).isoformat()
    assert data["validThrough"] == timezone.localtime(posting.expires_at).isoformat()
    assert data["hiringOrganization"] == {
        "@type": "Organization",
        "name": "University of Missouri",
        "sameAs": "https://library.missouri.edu/",
    }
    assert data["jobLocation"] == {
        "@type": "Place",
        "address": {
            "@type": "PostalAddress",
            "addressLocality": "Columbia",
            "addressRegion": "MO",
            "addressCountry": "US",
        },
    }
    assert "jobLocationType" not in data
    assert data["employmentType"] == "PART_TIME"
    assert data["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "minValue": 58000, "maxValue": 65000.5, "unitText": "YEAR"},
    }
    assert data["directApply"] is False
    assert data["url"] == "https://www.ala.example" + posting.get_absolute_url()


def test_json_ld_for_a_remote_hourly_job_with_a_deadline(client):
    deadline = timezone.localdate() + timedelta(days=3)
    posting = published_job(
        workplace=JobPosting.Workplace.REMOTE,
        salary_min=Decimal("25"),
        salary_max=None,
        salary_period=JobPosting.SalaryPeriod.HOUR,
        application_deadline=deadline,
        job_type=JobPosting.JobType.INTERNSHIP,
    )

    data = json_ld(client.get(posting.get_absolute_url()))

    assert data["jobLocationType"] == "TELECOMMUTE"
    assert data["applicantLocationRequirements"] == {"@type": "Country", "name": "US"}
    assert "jobLocation" not in data
    assert data["baseSalary"]["value"] == {"@type": "QuantitativeValue", "minValue": 25, "unitText": "HOUR"}
    assert data["employmentType"] == "INTERN"
    # The deadline ends the ad sooner than its 30-day run: the end of that day.
    assert data["validThrough"].startswith((deadline + timedelta(days=1)).isoformat())


def test_json_ld_leaves_out_a_salary_not_given(client):
    posting = published_job(salary_min=None, salary_max=None)
    assert "baseSalary" not in json_ld(client.get(posting.get_absolute_url()))


@pytest.mark.parametrize("trait", ["expired", "run_over"])
def test_an_ended_ad_says_so_has_no_apply_button_and_asks_not_to_be_indexed(client, trait):
    posting = JobPostingFactory(**{trait: True}, title="Archivist")

    response = client.get(posting.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert "This job is no longer accepting applications." in visible_text(html)
    assert '<meta name="robots" content="noindex">' in html
    assert "Apply online" not in html and posting.apply_url not in html
    assert json_ld(response) is None
    assert h1_count(html) == 1


def test_an_ad_past_its_application_deadline_has_ended(client):
    deadline = timezone.localdate() - timedelta(days=1)
    posting = published_job(days_ago=5, application_deadline=deadline)
    html = client.get(posting.get_absolute_url()).content.decode()
    assert "This job is no longer accepting applications." in html
    assert f"applications closed on {deadline:%B} {deadline.day}, {deadline.year}" in html


@pytest.mark.parametrize("trait", ["draft", "pending", "rejected", "withdrawn", "scheduled"])
def test_ads_not_published_are_not_found(client, trait):
    if trait == "draft":
        posting = JobPostingFactory()
    elif trait == "scheduled":
        posting = JobPostingFactory(published=True, published_at=timezone.now() + timedelta(hours=2))
    else:
        posting = JobPostingFactory(**{trait: True})
    assert client.get(posting.get_absolute_url()).status_code == 404


def test_a_wrong_or_missing_slug_redirects_to_the_ads_address(client):
    posting = published_job(title="Education Librarian")
    for url in (f"/joblist/{posting.pk}-old-title/", f"/joblist/{posting.pk}/"):
        response = client.get(url)
        assert response.status_code == 301
        assert response["Location"] == f"/joblist/{posting.pk}-education-librarian/"


def test_unknown_numbers_are_not_found(client):
    assert client.get("/joblist/999999-nothing/").status_code == 404
    assert client.get("/joblist/99999999999999999999999-big/").status_code == 404


def test_the_page_answers_head_and_refuses_post(client):
    posting = published_job()
    assert client.head(posting.get_absolute_url()).status_code == 200
    assert client.post(posting.get_absolute_url()).status_code == 405


def test_the_sitemap_lists_live_ads_and_the_board(client):
    live, ended, draft = published_job(), JobPostingFactory(expired=True), JobPostingFactory()
    paths = sitemap_paths(client)
    assert live.get_absolute_url() in paths
    assert ended.get_absolute_url() not in paths
    assert draft.get_absolute_url() not in paths
    assert "/joblist/" in paths
