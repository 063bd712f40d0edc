"""Dismissing an alert banner: remembered in a cookie until the banner is edited, with or without JavaScript."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.html_utils import form_fields, visible_text

from .factories import AlertBannerFactory

pytestmark = pytest.mark.django_db

COOKIE = "ala_alerts_dismissed"


def dismiss_form(page, banner):
    """The action and the hidden fields of the ✕ form of `banner` on the page."""
    html = page.decode() if isinstance(page, bytes) else page
    match = re.search(rf'<form[^>]+action="(/alerts/{banner.pk}/dismiss/)"[^>]*>(.*?)</form>', html, re.S)
    assert match, f"no dismiss form for banner {banner.pk}"
    fields = {field["name"]: field.get("value", "") for field in form_fields(match.group(2)) if field.get("name")}
    return match.group(1), fields


def dismiss(client, banner, page_path="/", **extra):
    """Press ✕ on `banner` as shown on `page_path`, the way the form does without JavaScript."""
    action, fields = dismiss_form(client.get(page_path).content, banner)
    return client.post(action, fields, **extra)


def test_the_dismiss_button_is_a_post_form_that_works_without_javascript(client):
    banner = AlertBannerFactory(message="Vote today")
    page = client.get("/store/").content

    action, fields = dismiss_form(page, banner)
    assert fields["next"] == "/store/"
    assert "csrfmiddlewaretoken" in fields
    button = [field for field in form_fields(page) if field.get("aria-label") == "Dismiss this alert"]
    assert button and button[0]["type"] == "submit"


def test_dismissing_redirects_back_and_the_banner_stays_away_on_every_page(client):
    banner = AlertBannerFactory(message="Vote today")

    response = dismiss(client, banner, "/store/?page=2")

    assert response.status_code == 302
    # Back where the visitor was, with the keyboard's place just after the banners.
    assert response["Location"] == "/store/?page=2#site-alerts"
    for path in ["/", "/store/", "/cookies/"]:
        assert "Vote today" not in visible_text(client.get(path).content)
    assert "Vote today" in visible_text(Client().get("/").content)  # other visitors still see it


def test_the_cookie_holds_the_banner_id_and_its_version_and_is_strictly_necessary(client):
    banner = AlertBannerFactory()

    response = dismiss(client, banner)

    cookie = response.cookies[COOKIE]
    version = (banner.updated_at - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
    assert cookie.value == f"{banner.pk}:{version}"
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) > 0


def test_an_edited_banner_shows_again(client):
    banner = AlertBannerFactory(message="Vote today")
    dismiss(client, banner)
    assert "Vote today" not in visible_text(client.get("/").content)

    banner.message = "Vote today: polls close at 8 pm"
    banner.save()

    assert "Vote today: polls close at 8 pm" in visible_text(client.get("/").content)


def test_dismissing_a_version_already_replaced_keeps_the_new_one_showing(client):
    banner = AlertBannerFactory(message="Vote today")
    action, fields = dismiss_form(client.get("/").content, banner)
    banner.message = "Polls moved to the library"
    banner.save()  # edited while the visitor read the old text

    client.post(action, fields)

    assert "Polls moved to the library" in visible_text(client.get("/").content)


def test_dismissing_one_banner_keeps_the_others_and_sends_the_keyboard_to_the_next_one(client):
    first = AlertBannerFactory(message="Vote today", starts_at=timezone.now() - timedelta(minutes=1))
    second = AlertBannerFactory(message="Closed on Monday", starts_at=timezone.now() - timedelta(minutes=2))

    response = dismiss(client, first)
    assert response["Location"] == f"/#alert-{second.pk}"
    page = visible_text(client.get("/").content)
    assert "Vote today" not in page
    assert "Closed on Monday" in page

    response = dismiss(client, second)
    assert response["Location"] == "/#site-alerts"
    assert "Closed on Monday" not in visible_text(client.get("/").content)
    assert client.cookies[COOKIE].value.count(":") == 2


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "https:/evil.example", " //evil.example", ""],
)
def test_an_unsafe_or_missing_next_goes_home(client, next_url):
    banner = AlertBannerFactory()
    action, fields = dismiss_form(client.get("/").content, banner)

    response = client.post(action, {**fields, "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/#site-alerts"


def test_a_very_long_next_keeps_its_path():
    banner = AlertBannerFactory()
    client = Client()
    action, fields = dismiss_form(client.get("/").content, banner)

    response = client.post(action, {**fields, "next": "/store/?q=" + "x" * 2000})

    assert response["Location"] == "/store/#site-alerts"


def test_without_the_csrf_token_nothing_is_stored():
    banner = AlertBannerFactory(message="Vote today")
    client = Client(enforce_csrf_checks=True)
    action, fields = dismiss_form(client.get("/").content, banner)

    forged = client.post(action, {key: value for key, value in fields.items() if key != "csrfmiddlewaretoken"})

    assert forged.status_code == 403
    assert COOKIE not in forged.cookies
    assert "Vote today" in visible_text(client.get("/").content)
    assert client.post(action, fields).status_code == 302  # the page's own form passes the check


def test_the_cached_banner_section_gives_each_visitor_their_own_csrf_token():
    AlertBannerFactory()
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first_token = form_fields(first.get("/").content, "csrfmiddlewaretoken")[0]["value"]
    second_token = form_fields(second.get("/").content, "csrfmiddlewaretoken")[0]["value"]

    assert first_token != second_token
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value


def test_dismissing_is_rate_limited(client):
    banner = AlertBannerFactory()
    action, fields = dismiss_form(client.get("/").content, banner)

    statuses = [client.post(action, fields).status_code for _ in range(31)]

    assert statuses[:30] == [302] * 30
    assert statuses[30] == 429


def test_only_post_is_accepted(client):
    banner = AlertBannerFactory()

    assert client.get(f"/alerts/{banner.pk}/dismiss/").status_code == 405
    assert COOKIE not in client.cookies


def test_an_unknown_banner_redirects_without_storing_anything(client):
    AlertBannerFactory()
    response = client.post("/alerts/999999/dismiss/", {"version": "1", "next": "/store/"})

    assert response.status_code == 302
    assert response["Location"] == "/store/#site-alerts"
    assert COOKIE not in response.cookies


def test_javascript_gets_an_empty_answer_and_the_same_cookie(client):
    banner = AlertBannerFactory(message="Vote today")
    action, fields = dismiss_form(client.get("/").content, banner)

    response = client.post(action, fields, headers={"Accept": "application/json"})

    assert response.status_code == 204
    assert response.cookies[COOKIE].value.startswith(f"{banner.pk}:")
    assert "Vote today" not in visible_text(client.get("/").content)


@pytest.mark.parametrize("value", ["garbage", "1:2:3", "::", "a:b.c:d", "1:" + "9" * 400, "%ff"])
def test_an_unreadable_cookie_shows_every_banner(client, value):
    AlertBannerFactory(message="Vote today")
    client.cookies[COOKIE] = value

    response = client.get("/")

    assert response.status_code == 200
    assert "Vote today" in visible_text(response.content)


def test_the_cookie_keeps_only_the_latest_dismissals(client):
    banners = AlertBannerFactory.create_batch(25)

    for banner in banners:
        dismiss(client, banner)

    entries = client.cookies[COOKIE].value.split(".")
    assert len(entries) == 20
    assert entries[-1].startswith(f"{banners[-1].pk}:")
    assert len(client.cookies[COOKIE].value) < 1000


def test_a_visitor_who_dismissed_a_banner_costs_no_extra_queries_once_cached(client):
    banner = AlertBannerFactory(message="Vote today")
    dismiss(client, banner)
    client.get("/")  # warm the cache

    with CaptureQueriesContext(connection) as with_cookie:
        client.get("/")
    with CaptureQueriesContext(connection) as without_cookie:
        Client().get("/")

    assert not [query for query in with_cookie.captured_queries if "alertbanner" in query["sql"]]
    assert len(with_cookie) <= len(without_cookie)
