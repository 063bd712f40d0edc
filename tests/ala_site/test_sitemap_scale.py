"""A sitemap that scales (issue 15, item 3).

/sitemap.xml is an index with one section per kind (/sitemap-store.xml...), each section
paginated (?p=2...), `lastmod` on every entry and on each index entry; the pages are cached like
the site's pages, renewed by a content change or by the clock; and at 100,000 rows a section page
takes the same few queries as at ten.
"""

import re
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ala_site import page_cache
from ala_site.sitemaps import url_format
from ala_site.urls import sitemaps
from joblist.models import JobPosting
from store.models import Product
from store.sitemaps import ProductSitemap
from tests.advocacy.news_factories import ArticleFactory
from tests.censorship.factories import BookResumeFactory
from tests.events.factories import EventFactory
from tests.joblist.factories import JobPostingFactory, published_job
from tests.sitemap_utils import index_entries, path_of, section_entries
from tests.store.factories import ProductFactory

SECTIONS = [
    "pages",
    "store",
    "event-pages",
    "events",
    "joblist",
    "jobs",
    "advocacy",
    "news",
    "stories",
    "censorship",
    "resumes",
]


@pytest.fixture
def demo_content(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def paths_of(entries):
    return {path_of(location) for location, _ in entries}


def test_the_index_lists_every_section_on_site_url_each_with_its_lastmod(client, demo_content, settings):
    settings.SITE_URL = "https://www.ala.example"

    entries = index_entries(client)

    assert [location for location, _ in entries] == [f"https://www.ala.example/sitemap-{name}.xml" for name in SECTIONS]
    assert [location for location, lastmod in entries if lastmod is None] == []
    lastmods = dict(entries)
    newest_product = max(Product.objects.values_list("updated_at", flat=True))
    assert datetime.fromisoformat(lastmods["https://www.ala.example/sitemap-store.xml"]) == newest_product
    assert list(sitemaps) == SECTIONS
    assert reverse("django.contrib.sitemaps.views.index") == "/sitemap.xml"
    assert reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": "store"}) == "/sitemap-store.xml"


def test_a_section_is_paginated_and_the_index_lists_each_page(client, db, monkeypatch):
    monkeypatch.setattr(ProductSitemap, "limit", 2)
    listed = ProductFactory.create_batch(5)
    hidden = ProductFactory(is_published=False)

    pages = [location for location, _ in index_entries(client) if "/sitemap-store.xml" in location]

    assert [path_of(location) for location in pages] == [
        "/sitemap-store.xml",
        "/sitemap-store.xml?p=2",
        "/sitemap-store.xml?p=3",
    ]
    entries = [section_entries(client, path_of(location)) for location in pages]
    assert [len(page) for page in entries] == [2, 2, 1]
    everything = [entry for page in entries for entry in page]
    assert paths_of(everything) == {product.get_absolute_url() for product in listed}
    assert hidden.get_absolute_url() not in paths_of(everything)
    updated = {product.get_absolute_url(): timezone.localdate(product.updated_at).isoformat() for product in listed}
    assert {path_of(location): lastmod for location, lastmod in everything} == updated
    for page in ("4", "0", "-1", "two", "1.5"):
        assert client.get(f"/sitemap-store.xml?p={page}").status_code == 404, page


def test_each_kind_lists_exactly_its_public_pages_at_their_addresses(client, db):
    products = [ProductFactory(), ProductFactory(is_published=False)]
    events = [EventFactory(), EventFactory(past=True), EventFactory(is_published=False)]
    articles = [ArticleFactory(), ArticleFactory(draft=True), ArticleFactory(scheduled=True)]
    jobs = [
        published_job(),
        JobPostingFactory(),  # a draft
        JobPostingFactory(expired=True),
        JobPostingFactory(run_over=True),
        published_job(application_deadline=timezone.localdate() - timedelta(days=1)),
        published_job(days_ago=-1),  # approved to appear tomorrow
    ]
    resumes = [BookResumeFactory(), BookResumeFactory(is_published=False)]

    listed = {name: paths_of(section_entries(client, f"/sitemap-{name}.xml")) for name in SECTIONS}

    assert listed["store"] == {products[0].get_absolute_url()}
    assert listed["events"] == {events[0].get_absolute_url(), events[1].get_absolute_url()}
    assert listed["news"] == {articles[0].get_absolute_url()}
    assert listed["jobs"] == {jobs[0].get_absolute_url()}
    assert listed["resumes"] == {resumes[0].get_absolute_url()}
    for path in set().union(*listed.values()):
        assert client.get(path).status_code == 200, path


def test_a_location_is_filled_into_one_reversed_path(db):
    assert url_format("joblist:detail", 2) == "/joblist/%s-%s/"
    assert url_format("store:product", 1) == "/store/%s/"
    assert url_format("store:product", 1) % "a-poster" == reverse("store:product", args=["a-poster"])


def test_the_urlset_is_what_djangos_template_writes(db, settings):
    """The section pages are written in Python for speed: the same XML as Django's template."""
    from django.template.loader import get_template

    from ala_site.sitemaps import UrlsetTemplate

    settings.TIME_ZONE = "America/Chicago"
    late_evening = datetime(2024, 3, 1, 4, 30, tzinfo=UTC)  # still the 29th of February in Chicago
    urlset = [
        {
            "location": "https://x.example/a?b=1&c='2'",
            "lastmod": late_evening,
            "changefreq": "weekly",
            "priority": "0.6",
            "alternates": [],
        },
        {
            "location": "https://x.example/<b>",
            "lastmod": late_evening.date(),
            "changefreq": None,
            "priority": "",
            "alternates": [{"location": "https://x.example/fr/", "lang_code": "fr"}],
        },
        {"location": "https://x.example/", "lastmod": None, "changefreq": "daily", "priority": "1.0", "alternates": []},
    ]

    ours = UrlsetTemplate().render({"urlset": urlset})
    djangos = get_template("sitemap.xml").render({"urlset": urlset})

    assert re.sub(r"\s+", "", ours) == re.sub(r"\s+", "", djangos)
    assert "<lastmod>2024-02-29</lastmod>" in ours


def test_the_sitemap_answers_get_and_head_only(client, db):
    ProductFactory()
    for path in ("/sitemap.xml", "/sitemap-store.xml"):
        get, head = client.get(path), client.head(path)
        assert get.status_code == head.status_code == 200, path
        assert get["Content-Type"].startswith("application/xml") and head.content == b"", path
        assert client.post(path).status_code == 405, path
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_a_sitemap_page_is_cached_until_the_content_changes(client, db, django_assert_num_queries):
    first = ProductFactory()
    before = client.get("/sitemap-store.xml").content

    with django_assert_num_queries(0):
        assert client.get("/sitemap-store.xml").content == before  # replayed from the page cache
    second = ProductFactory()

    assert paths_of(section_entries(client, "/sitemap-store.xml")) == {
        first.get_absolute_url(),
        second.get_absolute_url(),
    }


def test_a_cached_sitemap_follows_the_clock(client, db):
    """An article scheduled ahead appears, and an ad whose run ends leaves, when the clock says,
    though nothing was saved meanwhile and the pages would be kept for PAGE_CACHE_SECONDS."""
    now = timezone.now()
    scheduled = ArticleFactory(scheduled=True, publish_at=now + timedelta(minutes=2))
    ending = published_job()
    JobPosting.objects.filter(pk=ending.pk).update(expires_at=now + timedelta(minutes=1))
    assert paths_of(section_entries(client, "/sitemap-news.xml")) == set()
    assert paths_of(section_entries(client, "/sitemap-jobs.xml")) == {ending.get_absolute_url()}
    news_lastmod = [lastmod for location, lastmod in index_entries(client) if location.endswith("/sitemap-news.xml")]
    assert datetime.fromisoformat(news_lastmod[0]) < scheduled.publish_at

    with time_machine.travel(now + timedelta(seconds=150), tick=False):
        assert paths_of(section_entries(client, "/sitemap-news.xml")) == {scheduled.get_absolute_url()}
        assert paths_of(section_entries(client, "/sitemap-jobs.xml")) == set()
        entries = index_entries(client)

    news_lastmod = [lastmod for location, lastmod in entries if location.endswith("/sitemap-news.xml")]
    assert datetime.fromisoformat(news_lastmod[0]) == scheduled.publish_at


# At volume ------------------------------------------------------------------------------------


def add_products(count):
    """`count` published products (a multiple of 32), fast: a 32nd of them through bulk_create,
    then doubled five times inside the database (bulk_create alone took over 30 s for 100,000
    on SQLite, whose 999-parameter limit splits it into thousands of INSERTs)."""
    Product.objects.bulk_create(
        [
            Product(title=f"Poster {n}", slug=f"volume-{n}", short_description="A poster.", price=Decimal("18.00"))
            for n in range(count // 32)
        ]
    )
    quote = connection.ops.quote_name
    table = quote(Product._meta.db_table)
    columns = [field.column for field in Product._meta.concrete_fields if not field.primary_key]
    with connection.cursor() as cursor:
        for round_ in range(5):
            values = [f"{quote(column)} || '-{round_}'" if column == "slug" else quote(column) for column in columns]
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(map(quote, columns))}) "
                f"SELECT {', '.join(values)} FROM {table} WHERE {quote('slug')} LIKE 'volume-%%'"
            )
    assert Product.objects.published().filter(slug__startswith="volume-").count() == count
    page_cache.bump()  # written without signals, as a bulk update is


