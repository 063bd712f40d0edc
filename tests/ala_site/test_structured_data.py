"""The JSON-LD of each kind of page parses, with the properties search engines require (issue 14, item 2).

Organization on the landing page; Event, JobPosting, Product, NewsArticle and Book on the pages
of an event, a job ad, a product, a news article and a book résumé. Checked on the demo content
and on rows whose texts try to break out of the script element.
"""

import json
from datetime import datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from advocacy.models import Article
from tests.censorship.factories import BookResumeFactory
from tests.events.factories import EventFactory
from tests.joblist.factories import published_job
from tests.store.factories import ProductFactory

SCHEMA = "https://schema.org"
NASTY = "</script><script>alert('x')</script> & <b>\"quoted\"</b>"


class JsonLdParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks = []
        self._open = None

    def handle_starttag(self, tag, attrs):
        if tag == "script" and dict(attrs).get("type") == "application/ld+json":
            self._open = []

    def handle_endtag(self, tag):
        if tag == "script" and self._open is not None:
            self.blocks.append("".join(self._open))
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open.append(data)


def json_ld_of(client, path):
    """Every JSON-LD object on the page, as parsed; a block that is not valid JSON fails here."""
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    parser = JsonLdParser()
    parser.feed(response.content.decode())
    return [json.loads(block) for block in parser.blocks]


def the_one(client, path, schema_type):
    objects = [data for data in json_ld_of(client, path) if data.get("@type") == schema_type]
    assert len(objects) == 1, f"{path}: {len(objects)} {schema_type} objects"
    data = objects[0]
    assert data["@context"].rstrip("/") in (SCHEMA, "http://schema.org")
    return data


def is_datetime(value):
    datetime.fromisoformat(value.replace("Z", "+00:00"))  # raises on anything else
    return True


def is_absolute(url):
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def check_organization(data):
    assert data["name"]
    assert data["url"] == settings.SITE_URL + "/"


def check_event(data):
    assert data["name"]
    assert is_datetime(data["startDate"]) and is_datetime(data["endDate"])
    locations = data["location"] if isinstance(data["location"], list) else [data["location"]]
    for location in locations:
        assert location["@type"] in ("Place", "VirtualLocation")
        if location["@type"] == "Place":
            assert location["address"]
        else:
            assert is_absolute(location["url"])
    assert data["eventAttendanceMode"].startswith(f"{SCHEMA}/")
    if "offers" in data:
        offers = data["offers"] if isinstance(data["offers"], list) else [data["offers"]]
        for offer in offers:
            assert offer["priceCurrency"] and float(offer["price"]) >= 0


def check_job_posting(data):
    assert data["title"] and data["description"]
    assert is_datetime(data["datePosted"])
    assert is_datetime(data["validThrough"])
    assert data["hiringOrganization"]["name"]
    if data.get("jobLocationType") == "TELECOMMUTE":
        assert data["applicantLocationRequirements"]["name"]
    else:
        assert data["jobLocation"]["address"]["addressRegion"]
        assert data["jobLocation"]["address"]["addressCountry"]
    assert data["employmentType"]


def check_product(data):
    assert data["name"]
    offer = data["offers"]
    assert float(offer["price"]) > 0
    assert offer["priceCurrency"] == "USD"
    assert offer["availability"].startswith(f"{SCHEMA}/")


def check_news_article(data):
    assert data["headline"] and len(data["headline"]) <= 110
    assert is_datetime(data["datePublished"])
    assert data["publisher"]["name"]
    assert data["author"]


def check_book(data):
    assert data["name"]
    authors = data["author"] if isinstance(data["author"], list) else [data["author"]]
    assert all(author["name"] for author in authors)
    assert is_absolute(data["url"])


@pytest.fixture
def demo_content(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


DEMO_PAGES = [
    ("/", "Organization", check_organization),
    ("/events/how-it-feels-to-be-me/", "Event", check_event),
    ("/joblist/1-education-librarian/", "JobPosting", check_job_posting),
    ("/store/read-your-way-poster/", "Product", check_product),
    ("/news/aging-together-evaluation/", "NewsArticle", check_news_article),
    ("/censorship/resumes/gender-queer/", "Book", check_book),
]


def test_each_kinds_demo_page_has_valid_json_ld(client, demo_content):
    for path, schema_type, check in DEMO_PAGES:
        data = the_one(client, path, schema_type)
        check(data)
        if "url" in data:  # the page it describes, as its canonical link names it
            assert data["url"] == settings.SITE_URL + path, path


def test_the_organization_is_only_on_the_landing_page_once(client, demo_content):
    assert [data["@type"] for data in json_ld_of(client, "/")].count("Organization") == 1


def _nasty_rows():
    now = timezone.now()
    return [
        (EventFactory(title=f"Event {NASTY}", summary=NASTY), "Event", "name", check_event),
        (published_job(title=f"Librarian {NASTY}", description=NASTY), "JobPosting", "title", check_job_posting),
        (ProductFactory(title=f"Poster {NASTY}", short_description=NASTY), "Product", "name", check_product),
        (
            Article.objects.create(
                title=f"News {NASTY}"[:100],
                slug="nasty-news",
                summary=NASTY,
                body=NASTY,
                publish_at=now - timedelta(hours=1),
            ),
            "NewsArticle",
            "headline",
            check_news_article,
        ),
        (BookResumeFactory(title=f"Book {NASTY}", slug="nasty-book", author=NASTY), "Book", "name", check_book),
    ]


@pytest.mark.django_db
def test_texts_that_try_to_close_the_script_element_stay_inside_the_json(client):
    for row, schema_type, name_field, check in _nasty_rows():
        path = row.get_absolute_url()
        page = client.get(path).content.decode()

        data = the_one(client, path, schema_type)

        check(data)
        assert data[name_field] == row.title, path
        assert "<script>alert('x')" not in page, path
