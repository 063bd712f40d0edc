"""Every public page carries what search engines and link previews read (issue 14, item 2).

A title, a meta description, a canonical URL and Open Graph tags, on every HTML page listed in
tests/ala_site/test_smoke.py and every page the sitemap lists; the sitemap gives each page's
`lastmod`, and robots.txt points to it.
"""

from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from ala_site import page_cache
from tests.ala_site.test_smoke import PUBLIC_PAGES
from tests.sitemap_utils import index_entries, path_of, section_entries, sitemap_entries

# Forms and pages of one's own are not for search engines, but they still carry the tags;
# these answer with something other than an HTML page of their own.
NOT_HTML = ("/robots.txt", "/sitemap.xml", "/healthz")


class HeadParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title = None
        self.meta = {}  # name or property -> content
        self.canonical = None
        self._in_title = False
        self._title_parts = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "title":
            self._in_title = True
        elif tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs.get("property")] = attrs.get("content")
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")

    def handle_endtag(self, tag):
        if tag == "title" and self._in_title:
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split())

    def handle_data(self, data):
        if self._in_title:
            self._title_parts.append(data)


def head_of(html):
    parser = HeadParser()
    parser.feed(html)
    return parser


@pytest.fixture
def demo_content(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def sitemap_urls(client):
    """Every <url> of the sitemap (following the index through its sections), as (path, lastmod)."""
    return [(path_of(location), lastmod) for location, lastmod in sitemap_entries(client)]


def metadata_problems(client, path):
    response = client.get(path)
    if response.status_code != 200:
        return [f"{path} answered {response.status_code}"]
    if not response["Content-Type"].startswith("text/html"):
        return []
    head = head_of(response.content.decode())
    problems = []
    if not head.title:
        problems.append(f"{path}: no <title>")
    description = (head.meta.get("description") or "").strip()
    if not description or len(description) > 320:
        problems.append(f"{path}: meta description {description!r}")
    if not (head.canonical or "").startswith(settings.SITE_URL + "/"):
        problems.append(f"{path}: canonical {head.canonical!r}")
    for tag in ("og:title", "og:url", "og:type", "og:site_name"):
        if not (head.meta.get(tag) or "").strip():
            problems.append(f"{path}: no {tag}")
    if not (head.meta.get("og:url") or "").startswith(settings.SITE_URL + "/"):
        problems.append(f"{path}: og:url {head.meta.get('og:url')!r}")
    return problems


def test_every_public_page_has_a_title_description_canonical_and_open_graph(client, demo_content):
    problems = [problem for path in PUBLIC_PAGES for problem in metadata_problems(client, path)]

    assert not problems


def test_every_page_in_the_sitemap_has_them_too(client, demo_content):
    paths = [path for path, _lastmod in sitemap_urls(client)]

    assert len(paths) > 20
    problems = [problem for path in paths for problem in metadata_problems(client, path)]
    assert not problems


def test_a_pages_canonical_url_leaves_out_the_query_and_names_the_page(client, demo_content):
    for path, canonical_path in [
        ("/?utm_source=x", "/"),
        ("/store/?page=1", "/store/"),
        ("/search/?q=library", "/search/"),
    ]:
        head = head_of(client.get(path).content.decode())
        assert head.canonical == settings.SITE_URL + canonical_path, path


def test_the_sitemap_lists_the_searchable_kinds_and_no_search_results(client, demo_content):
    locations = [path for path, _lastmod in sitemap_urls(client)]

    for path in ("/", "/store/", "/events/how-it-feels-to-be-me/", "/censorship/resumes/gender-queer/"):
        assert path in locations
    assert not [path for path in locations if path.startswith("/search/")]


# Public pages that are not for search engines, so not in the sitemap: someone's own steps
# (a cart, a confirmation after a form), the search's results (noindex), robots.txt's Disallow.
NOT_FOR_SEARCH_ENGINES = {
    "/store/cart/",
    "/advocacy/alerts/check-your-email/",
    "/advocacy/stories/thanks/",
    "/search/",
}


def indexable_public_pages(client):
    """The smoke list's HTML pages (without filters) that search engines may index."""
    disallowed = [
        line.split(":", 1)[1].strip()
        for line in client.get("/robots.txt").content.decode().splitlines()
        if line.startswith("Disallow:")
    ]
    return [
        path
        for path in dict.fromkeys(path.split("?")[0] for path in PUBLIC_PAGES)
        if path not in NOT_FOR_SEARCH_ENGINES and not any(path.startswith(prefix) for prefix in disallowed)
    ]


def test_every_public_page_for_search_engines_is_in_the_sitemap(client, demo_content):
    listed = {path for path, _lastmod in sitemap_urls(client)}
    pages = indexable_public_pages(client)

    assert len(pages) > 15
    assert [path for path in pages if path not in listed] == []


def test_every_searchable_row_is_in_the_sitemap(client, demo_content):
    """Whatever the search can find has its page in the sitemap, with a lastmod."""
    from ala_site.search import kinds

    entries = dict(sitemap_urls(client))
    missing = {}
    for kind in kinds():
        urls = [kind.url(row) for row in kind.queryset()]
        assert urls, kind.key
        missing[kind.key] = [url for url in urls if not entries.get(url)]

    assert missing == dict.fromkeys(missing, [])


def test_every_sitemap_entry_has_a_lastmod(client, demo_content):
    sections = index_entries(client)
    without = {}
    for location, lastmod in sections:
        entries = section_entries(client, path_of(location))
        assert entries, f"{location} lists no page"
        missing = [entry for entry, entry_lastmod in entries if entry_lastmod is None]
        if missing or lastmod is None:
            without[location] = missing

    assert len(sections) >= 10
    assert not without


def test_the_sitemap_names_pages_on_site_url_whatever_address_it_was_fetched_at(client, demo_content, settings):
    settings.SITE_URL = "https://www.ala.example"

    sections = [location for location, _ in index_entries(client)]
    locations = [entry for section in sections for entry, _ in section_entries(client, path_of(section))]

    assert len(locations) > 20
    assert [loc for loc in sections if not loc.startswith("https://www.ala.example/sitemap-")] == []
    assert [loc for loc in locations if not loc.startswith("https://www.ala.example/")] == []
    head = head_of(client.get(path_of(locations[0])).content.decode())
    assert head.canonical == locations[0]


def test_the_sitemap_takes_no_more_queries_for_more_content(client, demo_content, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as demo_volume:
        sitemap_entries(client)  # the index and every section
    call_command("seed_demo", volume=10, verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115

    with django_assert_max_num_queries(len(demo_volume)):
        assert len(sitemap_entries(client)) > 20


def test_the_fixed_pages_lastmod_follows_their_content(client, demo_content):
    from store.models import Product

    product = Product.objects.published().first()
    product.title = f"{product.title} (new edition)"
    product.save()

    entries = dict(sitemap_urls(client))

    assert entries["/store/"][:10] == timezone.localdate(product.updated_at).isoformat()


def on(day):
    return datetime(2021, 3, day, 12, tzinfo=UTC)


def on_the_board_since(moment):
    """Every published job ad on the board since `moment`, untouched since, for a month more."""
    from joblist.models import JobPosting

    JobPosting.objects.exclude(published_at=None).update(
        updated_at=moment,
        published_at=moment,
        expires_at=timezone.now() + timedelta(days=30),
        application_deadline=None,
    )


def test_the_apps_fixed_pages_lastmod_follows_what_they_show(client, demo_content):
    from advocacy.models import CampaignAction, Story
    from ala_site.models import SiteSettings
    from censorship.models import BookResume, CensorshipYear, ChallengedBook, ChallengeReport
    from joblist.models import JobPosting

    long_ago = datetime(2020, 1, 1, 12, tzinfo=UTC)
    for model in (SiteSettings, CampaignAction, CensorshipYear, ChallengedBook, BookResume):
        model.objects.update(updated_at=long_ago)
    Story.objects.update(moderated_at=long_ago)
    ChallengeReport.objects.update(created_at=long_ago)
    on_the_board_since(long_ago)
    fixed_pages = ["/advocacy/", "/advocacy/alerts/", "/advocacy/stories/", "/advocacy/stories/new/"]
    fixed_pages += ["/censorship/", "/censorship/data/", "/censorship/resumes/", "/joblist/"]
    assert {path: dict(sitemap_urls(client))[path] for path in fixed_pages} == dict.fromkeys(fixed_pages, "2020-01-01")

    CampaignAction.objects.filter(pk=CampaignAction.objects.first().pk).update(updated_at=on(2))
    Story.objects.filter(pk=Story.objects.public().first().pk).update(moderated_at=on(3))  # e.g. taken down
    ChallengedBook.objects.filter(pk=ChallengedBook.objects.first().pk).update(updated_at=on(4))
    BookResume.objects.filter(pk=BookResume.objects.first().pk).update(updated_at=on(5))
    ChallengeReport.objects.filter(pk=ChallengeReport.objects.consented().first().pk).update(created_at=on(6))
    JobPosting.objects.filter(pk=JobPosting.objects.visible().first().pk).update(expires_at=on(7))  # its run ended
    SiteSettings.objects.update(updated_at=on(8))
    page_cache.bump()  # as after any bulk update: the cached sitemap pages are out of date
    entries = dict(sitemap_urls(client))

    assert {path: entries[path] for path in fixed_pages} == {
        "/advocacy/": "2021-03-02",
        "/advocacy/alerts/": "2021-03-08",
        "/advocacy/stories/": "2021-03-03",
        "/advocacy/stories/new/": "2021-03-08",
        "/censorship/": "2021-03-05",
        "/censorship/data/": "2021-03-06",
        "/censorship/resumes/": "2021-03-05",
        "/joblist/": "2021-03-07",
    }


def test_the_boards_lastmod_is_the_day_after_an_application_deadline_passed(client, demo_content):
    from joblist.models import JobPosting

    on_the_board_since(datetime(2020, 1, 1, 12, tzinfo=UTC))
    JobPosting.objects.filter(pk=JobPosting.objects.visible().first().pk).update(application_deadline=date(2021, 3, 9))

    assert dict(sitemap_urls(client))["/joblist/"] == "2021-03-10"


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode().splitlines()
