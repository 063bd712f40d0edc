"""Site-wide smoke test: every public page answers, in the site's look, with one <h1>.

Apps add their public pages to PUBLIC_URLS (and to AUTHENTICATED_URLS for pages
behind a login) as they are built.
"""

import pytest
from django.core.management import call_command
from django.views.defaults import server_error

from tests.factories import UserFactory
from tests.html_utils import h1_count
from tests.sitemap_utils import path_of, sitemap_locations

# Every public page of the site. HTML pages must have exactly one <h1>.
PUBLIC_URLS = [
    "/",
    "/cookies/",
    "/accounts/login/",
    "/accounts/password_reset/",
    "/accounts/password_reset/done/",
    "/accounts/reset/done/",
    "/robots.txt",
    "/.well-known/security.txt",
    "/sitemap.xml",
    "/healthz",
    "/membership/",
    "/membership/join/",
    "/donate/",
    "/store/",
    "/store/read-your-way-poster/",
    "/store/cart/",
    "/events/",
    "/events/past/",
    "/events/how-it-feels-to-be-me/",
    "/events/calendar.ics",
    "/events/how-it-feels-to-be-me/ics/",
    "/advocacy/",
    "/advocacy/alerts/",
    "/advocacy/alerts/check-your-email/",
    "/advocacy/stories/",
    "/advocacy/stories/new/",
    "/advocacy/stories/thanks/",
    "/news/",
    "/news/?kind=press_release",
    "/news/aging-together-evaluation/",
    "/news/feed/",
    "/censorship/",
    "/censorship/data/",
    "/censorship/data.csv",
    "/censorship/most-challenged.csv",
    "/censorship/resumes/",
    "/censorship/resumes/?q=hopkins&age=teens&format=verse",
    "/censorship/resumes/gender-queer/",
    "/censorship/report/",
    "/joblist/",
    "/joblist/?q=librarian&state=MO&order=salary",
    "/joblist/1-education-librarian/",
    "/joblist/feed/",
    "/search/",
    "/search/?q=library",
]

# The HTML pages among them, for the accessibility sweep in tests/browser/.
PUBLIC_PAGES = [
    url
    for url in PUBLIC_URLS
    if url not in ("/robots.txt", "/.well-known/security.txt", "/sitemap.xml", "/healthz")
    and not url.endswith((".ics", "/ics/", "/feed/", ".csv"))
]

# Pages for a logged-in visitor.
AUTHENTICATED_URLS = [
    "/accounts/password_change/",
    "/accounts/password_change/done/",
    "/membership/account/",
    "/joblist/post/",
    "/joblist/my-ads/",
    "/joblist/alerts/",
]


@pytest.fixture
def demo_content(db):
    call_command("seed_demo", verbosity=0, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _is_html(response):
    return response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_page_answers(client, demo_content, url):
    response = client.get(url)

    assert response.status_code == 200, f"{url} answered {response.status_code}"
    if _is_html(response):
        assert h1_count(response.content) == 1, f"{url} should have exactly one <h1>"
        # Every page is in the site's look: the footer carries the association's address.
        assert "225 N Michigan Ave., Ste 1300" in response.content.decode()


@pytest.mark.parametrize("url", AUTHENTICATED_URLS)
def test_authenticated_page_answers(client, demo_content, url):
    client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert h1_count(response.content) == 1
    assert "Log out" in response.content.decode()


@pytest.mark.parametrize("url", AUTHENTICATED_URLS)
def test_authenticated_page_asks_anonymous_visitor_to_log_in(client, db, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_missing_page_is_a_404_in_the_sites_look(client, demo_content):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert h1_count(response.content) == 1
    page = response.content.decode()
    assert "Page not found" in page
    assert "225 N Michigan Ave., Ste 1300" in page
    assert 'href="/"' in page


def test_every_sitemap_address_answers(client, demo_content):
    locations = sitemap_locations(client)
    assert len(locations) > 5
    for location in locations:
        response = client.get(path_of(location))
        assert response.status_code == 200, f"{location} answered {response.status_code}"
        assert h1_count(response.content) == 1, location


def test_server_error_page_is_in_the_sites_look_without_touching_the_database(rf, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert h1_count(response.content) == 1
    page = response.content.decode()
    assert "Something went wrong" in page
    assert "American Library Association" in page
