"""Cookie consent: the banner, the /cookies/ form, the signed cookie, and what it allows."""

from types import SimpleNamespace

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from ala_site import consent
from tests.html_utils import checked_values, form_fields, script_sources, visible_text

ANALYTICS = "https://stats.example.org/count.js"
ALL = "analytics,functional,marketing"

pytestmark = pytest.mark.django_db


@pytest.fixture
def analytics(db, settings):
    settings.ANALYTICS_SCRIPT_URL = ANALYTICS


def cookie_value(client):
    """What the ala_consent cookie in this browser says, read the way the site reads it."""
    request = RequestFactory().get("/")
    request.COOKIES["ala_consent"] = client.cookies["ala_consent"].value
    return request.get_signed_cookie("ala_consent", salt=consent.SALT)


def signed(value):
    """A correctly signed ala_consent cookie value saying `value`."""
    response = HttpResponse()
    response.set_signed_cookie("ala_consent", value, salt=consent.SALT)
    return response.cookies["ala_consent"].value


def has_banner(response):
    text = response.content.decode()
    return "Cookies on this site" in text and 'value="accept_all"' in text


def test_first_visit_shows_the_banner_with_three_choices(client):
    response = client.get("/")

    assert has_banner(response)
    text = visible_text(response.content)
    assert "Accept all" in text
    assert "Reject non-essential" in text
    assert "Cookie settings" in text
    buttons = {field["value"] for field in form_fields(response.content, "choice")}
    assert {"accept_all", "reject"} <= buttons
    assert "ala_consent" not in response.cookies


def test_first_visit_sets_no_non_essential_cookie(client, analytics):
    response = client.get("/")

    assert set(response.cookies) <= {"csrftoken"}
    assert ANALYTICS not in script_sources(response.content)


