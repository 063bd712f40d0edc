"""The landing page's "Fight Censorship: Take Action Against Book Bans" section."""

import re

import pytest
from django.urls import reverse

from tests.html_utils import headings, links, visible_text

pytestmark = pytest.mark.django_db

TITLE = "Fight Censorship: Take Action Against Book Bans"


def home(client):
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(page):
    match = re.search(r'<section class="home-section container fight-censorship".*?</section>', page, re.S)
    return match.group(0) if match else ""


def test_the_section_leads_to_the_hub_data_resumes_and_report(client):
    part = section(home(client))

    assert headings(part, levels={"h2"}) == [TITLE]
    assert headings(part, levels={"h3"}) == [
        "Censorship Data",
        "Defend Challenged Books with Book Résumés",
        "Report Censorship",
    ]
    assert links(part) == [
        ("/censorship/", "Go to Banned Books Home"),
        ("/censorship/data/", "Learn more about censorship data"),
        ("/censorship/resumes/", "Bookmark this link! Book Résumés"),
        (reverse("censorship:report"), "Report a challenge."),
    ]
    text = visible_text(part)
    assert "ALA compiles data on book challenges from reports filed by library professionals" in text
    assert "They detail each title’s significance and educational value" in text
    assert "Your front line reports help ALA's Office for Intellectual Freedom" in text


def test_the_calls_to_action_read_in_capitals_as_in_the_seed(client):
    # Capitals come from CSS (text-transform), so screen readers read words, not letters.
    part = section(home(client))

    assert part.count("fight-censorship__cta") == 4
    css = open("static/css/site.css").read()  # noqa: SIM115
    assert re.search(r"\.fight-censorship__cta \{[^}]*text-transform: uppercase", css)


def test_the_section_follows_get_involved_as_in_the_seed(client):
    page = home(client)
    template = open("templates/home.html").read()  # noqa: SIM115

    assert section(page)
    tags = re.findall(r"{% (\w+) %}", template.split("{% block content %}", 1)[1])
    assert tags.index("fight_censorship") == tags.index("get_involved") + 1
