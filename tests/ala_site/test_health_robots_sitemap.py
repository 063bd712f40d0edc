"""/healthz for the load balancer, /robots.txt and /sitemap.xml for crawlers."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import OperationalError
from django.utils import timezone

from ala_site.models import SiteSettings
from tests.sitemap_utils import index_entries, section_entries

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


def test_sitemap_is_an_index_whose_pages_section_lists_the_home_page(client):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    sections = [location for location, _ in index_entries(client)]
    assert f"{settings.SITE_URL}/sitemap-pages.xml" in sections
    page = client.get("/sitemap-pages.xml")
    assert page.status_code == 200
    assert page["Content-Type"].startswith("application/xml")
    # On SITE_URL, as the canonical links are, not the request's host.
    assert f"{settings.SITE_URL}/" in [location for location, _ in section_entries(client, "/sitemap-pages.xml")]


def test_security_txt_names_the_contact_and_when_it_expires(client, settings):
    settings.SECURITY_CONTACT = "mailto:security@ala.example"

    response = client.get("/.well-known/security.txt")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:security@ala.example"
    expires = datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert timedelta(days=300) < expires - timezone.now() <= timedelta(days=366)  # RFC 9116: under a year
    assert fields["Canonical"] == f"{settings.SITE_URL}/.well-known/security.txt"


def test_security_txt_falls_back_to_the_sites_email_and_is_absent_without_one(client, settings):
    settings.SECURITY_CONTACT = ""
    SiteSettings.objects.update_or_create(pk=SiteSettings.SINGLETON_PK, defaults={"email": "ala@ala.example"})
    assert "Contact: mailto:ala@ala.example" in client.get("/.well-known/security.txt").content.decode()

    SiteSettings.objects.filter(pk=SiteSettings.SINGLETON_PK).update(email="")
    cache.clear()
    assert client.get("/.well-known/security.txt").status_code == 404
