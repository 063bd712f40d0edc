"""Job seekers save the board's search, see and delete their saved searches, and unsubscribe by link."""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from joblist import alert_links
from joblist.alert_views import MAX_SAVED_SEARCHES
from joblist.forms import JobSearchForm
from joblist.models import SavedSearch
from tests.factories import UserFactory
from tests.html_utils import h1_count

pytestmark = pytest.mark.django_db

SAVE_URL = "/joblist/alerts/save/"
ALERTS_URL = "/joblist/alerts/"


def saved(user, name="Youth services in Ohio", criteria=None, **fields):
    fields.setdefault("last_sent_at", timezone.now())
    return SavedSearch.objects.create(user=user, name=name, criteria=criteria or {"state": "OH"}, **fields)


def render_partial(rf, user, query):
    request = rf.get(f"/joblist/?{query}")
    request.user = user
    form = JobSearchForm(request.GET)
    return render_to_string("joblist/_save_search.html", {"form": form, "user": user}, request=request)


# The form below the board's filters ------------------------------------------------------------


def test_signed_in_visitor_gets_a_form_carrying_the_current_criteria(rf):
    html = render_partial(rf, UserFactory(), "q=archivist&state=OH&min_salary=50000&order=salary")

    assert 'action="/joblist/alerts/save/"' in html
    assert '<input type="hidden" name="q" value="archivist">' in html
    assert '<input type="hidden" name="state" value="OH">' in html
    assert '<input type="hidden" name="min_salary" value="50000">' in html
    assert 'name="order"' not in html  # the order is how the board shows jobs, not what is sent
    assert "“archivist” · Ohio · at least $50,000 a year" in html  # the name it gets by default
    assert "Email me new jobs like these" in html


def test_anonymous_visitor_is_asked_to_sign_in_and_come_back_to_the_same_search(rf):
    html = render_partial(rf, AnonymousUser(), "q=archivist&state=OH")

    assert "Sign in to get these jobs by email" in html
    assert 'href="/accounts/login/?next=/joblist/%3Fq%3Darchivist%26state%3DOH"' in html
    assert "<form" not in html


def test_the_board_shows_the_save_search_form_below_its_filters(client):
    client.force_login(UserFactory())

    page = client.get("/joblist/?state=OH").content.decode()

    assert "Email me new jobs like these" in page
    assert '<input type="hidden" name="state" value="OH">' in page


# Saving -----------------------------------------------------------------------------------------


def test_saving_keeps_the_revalidated_criteria_and_sends_only_jobs_from_now_on(client):
    user = UserFactory()
    client.force_login(user)
    before = timezone.now()

    response = client.post(
        SAVE_URL, {"q": "archivist", "state": "OH", "library_type": "no-such-type", "min_salary": "50000", "name": ""}
    )

    assert response.status_code == 302 and response["Location"] == ALERTS_URL
    search = SavedSearch.objects.get(user=user)
    # A value that is not one of the board's choices is dropped, as the board drops it.
    assert search.criteria == {"q": "archivist", "state": "OH", "min_salary": 50000}
    assert search.name == "“archivist” · Ohio · at least $50,000 a year"
    assert search.is_active and search.last_sent_at >= before
    page = client.get(ALERTS_URL).content.decode()
    assert "Saved “" in page and "we will email you new jobs that match" in page


def test_saving_uses_the_name_the_person_gives(client):
    user = UserFactory()
    client.force_login(user)

    client.post(SAVE_URL, {"category": "youth", "name": "  Story time jobs  "})

    assert SavedSearch.objects.get(user=user).name == "Story time jobs"


