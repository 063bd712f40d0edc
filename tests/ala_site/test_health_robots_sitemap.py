"""/healthz for the load balancer, /robots.txt and /sitemap.xml for crawlers."""

from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.db import OperationalError

pytestmark = pytest.mark.django_db


class BrokenConnection:
    def cursor(self):
        raise OperationalError("could not connect to server")


class BrokenCache:
    def set(self, *args, **kwargs):
        raise ConnectionError("Connection refused")

    def get(self, *args, **kwargs):
        raise ConnectionError("Connection refused")


class ForgetfulCache:
    """A cache that accepts values and keeps none (like a full or misconfigured one)."""

    def set(self, *args, **kwargs):
        pass

    def get(self, *args, **kwargs):
        return None


def test_healthz_reports_database_and_cache_ok(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_is_503_when_the_database_fails(client, monkeypatch):
    monkeypatch.setattr("ala_site.views.connection", BrokenConnection())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error: OperationalError", "cache": "ok"}


def test_healthz_is_503_when_the_cache_fails(client, monkeypatch):
    monkeypatch.setattr("ala_site.views.cache", BrokenCache())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "cache": "error: ConnectionError"}


def test_healthz_is_503_when_the_cache_keeps_nothing(client, monkeypatch):
    monkeypatch.setattr("ala_site.views.cache", ForgetfulCache())

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "error: value not kept"


def test_healthz_answers_only_get(client):
    assert client.post("/healthz").status_code == 405


def test_robots_txt_keeps_crawlers_out_of_private_areas_and_names_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /accounts/" in lines
    assert "Disallow: /cookies/" in lines
    assert "Disallow: /" not in lines  # the public site stays crawlable
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines


def test_sitemap_lists_the_home_page(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [loc.text for loc in ElementTree.fromstring(response.content).findall("s:url/s:loc", namespace)]
    assert f"{settings.SITE_URL}/" in locations  # on SITE_URL, as the canonical links are, not the request's host
