"""Share your story: the public form, its bad input, the confirmation, and the published stories."""

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advocacy.models import Story
from tests.factories import UserFactory
from tests.html_utils import h1_count, headings, visible_text

from .news_factories import StoryFactory

pytestmark = pytest.mark.django_db

NEW = "/advocacy/stories/new/"
LIST = "/advocacy/stories/"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Emails go out when the transaction commits; run them as they happen."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def answers(**changes):
    data = {
        "name": "Ana Reyes",
        "email": "ana@example.org",
        "library": "Springfield Public Library",
        "city": "Springfield",
        "state": "IL",
        "zip_code": "62701",
        "story": "Our library's job lab helped me find work after the plant closed.",
        "congress_consent": "yes",
        "publish_consent": "no",
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def test_the_form_asks_every_question(client):
    response = client.get(NEW)

    assert response.status_code == 200
    assert h1_count(response.content) == 1
    page = visible_text(response.content)
    for question in (
        "Your name",
        "Your email",
        "Your library",
        "City",
        "State",
        "ZIP code",
        "Your story",
        "May we pass your story on to your members of Congress?",
        "May we publish your story on this website?",
    ):
        assert question in page


def test_a_story_is_stored_for_moderation_and_confirmed_by_email(client, run_on_commit):
    with run_on_commit():
        response = client.post(NEW, answers())

    assert response.status_code == 302
    assert response["Location"] == "/advocacy/stories/thanks/"
    story = Story.objects.get()
    assert (story.name, story.library, story.city, story.state, story.zip_code) == (
        "Ana Reyes",
        "Springfield Public Library",
        "Springfield",
        "IL",
        "62701",
    )
    assert story.congress_consent is True
    assert story.publish_consent is False
    assert story.status == Story.Status.SUBMITTED
    [email] = mail.outbox
    assert email.to == ["ana@example.org"]
    assert email.subject == "We received your library's story"
    assert "we may pass it on to your members of Congress" in email.body
    assert "we may not publish it on our website" in email.body
    thanks = client.get(response["Location"])
    assert "Thank you for sharing your story" in headings(thanks.content, levels={"h1"})


def test_a_story_of_a_megabyte_is_refused_with_a_clear_message(client, run_on_commit):
    with run_on_commit():
        response = client.post(NEW, answers(story="a" * 1_000_000))

    assert response.status_code == 200
    page = visible_text(response.content)
    assert "Your story is 1,000,000 characters long; please shorten it to 5,000 at most." in page
    assert Story.objects.count() == 0
    assert mail.outbox == []


def test_a_post_bigger_than_the_server_reads_is_refused_without_error(client, run_on_commit):
    with run_on_commit():
        response = client.post(NEW, answers(story="a" * 2_700_000))

    assert response.status_code == 400
    assert "We could not understand that request" in visible_text(response.content)
    assert Story.objects.count() == 0
    assert mail.outbox == []


def test_a_story_of_exactly_the_limit_with_line_breaks_is_accepted(client):
    # Browsers send a line break as \r\n and count it as one character.
    story = ("x" * 98 + "\r\n") * 50
    assert len(story.replace("\r\n", "\n")) == 4950

    response = client.post(NEW, answers(story=story))

    assert response.status_code == 302
    assert Story.objects.get().story.count("\n") == 49  # the last one is trimmed


def test_consent_must_be_answered_either_way(client):
    response = client.post(NEW, answers(congress_consent=None, publish_consent="maybe"))

    assert response.status_code == 200
    page = visible_text(response.content)
    assert "Tell us whether we may pass your story on to members of Congress." in page
    assert "Tell us whether we may publish your story on this website." in page
    assert Story.objects.count() == 0


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("email", "not-an-address", "Enter an email address like name@example.org."),
        ("zip_code", "6070", "Enter a 5-digit ZIP code"),
        ("state", "ZZ", "Choose your state from the list."),
        ("name", "", "Enter your name."),
        ("story", "   ", "Tell us your story."),
    ],
)
def test_bad_answers_get_a_message_next_to_the_field(client, field, value, message):
    response = client.post(NEW, answers(**{field: value}))

    assert response.status_code == 200
    assert message in visible_text(response.content)
    assert Story.objects.count() == 0


def test_a_filled_honeypot_stores_nothing(client):
    response = client.post(NEW, answers(website="http://spam.example"))

    assert response.status_code == 200
    assert Story.objects.count() == 0


def test_submissions_are_rate_limited(client):
    for n in range(5):
        assert client.post(NEW, answers(email=f"ana{n}@example.org")).status_code == 302

    response = client.post(NEW, answers(email="ana6@example.org"))

    assert response.status_code == 429
    assert Story.objects.count() == 5


def test_script_in_a_story_is_shown_as_text(client):
    StoryFactory(approved=True, name="<script>alert(1)</script>", story="<img src=x onerror=alert(2)>")

    page = client.get(LIST).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page