def queries_for(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), response


def test_at_100000_products_a_section_page_takes_the_same_few_queries(client, db):
    ProductFactory()
    client.get("/")  # the first request of all creates the site settings
    few_index, _ = queries_for(client, "/sitemap.xml")
    few_page, _ = queries_for(client, "/sitemap-store.xml")
    add_products(100_000)  # 100,001 with the first

    many_index, _ = queries_for(client, "/sitemap.xml")
    started = time.perf_counter()
    many_page, response = queries_for(client, "/sitemap-store.xml?p=20")
    took = time.perf_counter() - started

    store_pages = [path_of(location) for location, _ in index_entries(client) if "/sitemap-store.xml" in location]
    assert store_pages == ["/sitemap-store.xml"] + [f"/sitemap-store.xml?p={page}" for page in range(2, 22)]
    assert response.content.count(b"<url>") == 5000
    assert response.content.count(b"<lastmod>") == 5000
    assert client.get("/sitemap-store.xml?p=21").content.count(b"<url>") == 1
    assert client.get("/sitemap-store.xml?p=22").status_code == 404
    assert many_index == few_index
    assert many_page == few_page <= 3  # the count and the page's rows
    assert took < 5, f"a page of 5,000 entries took {took:.2f} s"  # about 0.1 s unloaded; 4-5 s was 10,000 rows