def test_anonymous_post_is_sent_to_sign_in_and_back_to_the_board_search(client):
    response = client.post(SAVE_URL, {"q": "archivist", "state": "OH"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/joblist/%3Fq%3Darchivist%26state%3DOH"
    assert not SavedSearch.objects.exists()


def test_saving_needs_post(client):
    client.force_login(UserFactory())

    assert client.get(SAVE_URL).status_code == 405


def test_a_filled_honeypot_saves_nothing_and_says_why(client):
    client.force_login(UserFactory())

    response = client.post(SAVE_URL, {"state": "OH", "name": "Ohio", "website": "https://spam.example"})

    assert response.status_code == 200
    assert "This submission looks automated" in response.content.decode()
    assert not SavedSearch.objects.exists()


def test_an_overlong_name_is_refused_next_to_the_field_with_the_search_kept(client):
    client.force_login(UserFactory())

    response = client.post(SAVE_URL, {"state": "OH", "name": "x" * 500})

    page = response.content.decode()
    assert response.status_code == 200 and h1_count(response.content) == 1
    assert "Keep the name to 120 characters (it has 500)." in page
    assert '<input type="hidden" name="state" value="OH">' in page
    assert not SavedSearch.objects.exists()


def test_script_in_the_name_is_stored_as_text_and_shown_inert(client):
    user = UserFactory()
    client.force_login(user)

    client.post(SAVE_URL, {"state": "OH", "name": "<script>alert(1)</script>"})

    page = client.get(ALERTS_URL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_saving_the_same_search_twice_keeps_one(client):
    user = UserFactory()
    client.force_login(user)

    client.post(SAVE_URL, {"state": "OH", "q": "archivist"})
    response = client.post(SAVE_URL, {"q": "archivist", "state": "OH", "name": "Again"}, follow=True)

    assert SavedSearch.objects.filter(user=user).count() == 1
    assert "You already get these jobs by email" in response.content.decode()


def test_saving_a_stopped_search_again_resumes_it_from_now(client):
    user = UserFactory()
    old = saved(user, criteria={"state": "OH"}, is_active=False, last_sent_at=timezone.now() - timedelta(days=90))
    client.force_login(user)

    client.post(SAVE_URL, {"state": "OH"})

    old.refresh_from_db()
    assert old.is_active and old.last_sent_at > timezone.now() - timedelta(minutes=1)
    assert SavedSearch.objects.filter(user=user).count() == 1


def test_a_person_keeps_at_most_the_limit_with_a_clear_message(client):
    user = UserFactory()
    for number in range(MAX_SAVED_SEARCHES):
        saved(user, name=f"Search {number}", criteria={"min_salary": 1000 + number})
    client.force_login(user)

    response = client.post(SAVE_URL, {"state": "OH"}, follow=True)

    assert SavedSearch.objects.filter(user=user).count() == MAX_SAVED_SEARCHES
    assert f"You have {MAX_SAVED_SEARCHES} saved searches, the most we keep for one person" in response.content.decode()


# The list, deleting, stopping ------------------------------------------------------------------


def test_the_list_describes_each_search_and_links_it_to_the_board(client):
    user = UserFactory()
    saved(user, name="Remote archivists", criteria={"q": "archivist", "workplace": "remote"})
    saved(UserFactory(), name="Someone else's search")
    client.force_login(user)

    response = client.get(ALERTS_URL)

    page = response.content.decode()
    assert response.status_code == 200 and h1_count(response.content) == 1
    assert "Remote archivists" in page and "“archivist” · Remote" in page
    assert 'href="/joblist/?q=archivist&amp;workplace=remote"' in page
    assert "Someone else" not in page


def test_the_list_has_an_empty_state(client):
    client.force_login(UserFactory())

    assert "You have no saved searches yet" in client.get(ALERTS_URL).content.decode()


def test_the_list_asks_anonymous_visitors_to_sign_in(client):
    response = client.get(ALERTS_URL)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")


def test_the_list_runs_a_constant_number_of_queries(client, django_assert_num_queries):
    user = UserFactory()
    saved(user, name="Search 0", criteria={"min_salary": 1000})
    client.force_login(user)
    client.get(ALERTS_URL)  # the site's chrome and the person's membership offer are cached after the first page
    with django_assert_num_queries(3) as few:  # the session, the user, their saved searches
        assert client.get(ALERTS_URL).status_code == 200
    for number in range(1, MAX_SAVED_SEARCHES):
        saved(user, name=f"Search {number}", criteria={"min_salary": 1000 + number})

    with django_assert_num_queries(len(few.captured_queries)):
        assert "Search 19" in client.get(ALERTS_URL).content.decode()


def test_deleting_asks_first_then_deletes(client):
    user = UserFactory()
    search = saved(user)
    client.force_login(user)
    url = reverse("joblist:delete_saved_search", args=[search.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Delete “Youth services in Ohio”?" in confirm.content.decode()
    assert SavedSearch.objects.filter(pk=search.pk).exists()

    response = client.post(url)
    assert response.status_code == 302 and not SavedSearch.objects.filter(pk=search.pk).exists()


def test_another_persons_search_cannot_be_deleted_or_stopped(client):
    search = saved(UserFactory())
    client.force_login(UserFactory())

    assert client.post(reverse("joblist:delete_saved_search", args=[search.pk])).status_code == 404
    assert client.post(reverse("joblist:saved_search_emails", args=[search.pk]), {"emails": "off"}).status_code == 404
    search.refresh_from_db()
    assert search.is_active


def test_stopping_and_resuming_the_emails_of_a_search(client):
    user = UserFactory()
    search = saved(user, last_sent_at=timezone.now() - timedelta(days=30))
    client.force_login(user)
    url = reverse("joblist:saved_search_emails", args=[search.pk])

    client.post(url, {"emails": "off"})
    search.refresh_from_db()
    assert not search.is_active
    assert "Emails stopped" in client.get(ALERTS_URL).content.decode()

    client.post(url, {"emails": "on"})
    search.refresh_from_db()
    assert search.is_active and search.last_sent_at > timezone.now() - timedelta(minutes=1)


# Unsubscribing by the email's link, without signing in ----------------------------------------


def unsubscribe_path(search):
    return urlsplit(alert_links.unsubscribe_url(search)).path


def test_the_unsubscribe_link_asks_before_it_stops_the_emails_without_sign_in(client):
    search = saved(UserFactory())

    page = client.get(unsubscribe_path(search))

    assert page.status_code == 200 and h1_count(page.content) == 1
    assert "Youth services in Ohio" in page.content.decode()
    search.refresh_from_db()
    assert search.is_active  # opening the link (a mail scanner does) stops nothing

    done = client.post(unsubscribe_path(search))

    assert done.status_code == 200 and "You are unsubscribed" in done.content.decode()
    search.refresh_from_db()
    assert not search.is_active


def test_one_click_unsubscribe_from_the_mail_provider_needs_no_cookie_or_csrf_token(db):
    search = saved(UserFactory())
    provider = Client(enforce_csrf_checks=True)

    response = provider.post(
        unsubscribe_path(search), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    search.refresh_from_db()
    assert not search.is_active


def test_unsubscribing_stops_only_that_search(client):
    user = UserFactory()
    first, second = saved(user, name="First"), saved(user, name="Second", criteria={"state": "IL"})

    client.post(unsubscribe_path(first))

    first.refresh_from_db(), second.refresh_from_db()
    assert not first.is_active and second.is_active


@pytest.mark.parametrize("mangle", ["swap-search", "garbage", "truncated"])
def test_a_tampered_unsubscribe_link_is_a_clear_400_page(client, mangle):
    mine, theirs = saved(UserFactory()), saved(UserFactory(), name="Theirs")
    token = unsubscribe_path(mine).rstrip("/").rsplit("/", 1)[1]
    if mangle == "swap-search":
        token = token.replace(str(mine.pk), str(theirs.pk), 1) + "x"
    elif mangle == "garbage":
        token = "not-a-token"
    else:
        token = token[:-5]
    url = f"/joblist/alerts/unsubscribe/{token}/"

    for response in (client.get(url), client.post(url)):
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    assert SavedSearch.objects.filter(is_active=True).count() == 2


def test_a_link_for_a_deleted_search_says_the_emails_are_stopped(client):
    search = saved(UserFactory())
    path = unsubscribe_path(search)
    search.delete()

    assert "These emails are already stopped" in client.get(path).content.decode()
    assert "You are unsubscribed" in client.post(path).content.decode()


# Every button that changes a saved search carries the honeypot -----------------------------------

TRAP = {"website": "https://spam.example"}


def test_the_list_and_the_delete_page_carry_the_honeypot(client):
    user = UserFactory()
    first, second = saved(user, name="First"), saved(user, name="Second", criteria={"state": "IL"})
    client.force_login(user)

    listing = client.get(ALERTS_URL).content.decode()
    # One trap per row, each with ids of its own.
    assert f'id="search-{first.pk}-website"' in listing and f'id="search-{second.pk}-website"' in listing
    confirm = client.get(reverse("joblist:delete_saved_search", args=[first.pk])).content.decode()
    assert 'name="website"' in confirm and "Leave this empty" in confirm


def test_a_filled_honeypot_neither_deletes_nor_stops_a_search(client):
    user = UserFactory()
    search = saved(user)
    client.force_login(user)

    refused = client.post(reverse("joblist:delete_saved_search", args=[search.pk]), TRAP)
    assert refused.status_code == 200 and "This submission looks automated" in refused.content.decode()
    assert SavedSearch.objects.filter(pk=search.pk).exists()

    stopped = client.post(
        reverse("joblist:saved_search_emails", args=[search.pk]), {"emails": "off", **TRAP}, follow=True
    )
    assert "This submission looks automated" in stopped.content.decode()
    search.refresh_from_db()
    assert search.is_active


def test_a_filled_honeypot_on_the_unsubscribe_page_stops_nothing(client):
    search = saved(UserFactory())

    page = client.get(unsubscribe_path(search)).content.decode()
    assert 'name="website"' in page
    refused = client.post(unsubscribe_path(search), TRAP)

    assert refused.status_code == 200 and "This submission looks automated" in refused.content.decode()
    search.refresh_from_db()
    assert search.is_active
