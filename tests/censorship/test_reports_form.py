"""Report a challenge: the public form, what is stored, the emails, and bad input refused cleanly."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from censorship.models import ChallengeReport, ReportAttachment, ReportNote
from tests.html_utils import h1_count, visible_text

from .report_factories import (  # noqa: F401  (private_reports_root is an autouse fixture)
    PDF_BYTES,
    if_staff_user,
    jpeg_bytes,
    png_bytes,
    private_reports_root,
)

pytestmark = pytest.mark.django_db

URL = "/censorship/report/"
THANKS = "/censorship/report/thanks/"
REFERENCE = re.compile(r"CR-\d{4}-[2-9A-HJKMNP-Z]{6}")


def answers(**changes):
    data = {
        "subject": "materials",
        "material_title": "All Boys Aren't Blue",
        "material_author": "George M. Johnson",
        "material_type": "book",
        "description": "A board member asked for the memoir to be removed from the high school library.",
        "occurred_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "initiator": "board_member",
        "initiator_kind": "individual",
        "reasons": "LGBTQIA+ content, claimed to be sexually explicit.",
        "reason_categories": ["lgbtqia", "sexually_explicit"],
        "institution_type": "school",
        "institution_name": "Lincoln High School",
        "city": "Austin",
        "state": "TX",
        "may_disclose": "yes",
        "website": "",
    }
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def stored_files(root):
    return [path for path in Path(root).rglob("*") if path.is_file()] if Path(root).exists() else []


def test_the_form_asks_the_reporting_questions_and_works_without_javascript(client):
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    text = visible_text(page)
    assert h1_count(page) == 1
    for question in [
        "What are you reporting?",
        "If a material is challenged: its title",
        "If a material is challenged: author or performer",
        "If a material is challenged: type of item",
        "Describe the incident",
        "When did it happen?",
        "Who initiated the challenge?",
        "If “Other”: who initiated it?",
        "Why did the initiator say it was a concern?",
        "Type of institution",
        "Your email",
        "May we disclose additional information in public reports?",
        "How can we help you?",
        "Attach a document (optional)",
        "Your report is confidential unless you tell us otherwise.",
    ]:
        assert question in text, question
    assert 'enctype="multipart/form-data"' in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert 'name="website"' in page  # the honeypot
    assert "Hate crime" in text and "Materials challenge" in text


def test_an_anonymous_report_with_a_pdf_is_stored_privately_and_thanked_with_its_reference(
    client, settings, run_on_commit
):
    settings.REPORT_NOTIFY_EMAILS = ["oif-desk@example.org"]
    staff = if_staff_user(email="if.staff@example.org")

    with run_on_commit():
        response = client.post(URL, {**answers(), "attachment": upload("Board letter.pdf", PDF_BYTES)})

    assert response.status_code == 302 and response["Location"] == THANKS
    report = ChallengeReport.objects.get()
    assert REFERENCE.fullmatch(report.reference)
    assert report.material_title == "All Boys Aren't Blue"
    assert report.reason_categories == ["lgbtqia", "sexually_explicit"]
    assert report.may_disclose is True and report.status == ChallengeReport.Status.NEW
    assert not report.has_contact
    attachment = report.attachments.get()
    assert attachment.original_name == "Board letter.pdf" and attachment.content_type == "application/pdf"
    path = Path(attachment.file.path)
    assert path.read_bytes() == PDF_BYTES
    assert Path(settings.REPORT_ATTACHMENTS_ROOT) in path.parents
    assert Path(settings.MEDIA_ROOT) not in path.parents
    assert "Board letter" not in path.name  # stored under a random name

    thanks = visible_text(client.get(THANKS).content)
    assert f"Your reference number is {report.reference}" in thanks
    assert "you gave no email address" in thanks.lower()
    # Anonymous: only staff are told, and they get no content.
    assert sorted(address for message in mail.outbox for address in message.to) == [
        "if.staff@example.org",
        "oif-desk@example.org",
    ]
    assert staff.email


def test_the_reporter_gets_a_copy_and_staff_get_a_notice_without_the_reports_content(client, run_on_commit):
    if_staff_user(email="if.staff@example.org")
    data = answers(
        reporter_name="Jordan Example",
        reporter_email="jordan@example.org",
        reporter_phone="(512) 555-0199",
        help_wanted="Please send us a letter of support for the board meeting.",
    )

    with run_on_commit():
        client.post(URL, data)

    report = ChallengeReport.objects.get()
    copy = next(message for message in mail.outbox if message.to == ["jordan@example.org"])
    assert report.reference in copy.subject
    for answer in [report.reference, "All Boys Aren't Blue", "Lincoln High School", "letter of support"]:
        assert answer in copy.body
    notice = next(message for message in mail.outbox if message.to == ["if.staff@example.org"])
    assert report.reference in notice.subject
    assert f"/admin/censorship/challengereport/{report.pk}/change/" in notice.body
    everything = notice.subject + notice.body
    for secret in [
        "All Boys Aren't Blue",
        "George M. Johnson",
        "Lincoln High School",
        "Austin",
        "board member asked",
        "sexually explicit",
        "Jordan Example",
        "jordan@example.org",
        "555-0199",
        "letter of support",
    ]:
        assert secret not in everything, secret
    assert "thanks" in client.get(THANKS).content.decode().lower()
    assert "A copy of your report is on its way" in visible_text(client.get(THANKS).content)


def test_references_are_random_not_counted():
    from tests.censorship.report_factories import ChallengeReportFactory

    references = {ChallengeReportFactory().reference for _ in range(5)}

    assert len(references) == 5
    assert all(REFERENCE.fullmatch(reference) for reference in references)
    assert not any(reference.endswith(("000001", "000002")) for reference in references)


def test_the_thank_you_page_without_a_report_from_this_browser_goes_to_the_form(client):
    response = client.get(THANKS)

    assert response.status_code == 302 and response["Location"] == URL


def assert_refused(response, *messages):
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "There is a problem" in text
    for message in messages:
        assert message in text, message
    assert ChallengeReport.objects.count() == 0
    assert ReportAttachment.objects.count() == 0


def test_missing_required_answers_are_named_and_nothing_is_saved(client):
    response = client.post(URL, {"website": ""})

    assert_refused(
        response,
        "Choose what you are reporting.",
        "Describe what happened.",
        "Give the date it happened (an approximate date is fine).",
        "Choose who initiated the challenge.",
        "Say whether an individual or a group initiated it.",
        "Say why the initiator said it was a concern.",
        "Choose the type of institution.",
        "Give the name of the library, school or institution.",
        "Give the city.",
        "Choose the state.",
        "Answer yes or no: may we disclose additional information?",
    )


def test_conditional_questions_are_asked_only_when_they_apply(client, run_on_commit):
    refused = client.post(URL, answers(material_title="", material_type="", initiator="other", initiator_other=""))
    assert_refused(
        refused,
        "You are reporting a materials challenge: give the title.",
        "You are reporting a materials challenge: choose the type of item.",
        "You chose “Other”: say who initiated the challenge.",
    )

    with run_on_commit():
        accepted = client.post(URL, answers(subject="internet", material_title="", material_type=""))

    assert accepted.status_code == 302
    assert ChallengeReport.objects.get().subject == "internet"


def test_a_date_in_the_future_is_refused(client):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()

    assert_refused(client.post(URL, answers(occurred_on=tomorrow)), "The date cannot be in the future")
    assert_refused(client.post(URL, answers(occurred_on="02/31/2026")), "Enter the date as month/day/year")
    assert_refused(client.post(URL, answers(occurred_on="03/15/1850")), "Give a date from 1900 on.")


def test_a_us_date_is_understood(client, run_on_commit):
    with run_on_commit():
        client.post(URL, answers(occurred_on="03/15/2025"))

    assert ChallengeReport.objects.get().occurred_on.isoformat() == "2025-03-15"


def test_a_megabyte_in_a_text_field_is_refused_with_a_clear_message(client):
    response = client.post(URL, answers(description="x" * 1_000_000, reasons="y" * 1_000_000))

    assert_refused(
        response,
        "Keep this under 10,000 characters (it has 1000000). Attach a longer account as a PDF.",
        "Keep this under 5,000 characters",
    )


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("material_title", "Keep this under 300 characters (it has 1000000)."),
        ("institution_name", "Keep this under 200 characters (it has 1000000)."),
        ("reporter_name", "Keep this under 200 characters (it has 1000000)."),
        ("reporter_email", "Keep this under 254 characters (it has 1000012)."),
    ],
)
def test_a_megabyte_in_a_short_field_is_refused_with_its_own_limit(client, field, message):
    value = "x" * 1_000_000 + ("@example.org" if field == "reporter_email" else "")

    response = client.post(URL, answers(**{field: value}))

    assert_refused(response, message)
    assert "as a PDF" not in visible_text(response.content)  # no account to attach for a name or an address


def test_megabytes_in_every_text_field_are_refused_not_a_crash(client):
    # Over Django's 2.5 MB limit for a form's fields: refused as a whole, before the form is read.
    big = "x" * 1_000_000
    response = Client(raise_request_exception=False).post(
        URL, answers(description=big, reasons=big, help_wanted=big, institution_name=big)
    )

    assert response.status_code == 400
    assert "We could not understand that request" in visible_text(response.content)
    assert ChallengeReport.objects.count() == 0


def test_an_answer_that_is_not_an_option_is_named_clearly(client):
    response = client.post(URL, answers(may_disclose="maybe", subject="evil", state="ZZ", initiator="robot"))

    assert_refused(
        response,
        "Answer yes or no: may we disclose additional information?",
        "Choose one of the states.",
        "Choose one of the options.",
    )
    assert "Select a valid choice" not in visible_text(response.content)


def test_script_in_text_is_kept_as_plain_text_and_never_runs(client, run_on_commit):
    script = "<script>alert('x')</script>"
    with run_on_commit():
        client.post(URL, answers(description=script, institution_name=script, reporter_email="r@example.org"))

    report = ChallengeReport.objects.get()
    assert report.description == script
    refused = client.post(URL, answers(description=script, city=""))
    assert script not in refused.content.decode()
    assert "&lt;script&gt;" in refused.content.decode()


def test_a_null_character_or_a_bad_email_is_a_form_error_not_a_crash(client):
    assert_refused(client.post(URL, answers(city="Aus\x00tin")), "Null characters are not allowed.")
    assert_refused(client.post(URL, answers(reporter_email="not-an-address")), "Enter an email address like")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.pdf", png_bytes(), "Its name ends in “.pdf”, but the file is a PNG image."),
        ("letter.png", PDF_BYTES, "Its name ends in “.png”, but the file is a PDF."),
        ("notes.pdf", b"just some text pretending to be a PDF", "This file is not a PDF, JPEG or PNG"),
        ("half.pdf", b"%PDF-1.4\nno end marker", "This file is not a PDF, JPEG or PNG"),
        ("broken.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "This file is not a PDF, JPEG or PNG"),
        ("page.html", b"<html><script>alert(1)</script></html>", "This file is not a PDF, JPEG or PNG"),
        ("empty.pdf", b"", "The file is empty"),
    ],
)
def test_a_file_whose_content_is_not_what_its_name_says_is_refused(client, settings, name, content, message):
    response = client.post(URL, {**answers(), "attachment": upload(name, content, "application/pdf")})

    assert_refused(response, message, "choose it again")
    assert stored_files(settings.REPORT_ATTACHMENTS_ROOT) == []


def test_an_oversized_file_is_refused(client, settings):
    settings.REPORT_ATTACHMENT_MAX_BYTES = 1024
    big = PDF_BYTES[:-7] + b" " * (2048 - len(PDF_BYTES)) + b"\n%%EOF\n"

    response = client.post(URL, {**answers(), "attachment": upload("big.pdf", big)})

    assert_refused(response, "The file is 2.0 KB; the largest we accept is 1.0 KB.")
    assert stored_files(settings.REPORT_ATTACHMENTS_ROOT) == []


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("scan.JPG", jpeg_bytes(), "image/jpeg"), ("photo.png", png_bytes(), "image/png")],
)
def test_images_are_accepted_by_their_content(client, run_on_commit, name, content, content_type):
    with run_on_commit():
        response = client.post(URL, {**answers(), "attachment": upload(name, content, "text/plain")})

    assert response.status_code == 302
    attachment = ReportAttachment.objects.get()
    assert attachment.content_type == content_type
    assert attachment.file.name.endswith("." + attachment.extension)


def test_a_filled_honeypot_is_refused(client):
    assert_refused(client.post(URL, answers(website="http://spam.example")), "looks automated")


def test_submissions_are_rate_limited(client, run_on_commit):
    with run_on_commit():
        statuses = [client.post(URL, {"website": ""}).status_code for _ in range(11)]

    assert statuses[:10] == [400] * 10
    assert statuses[10] == 429


def test_a_failure_while_storing_leaves_nothing_half_saved(client, settings, monkeypatch):
    def broken_create(*args, **kwargs):
        raise RuntimeError("the notes table is unavailable")

    monkeypatch.setattr(ReportAttachment, "save", broken_create)

    with pytest.raises(RuntimeError):
        client.post(URL, {**answers(reporter_email="r@example.org"), "attachment": upload("a.pdf", PDF_BYTES)})

    assert ChallengeReport.objects.count() == 0
    assert ReportNote.objects.count() == 0
    assert stored_files(settings.REPORT_ATTACHMENTS_ROOT) == []
    assert mail.outbox == []
