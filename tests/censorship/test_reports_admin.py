"""Intellectual Freedom staff work reports in the admin; nobody else sees anything of them."""

import re
from html import unescape

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group, Permission
from django.test import Client

from censorship.models import ChallengeReport, ReportAccess, ReportNote, ReportStateError
from tests.factories import StaffFactory, UserFactory
from tests.html_utils import visible_text

from .report_factories import (  # noqa: F401  (private_reports_root is an autouse fixture)
    IF_STAFF,
    PDF_BYTES,
    ChallengeReportFactory,
    ReportAttachmentFactory,
    if_staff_user,
    private_reports_root,
)

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/censorship/challengereport/"


def change_url(report):
    return f"{CHANGELIST}{report.pk}/change/"


def download_url(attachment):
    return f"{CHANGELIST}{attachment.report_id}/attachments/{attachment.pk}/"


def work(client, report, **answers):
    """POST the change form as a browser would: its hidden inputs (the inlines' management forms)
    with the staff's answers."""
    page = client.get(change_url(report)).content.decode()
    data = {
        name: unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken"
    }
    return client.post(change_url(report), {**data, "new_outcome": report.outcome, **answers})


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff():
    return if_staff_user(first_name="Ida", last_name="Freedom")


def test_the_group_holds_the_dedicated_permission_and_cannot_delete():
    group = Group.objects.get(name=IF_STAFF)
    codenames = set(group.permissions.values_list("codename", flat=True))

    assert "access_challenge_reports" in codenames
    assert {"view_challengereport", "change_challengereport"} <= codenames
    assert "delete_challengereport" not in codenames and "add_challengereport" not in codenames


def test_intellectual_freedom_staff_see_the_panel_the_list_and_a_report(staff):
    ChallengeReportFactory.create_batch(2)
    ChallengeReportFactory(status=ChallengeReport.Status.IN_REVIEW)
    client = logged_in(staff)

    index = visible_text(client.get("/admin/").content)
    assert "Challenge reports" in index
    assert "2 New reports waiting" in index and "1 Reports in review" in index

    waiting = client.get(f"{CHANGELIST}?status__exact=new")
    assert waiting.status_code == 200
    assert "2 challenge reports" in visible_text(waiting.content)


def test_opening_a_report_shows_the_answers_and_is_recorded(staff):
    report = ChallengeReportFactory(description="The board chair read a passage aloud.")
    client = logged_in(staff)

    response = client.get(change_url(report))

    assert response.status_code == 200
    text = visible_text(response.content)
    for answer in [report.reference, "Gender Queer", "The board chair read a passage aloud.", "Springfield"]:
        assert answer in text
    [access] = ReportAccess.objects.all()
    assert (access.report, access.user, access.action) == (report, staff, ReportAccess.Action.VIEWED)
    assert "Ida Freedom" in visible_text(client.get(change_url(report)).content)  # the access log


def test_script_in_a_report_is_shown_as_text(staff):
    report = ChallengeReportFactory(description="<script>alert('x')</script>")

    page = logged_in(staff).get(change_url(report)).content.decode()

    assert "<script>alert('x')</script>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_staff_download_the_attachment_privately_and_the_download_is_recorded(staff):
    attachment = ReportAttachmentFactory()

    response = logged_in(staff).get(download_url(attachment))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{attachment.report.reference}-board-letter.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert ReportAccess.objects.filter(action=ReportAccess.Action.DOWNLOADED, user=staff).count() == 1


def test_a_download_of_another_reports_attachment_or_a_missing_one_is_a_404(staff):
    attachment = ReportAttachmentFactory()
    other = ChallengeReportFactory()
    client = logged_in(staff)

    assert client.get(f"{CHANGELIST}{other.pk}/attachments/{attachment.pk}/").status_code == 404
    assert client.get(f"{CHANGELIST}nonsense/attachments/{attachment.pk}/").status_code == 404
    attachment.file.storage.delete(attachment.file.name)
    assert client.get(download_url(attachment)).status_code == 404


def test_staff_move_a_report_through_its_states_with_notes_recording_who_and_when(staff):
    report = ChallengeReportFactory()
    client = logged_in(staff)

    response = work(client, report, new_status="in_review", note="Called the director.")

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ChallengeReport.Status.IN_REVIEW
    assert report.status_changed_by == staff and report.status_changed_at is not None
    assert [(note.kind, note.author) for note in report.notes.all()] == [("status", staff), ("note", staff)]
    assert report.notes.last().text == "Called the director."

    work(client, report, new_status="closed", new_outcome="retained")

    report.refresh_from_db()
    assert (report.status, report.outcome) == ("closed", "retained")
    assert "outcome: Retained" in report.notes.last().text
    # The admin's history says what was done, never a note's text.
    messages = " ".join(entry.get_change_message() for entry in LogEntry.objects.all())
    assert "moved to In review" in messages and "Called the director" not in messages


