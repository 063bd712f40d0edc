"""Read the sitemap the way a crawler does: /sitemap.xml is an index, each of its entries a page
of one section (/sitemap-store.xml, /sitemap-store.xml?p=2...) listing the pages themselves."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def path_of(location):
    """The path (and query) of an absolute location, to fetch it with the test client."""
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def index_entries(client):
    """The index's entries, as (location, lastmod) of each section page."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    return [(entry.findtext("s:loc", None, NS), entry.findtext("s:lastmod", None, NS)) for entry in root]


def section_entries(client, path):
    """The <url> entries of one section page, as (location, lastmod)."""
    response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    root = ElementTree.fromstring(response.content)
    return [(url.findtext("s:loc", None, NS), url.findtext("s:lastmod", None, NS)) for url in root]


def sitemap_entries(client):
    """Every <url> of the sitemap, following the index through every section page."""
    return [entry for location, _ in index_entries(client) for entry in section_entries(client, path_of(location))]


def sitemap_locations(client):
    return [location for location, _ in sitemap_entries(client)]


def sitemap_paths(client):
    return [path_of(location) for location in sitemap_locations(client)]