def test_script_in_every_field_is_stored_as_typed_and_shown_as_text(client):
    script = "<script>alert(1)</script>"
    fields = {"name": f"Ana {script}", "library": f"{script} Library", "city": f"Spring{script}", "story": script}
    response = client.post(NEW, answers(publish_consent="yes", **fields))
    assert response.status_code == 302
    story = Story.objects.get()
    assert (story.name, story.library, story.city, story.story) == tuple(fields.values())

    refused = client.post(NEW, answers(email=f"{script}@example.org", zip_code=script, state=script)).content.decode()
    assert script not in refused
    assert "Enter an email address like name@example.org." in visible_text(refused)

    story.status, story.moderated_at = Story.Status.APPROVED, story.submitted_at
    story.save()
    page = client.get(LIST).content.decode()
    assert script not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4


def test_the_same_story_sent_again_is_stored_once_and_confirmed_once(client, run_on_commit):
    with run_on_commit():
        first = client.post(NEW, answers())
    # A double-click, a reload of the sent form, or a second try with other spacing and case.
    with run_on_commit():
        again = client.post(
            NEW,
            answers(
                email="ANA@example.org",
                story="  Our library's job lab helped me  find work after the plant closed.\r\n",
            ),
        )

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == "/advocacy/stories/thanks/"
    assert Story.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["ana@example.org"]]

    # Another story from the same person is a story of its own.
    with run_on_commit():
        client.post(NEW, answers(story="The summer reading program kept my kids reading."))
    assert Story.objects.count() == 2
    assert len(mail.outbox) == 2


def test_an_empty_submission_says_what_is_missing(client):
    response = client.post(NEW, "", content_type="application/x-www-form-urlencoded")

    assert response.status_code == 200
    page = visible_text(response.content)
    for message in ("Enter your name.", "Enter your email address.", "Tell us your story."):
        assert message in page
    assert Story.objects.count() == 0


def test_the_list_shows_approved_stories_with_publish_consent_and_never_an_email(client):
    shown = StoryFactory(
        approved=True, name="Ana R.", library="Rolla Public Library", city="Rolla", state="MO", email="ana@example.org"
    )
    StoryFactory(approved=True, publish_consent=False, library="Private Library")
    StoryFactory(library="Waiting Library")
    StoryFactory(rejected=True, library="Rejected Library")

    response = client.get(LIST)

    page = visible_text(response.content)
    assert shown.library in headings(response.content, levels={"h2"})
    assert "Ana R. · Rolla, Missouri" in page
    assert "Private Library" not in page
    assert "Waiting Library" not in page
    assert "Rejected Library" not in page
    assert "ana@example.org" not in response.content.decode()


def test_the_empty_list_invites_the_first_story(client):
    response = client.get(LIST)

    assert response.status_code == 200
    assert "No stories are published yet." in visible_text(response.content)


def test_the_list_is_paginated_in_a_constant_number_of_queries(client, django_assert_max_num_queries):
    # The demo has four stories: ten times that is more than three pages.
    StoryFactory.create_batch(40, approved=True)
    client.get(LIST)  # the site's chrome (menus, settings) is cached by the first page

    with CaptureQueriesContext(connection) as first:
        response = client.get(LIST)
    # Read now: the next request clears the connection's query log that the context reads.
    first_count = len(first)
    last_page = client.get(LIST + "?page=4")
    StoryFactory.create_batch(40, approved=True)
    with django_assert_max_num_queries(first_count):
        client.get(LIST)
    with django_assert_max_num_queries(first_count):
        client.get(LIST + "?page=7")

    assert "Showing 1–12 of 40 stories." in visible_text(response.content)
    assert "Showing 37–40 of 40 stories." in visible_text(last_page.content)
    assert 1 <= first_count <= 4


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        ("abc", "Showing 1–12 of 14 stories."),
        ("-1", "Showing 13–14 of 14 stories."),
        ("9" * 40, "Showing 13–14 of 14 stories."),
        ("%00", "Showing 1–12 of 14 stories."),
    ],
)
def test_an_odd_page_number_shows_a_real_page(client, number, shown):
    StoryFactory.create_batch(14, approved=True)

    response = client.get(f"{LIST}?page={number}")

    assert response.status_code == 200
    assert shown in visible_text(response.content)


def test_read_only_pages_refuse_post(client):
    assert client.post(LIST).status_code == 405
    assert client.post("/advocacy/stories/thanks/").status_code == 405


def test_a_signed_in_person_finds_their_name_and_email_filled_in(client):
    client.force_login(UserFactory(first_name="Ana", last_name="Reyes", email="ana@example.org"))

    content = client.get(NEW).content.decode()

    assert 'value="Ana Reyes"' in content
    assert 'value="ana@example.org"' in content