def test_a_state_the_report_cannot_reach_is_refused_in_the_form(staff):
    report = ChallengeReportFactory(status=ChallengeReport.Status.CLOSED)

    response = work(logged_in(staff), report, new_status="supported")

    assert response.status_code == 200
    assert "Select a valid choice" in visible_text(response.content)
    report.refresh_from_db()
    assert report.status == ChallengeReport.Status.CLOSED
    assert ReportNote.objects.count() == 0


def test_the_model_refuses_a_state_it_cannot_reach(staff):
    report = ChallengeReportFactory(status=ChallengeReport.Status.CLOSED)

    with pytest.raises(ReportStateError, match="cannot become “Supported”"):
        report.mark_supported(by=staff)
    with pytest.raises(ReportStateError, match="already"):
        report.close(by=staff, outcome="removed")
    report.start_review(by=staff)
    assert report.status == ChallengeReport.Status.IN_REVIEW


def test_a_stale_copy_cannot_move_a_report_someone_else_moved(staff):
    report = ChallengeReportFactory()
    stale = ChallengeReport.objects.get(pk=report.pk)
    report.close(by=staff, outcome="removed")

    with pytest.raises(ReportStateError, match="already “Closed”"):
        stale.close(by=staff, outcome="retained")
    with pytest.raises(ReportStateError, match="“Closed” cannot become “Supported”"):
        ChallengeReport.objects.get(pk=report.pk).mark_supported(by=staff)
    report.refresh_from_db()
    assert report.outcome == "removed" and report.notes.count() == 1


def test_a_change_sent_from_a_page_opened_before_another_change_is_refused(staff):
    report = ChallengeReportFactory()
    client = logged_in(staff)
    page = client.get(change_url(report)).content.decode()
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    report.close(by=staff, outcome="removed")  # meanwhile, in another tab

    response = client.post(change_url(report), {**data, "new_status": "supported", "new_outcome": "removed"})

    assert response.status_code == 200  # the form is checked against the state the report has now
    assert "Select a valid choice" in visible_text(response.content)
    report.refresh_from_db()
    assert report.status == "closed"


def test_reports_are_not_added_or_deleted_by_intellectual_freedom_staff(staff):
    report = ChallengeReportFactory()
    client = logged_in(staff)

    assert client.get(f"{CHANGELIST}add/").status_code == 403
    assert client.get(f"{CHANGELIST}{report.pk}/delete/").status_code == 403


def test_a_superuser_sees_reports_and_deleting_one_removes_its_file(admin_client, django_capture_on_commit_callbacks):
    attachment = ReportAttachmentFactory()
    report = attachment.report
    path = attachment.file.path

    assert admin_client.get(change_url(report)).status_code == 200
    assert admin_client.get(download_url(attachment)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(f"{CHANGELIST}{report.pk}/delete/", {"post": "yes"})

    assert not ChallengeReport.objects.exists()
    import os

    assert not os.path.exists(path)


def other_staff():
    """A staff user in every staff group but Intellectual Freedom staff."""
    user = StaffFactory()
    user.groups.add(*Group.objects.exclude(name=IF_STAFF))
    return user


def model_permissions_only():
    """Staff given every permission on report models except the dedicated one (by mistake, say)."""
    user = StaffFactory()
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="censorship").exclude(codename="access_challenge_reports")
    )
    return user


@pytest.mark.parametrize("make_user", [other_staff, model_permissions_only, UserFactory])
def test_nobody_else_sees_anything_of_reports_in_the_admin(make_user, staff):
    attachment = ReportAttachmentFactory()
    report = attachment.report
    # Intellectual Freedom staff worked on it: the admin's history holds an entry for it.
    work(logged_in(staff), report, new_status="in_review", note="Called the director.")
    assert LogEntry.objects.filter(object_id=str(report.pk)).exists()
    ReportAccess.objects.all().delete()
    client = logged_in(make_user())

    index = client.get("/admin/")
    for url in [
        CHANGELIST,
        f"{CHANGELIST}?status__exact=new",
        change_url(report),
        f"{CHANGELIST}{report.pk}/history/",
        f"{CHANGELIST}{report.pk}/delete/",
        download_url(attachment),
    ]:
        response = client.get(url)
        assert response.status_code in (302, 403), f"{url} answered {response.status_code}"
        assert report.reference.encode() not in response.content
        assert b"Gender Queer" not in response.content
    assert "Challenge reports" not in visible_text(index.content)
    assert "New reports waiting" not in visible_text(index.content)
    # Not even the dashboard's "Recent staff actions" names the report or what was done to it.
    assert report.reference not in visible_text(index.content)
    assert "challenge report" not in visible_text(index.content).lower()
    assert ReportAccess.objects.count() == 0


def test_every_other_staff_group_is_covered():
    # The groups made by the apps' migrations; a new one is covered by other_staff() at once.
    names = set(Group.objects.exclude(name=IF_STAFF).values_list("name", flat=True))

    assert {"Content editors", "Store staff", "Membership staff", "Events staff"} <= names
