"""Every public page carries what search engines and link previews read (issue 14, item 2).

A title, a meta description, a canonical URL and Open Graph tags, on every HTML page listed in
tests/ala_site/test_smoke.py and every page the sitemap lists; the sitemap gives each page's
`lastmod`, and robots.txt points to it.
"""

from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from tests.ala_site.test_smoke import PUBLIC_PAGES

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
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


def path_of(location):
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def sitemap_urls(client):
    """Every <url> of the sitemap (following an index's sections), as (path, lastmod)."""
    found = []
    pending = ["/sitemap.xml"]
    while pending:
        response = client.get(pending.pop())
        assert response.status_code == 200
        root = ElementTree.fromstring(response.content)
        for section in root.findall("s:sitemap/s:loc", SITEMAP_NS):
            pending.append(
                urlsplit(section.text).path
                + ("?" + urlsplit(section.text).query if urlsplit(section.text).query else "")
            )
        for url in root.findall("s:url", SITEMAP_NS):
            lastmod = url.find("s:lastmod", SITEMAP_NS)
            found.append((path_of(url.find("s:loc", SITEMAP_NS).text), None if lastmod is None else lastmod.text))
    return found


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


# Sections of the sitemap whose pages have no `lastmod` yet (fixed pages listed by URL name in
# the owning apps' sitemaps.py): their owners add it, and then this set shrinks.
SECTIONS_WITHOUT_LASTMOD = {"stories", "censorship", "advocacy", "joblist"}


def test_every_sitemap_entry_has_a_lastmod(client, demo_content):
    from django.contrib.sitemaps.views import sitemap

    from ala_site.urls import sitemaps

    request = client.get("/robots.txt").wsgi_request
    without = {}
    for name, section in sitemaps.items():
        response = sitemap(request, {name: section})
        response.render()
        urls = ElementTree.fromstring(response.content).findall("s:url", SITEMAP_NS)
        assert urls, f"the {name} section lists no page"
        missing = [url.find("s:loc", SITEMAP_NS).text for url in urls if url.find("s:lastmod", SITEMAP_NS) is None]
        if missing:
            without[name] = missing

    assert set(without) == SECTIONS_WITHOUT_LASTMOD, without


def test_the_fixed_pages_lastmod_follows_their_content(client, demo_content):
    from store.models import Product

    product = Product.objects.published().first()
    product.title = f"{product.title} (new edition)"
    product.save()

    entries = dict(sitemap_urls(client))

    assert entries["/store/"][:10] == timezone.localdate(product.updated_at).isoformat()


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in response.content.decode().splitlines()
