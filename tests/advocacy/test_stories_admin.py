"""Staff moderate stories (approve, reject with a reason) and export consented ones for Congress."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from advocacy.models import Story, StoryExport
from advocacy.models.stories import StoryModerationError
from ala_site.dashboard import panels_for
from tests.factories import StaffFactory

from .news_factories import StoryFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/advocacy/story/"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def staff(client):
    user = StaffFactory(first_name="Sam", last_name="Staff")
    user.groups.add(Group.objects.get(name="Advocacy staff"))
    client.force_login(user)
    return user


def action(client, name, stories, **extra):
    data = {"action": name, "_selected_action": [story.pk for story in stories], **extra}
    return client.post(CHANGELIST, data)


# The model's moderation steps -------------------------------------------------------------


def test_approving_records_who_and_when_and_tells_the_author_once_published(run_on_commit):
    moderator = StaffFactory()
    story = StoryFactory(email="ana@example.org")

    with run_on_commit():
        story.approve(by=moderator)

    story.refresh_from_db()
    assert story.status == Story.Status.APPROVED
    assert story.moderated_by == moderator
    assert story.moderated_at is not None
    [email] = mail.outbox
    assert email.to == ["ana@example.org"]
    assert email.subject == "Your library's story is published"
    assert "/advocacy/stories/" in email.body


def test_approving_a_story_not_for_publication_sends_nothing(run_on_commit):
    story = StoryFactory(publish_consent=False)

    with run_on_commit():
        story.approve(by=StaffFactory())

    assert Story.objects.get().status == Story.Status.APPROVED
    assert mail.outbox == []


def test_rejecting_needs_a_reason_and_keeps_it():
    moderator = StaffFactory()
    story = StoryFactory()

    with pytest.raises(StoryModerationError):
        story.reject(by=moderator, reason="  ")
    story.reject(by=moderator, reason="Advertising, not a library story")

    story.refresh_from_db()
    assert story.status == Story.Status.REJECTED
    assert story.rejection_reason == "Advertising, not a library story"
    assert story.moderated_by == moderator


def test_a_story_already_approved_cannot_be_approved_twice(run_on_commit):
    story = StoryFactory()
    stale_copy = Story.objects.get(pk=story.pk)
    with run_on_commit():
        story.approve(by=StaffFactory())

    with pytest.raises(StoryModerationError, match="already approved"), run_on_commit():
        stale_copy.approve(by=StaffFactory())
    assert len(mail.outbox) == 1


# The admin ---------------------------------------------------------------------------------


def test_the_dashboard_shows_stories_waiting_for_moderation(rf, staff):
    StoryFactory.create_batch(2)
    StoryFactory(approved=True)
    request = rf.get("/admin/")
    request.user = staff

    [panel] = [shown for shown in panels_for(request) if shown.panel.key == "advocacy-stories"]

    [line] = panel.lines
    assert (line.label, line.count) == ("Stories waiting for moderation", 2)
    assert line.url == "/admin/advocacy/story/?status__exact=submitted"


def test_staff_approve_selected_stories_from_the_list(client, staff, run_on_commit):
    stories = StoryFactory.create_batch(2)

    with run_on_commit():
        response = action(client, "approve", stories)

    assert response.status_code == 302
    assert set(Story.objects.values_list("status", "moderated_by")) == {(Story.Status.APPROVED, staff.pk)}
    assert len(mail.outbox) == 2


def test_rejecting_from_the_list_asks_for_a_reason_first(client, staff):
    story = StoryFactory()

    page = action(client, "reject", [story])
    assert page.status_code == 200
    assert "Reject these stories?" in page.content.decode()
    assert Story.objects.get().status == Story.Status.SUBMITTED
    refused = action(client, "reject", [story], confirm="yes", reason="")
    assert "Give a reason for rejecting." in refused.content.decode()

    action(client, "reject", [story], confirm="yes", reason="Duplicate of an earlier story")

    story.refresh_from_db()
    assert story.status == Story.Status.REJECTED
    assert story.rejection_reason == "Duplicate of an earlier story"
    assert story.moderated_by == staff


def test_staff_cannot_add_or_rewrite_a_story(client, staff):
    story = StoryFactory(story="My own words.")

    assert client.get("/admin/advocacy/story/add/").status_code == 403
    client.post(f"/admin/advocacy/story/{story.pk}/change/", {"story": "Rewritten", "status": "approved"})

    story.refresh_from_db()
    assert (story.story, story.status) == ("My own words.", Story.Status.SUBMITTED)


# The export for Congress -------------------------------------------------------------------


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_export_asks_first_then_holds_only_approved_consented_stories(client, staff):
    shared = StoryFactory(approved=True, name="Ana Reyes", library="Rolla Public Library", city="Rolla", state="MO")
    not_for_congress = StoryFactory(approved=True, congress_consent=False)
    waiting = StoryFactory()

    page = action(client, "export_for_congress", [shared, not_for_congress, waiting])
    assert page.status_code == 200
    assert "1 of the 3 selected (2 left out)" in page.content.decode()
    assert StoryExport.objects.count() == 0

    response = action(
        client, "export_for_congress", [shared, not_for_congress, waiting], confirm="yes", purpose="Rep. Smith's office"
    )

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0] == ["name", "library", "city", "state", "zip code", "story", "submitted", "approved"]
    assert [row[:4] for row in rows[1:]] == [["Ana Reyes", "Rolla Public Library", "Rolla", "MO"]]
    assert shared.email not in response.content.decode()
    export = StoryExport.objects.get()
    assert (export.exported_by, export.purpose, export.story_count) == (staff, "Rep. Smith's office", 1)
    assert list(export.stories.all()) == [shared]


def test_the_export_can_be_narrowed_to_one_state(client, staff):
    missouri = StoryFactory(approved=True, state="MO")
    ohio = StoryFactory(approved=True, state="OH")

    response = action(client, "export_for_congress", [missouri, ohio], confirm="yes", state="OH", purpose="Ohio")

    assert [row[3] for row in read_csv(response)[1:]] == ["OH"]
    assert StoryExport.objects.get().state == "OH"


def test_the_export_needs_to_say_who_it_is_for(client, staff):
    story = StoryFactory(approved=True)

    response = action(client, "export_for_congress", [story], confirm="yes", purpose="")

    assert "Say who the export is for." in response.content.decode()
    assert StoryExport.objects.count() == 0


def test_export_cells_that_a_spreadsheet_would_run_are_escaped(client, staff):
    story = StoryFactory(
        approved=True, name='=HYPERLINK("http://evil.example")', library="+SUM(A1)", city="-1", story="@cmd"
    )

    rows = read_csv(action(client, "export_for_congress", [story], confirm="yes", purpose="Test"))

    assert rows[1][:3] == ['\'=HYPERLINK("http://evil.example")', "'+SUM(A1)", "'-1"]
    assert rows[1][5] == "'@cmd"


def test_staff_who_only_view_stories_cannot_export(client):
    viewer = StaffFactory()
    viewer.user_permissions.add(*Group.objects.get(name="Advocacy staff").permissions.filter(codename="view_story"))
    client.force_login(viewer)
    story = StoryFactory(approved=True)

    response = action(client, "export_for_congress", [story], confirm="yes", purpose="Test")

    assert not response["Content-Type"].startswith("text/csv")
    assert StoryExport.objects.count() == 0


def test_an_approved_story_can_be_taken_down_with_a_reason(client, staff):
    story = StoryFactory(approved=True, library="Taken Down Library")
    assert "Taken Down Library" in client.get("/advocacy/stories/").content.decode()

    action(client, "reject", [story], confirm="yes", reason="The author asked us to remove it")

    assert Story.objects.get().status == Story.Status.REJECTED
    assert "Taken Down Library" not in client.get("/advocacy/stories/").content.decode()
