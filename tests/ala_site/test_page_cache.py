"""The shared page cache (ala_site/page_cache.py) and the sections' one-round-trip reads."""

import gzip
import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ala_site import page_cache, sections
from ala_site.models import SiteSettings
from tests.ala_site.factories import AlertBannerFactory
from tests.factories import UserFactory
from tests.html_utils import form_fields

pytestmark = pytest.mark.django_db


def stored(url, **cookies):
    """Whether an anonymous visitor with these cookies would be served `url` from the cache."""
    request = RequestFactory().get(url)
    request.COOKIES.update(cookies)
    entry = cache.get(page_cache._key(request))
    return entry is not None and entry[0] == cache.get(page_cache.VERSION_KEY)


def queries_for(client, url, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, **extra)
    return response, len(captured)


def test_an_anonymous_visitor_is_served_the_stored_page_without_a_query(client):
    first, first_queries = queries_for(client, "/")
    again, again_queries = queries_for(Client(), "/")

    assert first.status_code == again.status_code == 200
    assert first_queries > 0
    assert again_queries == 0
    assert page_cache.TOKEN_PLACEHOLDER not in again.content
    assert "Cookie" in again["Vary"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert again["X-Frame-Options"] == "DENY"


def test_head_is_answered_from_the_stored_page(client):
    client.get("/")
    with CaptureQueriesContext(connection) as captured:
        response = Client().head("/")
    assert response.status_code == 200
    assert len(captured) == 0


def test_each_visitor_gets_their_own_csrf_token_and_it_is_accepted():
    Client().get("/")  # stores the page, the consent banner's form included
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")
    token = form_fields(page.content, "csrfmiddlewaretoken")[0]["value"]
    other = Client().get("/")

    assert "csrftoken" in page.cookies  # a first visit gets its CSRF cookie, as a rendered page gives it
    assert token != form_fields(other.content, "csrfmiddlewaretoken")[0]["value"]
    saved = visitor.post("/cookies/", {"choice": "reject", "next": "/", "csrfmiddlewaretoken": token})
    assert saved.status_code == 302
    assert "ala_consent" in saved.cookies


def test_a_stale_token_from_someone_else_is_refused():
    Client().get("/")
    token = form_fields(Client().get("/").content, "csrfmiddlewaretoken")[0]["value"]
    stranger = Client(enforce_csrf_checks=True)
    stranger.get("/")
    stranger.cookies["csrftoken"] = "x" * 32
    refused = stranger.post("/cookies/", {"choice": "reject", "next": "/", "csrfmiddlewaretoken": token})
    assert refused.status_code == 403


def test_the_consent_choice_has_its_own_page():
    Client().get("/")
    decided = Client()
    decided.post("/cookies/", {"choice": "reject", "next": "/"})
    decided.cookies.pop("messages", None)
    page = decided.get("/")
    assert "Cookies on this site" not in page.content.decode()
    assert "Cookies on this site" in Client().get("/").content.decode()


def test_analytics_consent_keeps_its_script_origin_in_the_policy(settings):
    settings.ANALYTICS_SCRIPT_URL = "https://stats.example.org/count.js"
    accepted = Client()
    accepted.post("/cookies/", {"choice": "accept_all", "next": "/"})
    accepted.cookies.pop("messages", None)
    first = accepted.get("/")
    again = accepted.get("/")
    assert "https://stats.example.org" in first["Content-Security-Policy"]
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "https://stats.example.org" not in Client().get("/")["Content-Security-Policy"]


def test_a_dismissed_alert_stays_dismissed_on_a_stored_page():
    banner = AlertBannerFactory(message="Libraries need you today")
    assert "Libraries need you today" in Client().get("/").content.decode()
    visitor = Client()
    visitor.post(f"/alerts/{banner.pk}/dismiss/", {"next": "/"})
    visitor.cookies.pop("messages", None)
    assert "Libraries need you today" not in visitor.get("/").content.decode()
    assert "Libraries need you today" in Client().get("/").content.decode()


def test_a_signed_in_member_is_never_served_nor_stored():
    member = UserFactory(first_name="Ada")
    signed_in = Client()
    signed_in.force_login(member)
    Client().get("/")
    mine = signed_in.get("/").content.decode()
    assert "Log out" in mine
    assert "Log out" not in Client().get("/").content.decode()


def test_a_member_gets_the_shared_landing_page_with_their_own_account_links():
    member = UserFactory()
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(member)
    Client().get("/")  # an anonymous visitor stores the page
    response, queries = queries_for(signed_in, "/")
    text = response.content.decode()

    assert queries <= 3  # the session, the user, their membership (the Join or Renew offer)
    assert "Log out" in text and "My account" in text and "Join" in text
    assert "Log in" not in text
    assert text.count("<h1") == 1
    token = form_fields(response.content, "csrfmiddlewaretoken")[0]["value"]
    assert signed_in.post("/accounts/logout/", {"csrfmiddlewaretoken": token}).status_code == 302
    assert "Log in" in signed_in.get("/").content.decode()


def test_a_gzip_replay_is_the_same_page_compressed():
    Client().get("/")
    plain = Client().get("/")
    zipped = Client().get("/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")

    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert len(zipped.content) < len(plain.content) / 2

    def tokenless(content):
        return re.sub(rb'name="csrfmiddlewaretoken" value="\w+"', b"", content)

    assert tokenless(gzip.decompress(zipped.content)) == tokenless(plain.content)


def test_a_message_is_shown_once_and_never_shared():
    visitor = Client()
    followed = visitor.post("/cookies/", {"choice": "reject", "next": "/"}, follow=True)
    assert "Your cookie choices are saved." in followed.content.decode()
    assert "Your cookie choices are saved." not in Client().get("/").content.decode()


def test_an_edit_shows_at_the_next_request():
    Client().get("/")
    site_settings = SiteSettings.current()
    site_settings.name = "American Library Association of Tomorrow"
    site_settings.save()
    assert "American Library Association of Tomorrow" in Client().get("/").content.decode()


def test_a_bulk_update_then_bump_shows_at_the_next_request():
    banner = AlertBannerFactory(message="Before the update")
    Client().get("/")
    type(banner).objects.filter(pk=banner.pk).update(message="After the update")
    assert "Before the update" in Client().get("/").content.decode()  # behind the ORM's signals
    sections.bump("alerts")  # what a bulk update does after it: the section and the pages
    page_cache.bump()
    assert "After the update" in Client().get("/").content.decode()


def test_a_banner_scheduled_to_end_is_gone_when_it_ends(monkeypatch):
    ends = timezone.now() + timedelta(seconds=30)
    AlertBannerFactory(message="Ends soon", ends_at=ends)
    timeouts = []
    real_set = cache.set

    def recording_set(key, value, timeout=None, **kwargs):
        if key.startswith("page:"):
            timeouts.append(timeout)
        return real_set(key, value, timeout, **kwargs)

    monkeypatch.setattr(page_cache.cache, "set", recording_set)
    Client().get("/")
    assert len(timeouts) == 1
    assert 0 < timeouts[0] <= 31


def test_pages_not_marked_shared_are_not_stored(client):
    client.get("/accounts/login/")
    assert not stored("/accounts/login/")
    client.get("/")
    assert stored("/")


def test_a_long_query_string_is_rendered_not_stored():
    url = "/?" + "a=" + "x" * (page_cache.MAX_QUERY_LENGTH + 1)
    assert Client().get(url).status_code == 200
    assert page_cache._key(RequestFactory().get(url)) is None


def test_a_private_row_keeps_the_pages():
    from advocacy.models import AlertSubscriber

    SiteSettings.current()  # created on first use, which renews the pages
    Client().get("/")
    assert stored("/")
    AlertSubscriber.objects.create(email="reader@example.org", name="Reader", zip_code="60601", state="IL")
    assert stored("/")
    SiteSettings.current().save()
    assert not stored("/")


def test_a_signed_in_page_reads_the_sections_in_a_few_round_trips():
    member = UserFactory()
    signed_in = Client()
    signed_in.force_login(member)
    signed_in.get("/store/")  # renders and stores every section of its chrome
    calls = []
    real_get, real_get_many = cache.get, cache.get_many
    inside_get_many = []  # the local-memory cache reads a get_many key by key; Redis in one round trip

    def counting_get(*args, **kwargs):
        if not inside_get_many:
            calls.append("get")
        return real_get(*args, **kwargs)

    def counting_get_many(*args, **kwargs):
        calls.append("get_many")
        inside_get_many.append(True)
        try:
            return real_get_many(*args, **kwargs)
        finally:
            inside_get_many.pop()

    cache.get, cache.get_many = counting_get, counting_get_many
    try:
        response = signed_in.get("/store/")
    finally:
        del cache.get, cache.get_many
    assert response.status_code == 200
    assert calls.count("get_many") == 2
    assert calls.count("get") <= 2  # the site settings, the session's user