def test_accept_all_sets_the_signed_cookie_and_returns_to_the_page(client):
    response = client.post("/cookies/", {"choice": "accept_all", "next": "/?from=banner"})

    assert response.status_code == 302
    assert response["Location"] == "/?from=banner"
    morsel = response.cookies["ala_consent"]
    assert morsel["httponly"]
    assert morsel["samesite"] == "Lax"
    assert int(morsel["max-age"]) == consent.MAX_AGE
    assert cookie_value(client) == f"1:{ALL}"

    assert not has_banner(client.get("/"))


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/", "https:/evil.example", "javascript:alert(1)", " https://evil.example"],
)
def test_external_next_is_ignored(client, next_url):
    response = client.post("/cookies/", {"choice": "accept_all", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == "/cookies/"


def test_cookie_settings_link_carries_no_external_next(client):
    response = client.get("/cookies/", {"next": "https://evil.example/"})

    assert response.status_code == 200
    assert [field.get("value", "") for field in form_fields(response.content, "next")] == [""]


def test_reject_records_no_categories_and_never_renders_analytics(client, analytics):
    response = client.post("/cookies/", {"choice": "reject", "next": "/"})

    assert response.status_code == 302
    assert cookie_value(client) == "1:"
    page = client.get("/")
    assert not has_banner(page)
    assert ANALYTICS not in page.content.decode()
    assert "stats.example.org" not in page["Content-Security-Policy"]


def test_analytics_script_renders_only_after_analytics_consent(client, analytics):
    before = client.get("/")
    assert ANALYTICS not in script_sources(before.content)
    assert "stats.example.org" not in before["Content-Security-Policy"]

    client.post("/cookies/", {"choice": "save", "categories": ["analytics"]})
    after = client.get("/")

    assert ANALYTICS in script_sources(after.content)
    script_src = next(part for part in after["Content-Security-Policy"].split(";") if "script-src" in part)
    assert "https://stats.example.org" in script_src.split()


def test_functional_only_consent_does_not_load_analytics(client, analytics):
    client.post("/cookies/", {"choice": "save", "categories": ["functional"]})

    page = client.get("/")

    assert cookie_value(client) == "1:functional"
    assert not has_banner(page)
    assert ANALYTICS not in page.content.decode()


@pytest.mark.parametrize(
    "raw",
    [
        "garbage",
        "",
        "1:analytics",  # unsigned
        "\u00e9\u00e8:::",
        "x" * 4000,
    ],
    ids=["garbage", "empty", "unsigned", "non-ascii", "long"],
)
def test_unreadable_consent_cookie_shows_a_normal_page_with_banner(client, analytics, raw):
    client.cookies["ala_consent"] = raw

    response = client.get("/")

    assert response.status_code == 200
    assert has_banner(response)
    assert ANALYTICS not in response.content.decode()


def test_tampered_consent_cookie_shows_the_banner(client, analytics):
    client.post("/cookies/", {"choice": "reject"})
    value = client.cookies["ala_consent"].value
    # Change what the cookie says while keeping the old signature.
    client.cookies["ala_consent"] = value.replace("1:", f"1:{ALL}", 1)

    response = client.get("/")

    assert response.status_code == 200
    assert has_banner(response)
    assert ANALYTICS not in response.content.decode()


@pytest.mark.parametrize("value", ["not-a-version:analytics", "1.5:analytics", ":"])
def test_signed_cookie_with_a_malformed_value_shows_the_banner(client, value):
    client.cookies["ala_consent"] = signed(value)

    response = client.get("/")

    assert response.status_code == 200
    assert has_banner(response)


def test_signed_cookie_ignores_unknown_categories(client, analytics):
    client.cookies["ala_consent"] = signed("1:tracking,functional")

    response = client.get("/cookies/")

    assert checked_values(response.content, "categories") == {"functional"}
    assert ANALYTICS not in response.content.decode()


def test_cookie_of_an_older_policy_version_asks_again(client, analytics, settings):
    client.post("/cookies/", {"choice": "accept_all"})
    assert ANALYTICS in script_sources(client.get("/").content)

    settings.COOKIE_CONSENT_VERSION = 2
    response = client.get("/")

    assert has_banner(response)
    assert ANALYTICS not in response.content.decode()

    client.post("/cookies/", {"choice": "reject"})
    assert cookie_value(client) == "2:"
    assert not has_banner(client.get("/"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose one of the buttons."),
        ({"choice": "yes-please"}, "Choose one of the buttons."),
        ({"choice": "x" * 100_000}, "Choose one of the buttons."),
        ({"choice": "save", "categories": ["tracking"]}, "is not a cookie category."),
        ({"choice": "save", "categories": ["analytics", "y" * 100_000]}, "is not a cookie category."),
    ],
    ids=["no-choice", "bad-choice", "huge-choice", "bad-category", "huge-category"],
)
def test_garbage_posts_get_400_with_a_message(client, data, message):
    response = client.post("/cookies/", data)

    assert response.status_code == 400
    assert "There is a problem" in visible_text(response.content)  # the error summary (issue 8)
    assert message in visible_text(response.content)
    assert "ala_consent" not in response.cookies


@pytest.mark.parametrize(
    ("next_url", "destination"),
    [
        ("/store/?sort=price&q=" + "poster" * 100, "/store/"),  # long query: back to the page's path
        ("/" + "n" * 10_000, "/cookies/"),  # even the path is too long: the settings page
    ],
)
def test_banner_buttons_on_a_page_with_a_very_long_address_still_save_the_choice(client, next_url, destination):
    page = client.get(next_url)
    assert form_fields(page.content, "next")[0]["value"] == next_url  # the banner posts the full address

    response = client.post("/cookies/", {"choice": "accept_all", "next": next_url})

    assert response.status_code == 302
    assert response["Location"] == destination
    assert cookie_value(client) == f"1:{ALL}"


def test_cookie_settings_link_from_a_page_with_a_very_long_address_comes_back_to_its_path(client):
    response = client.get("/cookies/", {"next": "/store/?q=" + "x" * 2000})

    assert response.status_code == 200
    assert form_fields(response.content, "next")[0]["value"] == "/store/"


def test_post_that_is_not_a_form_gets_400_not_500(client):
    response = client.post("/cookies/", data=b"\xff\xfe\x00garbage", content_type="application/octet-stream")

    assert response.status_code == 400
    assert "Choose one of the buttons." in visible_text(response.content)


def test_post_with_too_many_fields_gets_400_not_500(client):
    response = client.post("/cookies/", {f"field{n}": "x" for n in range(2000)})

    assert response.status_code == 400
    assert "We could not understand that request" in visible_text(response.content)


def test_cookies_page_lists_every_category_with_necessary_always_on(client):
    response = client.get("/cookies/")

    assert response.status_code == 200
    text = visible_text(response.content)
    for label in ("Strictly necessary", "Analytics", "Functional", "Marketing"):
        assert label in text
    necessary = next(field for field in form_fields(response.content) if field.get("id") == "category-necessary")
    assert "checked" in necessary
    assert "disabled" in necessary
    assert {field["value"] for field in form_fields(response.content, "categories")} == {
        "analytics",
        "functional",
        "marketing",
    }
    assert checked_values(response.content, "categories") == set()
    assert not has_banner(response)  # the page itself is the choice


def test_cookies_form_saves_choices_and_shows_them_next_time(client):
    response = client.post("/cookies/", {"choice": "save", "categories": ["analytics", "marketing"]}, follow=True)

    assert response.redirect_chain == [("/cookies/", 302)]
    assert "Your cookie choices are saved." in visible_text(response.content)
    assert checked_values(response.content, "categories") == {"analytics", "marketing"}
    assert cookie_value(client) == "1:analytics,marketing"

    client.post("/cookies/", {"choice": "save", "categories": []})
    assert checked_values(client.get("/cookies/").content, "categories") == set()


def test_accept_all_ticks_every_category_on_the_settings_page(client):
    client.post("/cookies/", {"choice": "accept_all"})

    assert checked_values(client.get("/cookies/").content, "categories") == {"analytics", "functional", "marketing"}


def test_cookies_page_only_allows_get_and_post(client):
    assert client.put("/cookies/").status_code == 405


def test_rate_limit_answers_429_after_many_posts(client, monkeypatch):
    # Keep every request in one rate-limit window, whatever the wall clock does.
    monkeypatch.setattr("ala_site.ratelimit.time", SimpleNamespace(time=lambda: 1_700_000_000.0))

    statuses = [client.post("/cookies/", {"choice": "reject"}).status_code for _ in range(30)]
    assert statuses == [302] * 30

    response = client.post("/cookies/", {"choice": "reject"})
    assert response.status_code == 429
    assert "Please slow down" in visible_text(response.content)

    # Reading the page is not limited, and other visitors are not affected.
    assert client.get("/cookies/").status_code == 200
    assert client.post("/cookies/", {"choice": "reject"}, REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_rate_limit_cannot_be_escaped_by_a_made_up_forwarded_header(client, monkeypatch, settings, behind_proxy):
    settings.TRUST_X_FORWARDED_FOR = behind_proxy
    monkeypatch.setattr("ala_site.ratelimit.time", SimpleNamespace(time=lambda: 1_700_000_000.0))

    statuses = [
        client.post("/cookies/", {"choice": "reject"}, HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 127.0.0.1").status_code
        for n in range(31)
    ]

    assert statuses[-1] == 429
