"""Report a challenge in a real browser: an anonymous visitor reports with an attachment (after a
refused first try), gets a reference; a visitor and a member cannot reach the report or its file;
Intellectual Freedom staff find it on the dashboard, open it and download the attachment.
Axe clean on the form, the refused form and the thank-you page."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from censorship.models import ChallengeReport
from tests.censorship.report_factories import PDF_BYTES, if_staff_user, private_reports_root  # noqa: F401
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password-42"  # tests.factories.UserFactory's
DESCRIPTION = "The superintendent pulled the memoir from every school library pending review."


@pytest.fixture
def console_errors(page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def dismiss_cookie_banner(page):
    page.get_by_role("region", name="Cookies on this site").get_by_role("button", name="Reject non-essential").click()


def attach(page):
    page.get_by_label("Attach a document (optional)").set_input_files(
        files=[{"name": "Board letter.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )


def fill_report(page, *, description):
    page.get_by_label("Materials challenge").check()
    page.get_by_label("If a material is challenged: its title").fill("All Boys Aren't Blue")
    page.get_by_label("If a material is challenged: author or performer (if known)").fill("George M. Johnson")
    page.get_by_label("If a material is challenged: type of item").select_option(label="Book")
    page.get_by_label("Describe the incident").fill(description)
    page.get_by_label("When did it happen?").fill(f"{timezone.localdate() - timedelta(days=3):%m/%d/%Y}")
    page.get_by_label("Who initiated the challenge?").select_option(label="School or library administrator")
    page.get_by_label("An individual").check()
    page.get_by_label("Why did the initiator say it was a concern?").fill("Claimed to be sexually explicit.")
    page.get_by_label("Type of institution").select_option(label="School or school library")
    page.get_by_label("Name of the library, school or institution").fill("Lincoln High School")
    page.get_by_label("City").fill("Austin")
    page.get_by_label("State").select_option(label="Texas")
    page.get_by_role("group", name="May we disclose additional information in public reports?").get_by_label(
        "No"
    ).check()
    attach(page)


def log_in(context, live_server, email, *, admin=False):
    page = context.new_page()
    page.goto(live_server.url + ("/admin/login/" if admin else "/accounts/login/"))
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    return page


def assert_no_report_on(page, live_server, paths):
    for path in paths:
        response = page.goto(live_server.url + path)
        if path.startswith("/admin/"):
            assert "/admin/login/" in page.url, path  # neither is staff: the admin asks them to log in
        else:
            assert response.status == 404, path  # nothing under the public media address
        content = page.content()
        assert DESCRIPTION not in content and "Lincoln High School" not in content, path
        assert "%PDF" not in content


def test_an_anonymous_report_with_an_attachment_reaches_only_intellectual_freedom_staff(
    page, browser, live_server, axe_violations, console_errors
):
    staff = if_staff_user(email="if.staff@ala.test", first_name="Ida", last_name="Freedom")
    member = UserFactory(email="member@ala.test")

    page.goto(live_server.url + "/censorship/report/")
    dismiss_cookie_banner(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a challenge")
    assert axe_violations(page) == []

    # A first try without the description is refused; the file has to be chosen again.
    fill_report(page, description="")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Describe the incident: Describe what happened.")).to_be_visible()
    expect(page.get_by_text("For your privacy we did not keep the file you chose")).to_be_visible()
    assert axe_violations(page) == []
    assert ChallengeReport.objects.count() == 0

    page.get_by_label("Describe the incident").fill(DESCRIPTION)
    attach(page)
    page.get_by_role("button", name="Send the report").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your report")
    report = ChallengeReport.objects.get()
    expect(page.locator(".report-reference")).to_have_text(report.reference)
    expect(page.get_by_text("You gave no email address")).to_be_visible()
    assert axe_violations(page) == []
    # The refused submission answered 400 (which Chromium logs); nothing else, e.g. no CSP violation.
    assert [error for error in console_errors if "status of 400" not in error] == []
    assert report.description == DESCRIPTION and not report.has_contact and report.may_disclose is False
    attachment = report.attachments.get()
    change = f"/admin/censorship/challengereport/{report.pk}/change/"
    download = f"/admin/censorship/challengereport/{report.pk}/attachments/{attachment.pk}/"
    secret_paths = [change, download, "/admin/censorship/challengereport/", f"/media/{attachment.file.name}"]

    # The visitor who sent it cannot read it back, nor can a member.
    assert_no_report_on(page, live_server, secret_paths)
    member_context = browser.new_context()
    member_page = log_in(member_context, live_server, member.email)
    assert_no_report_on(member_page, live_server, secret_paths)
    member_context.close()

    # Intellectual Freedom staff find it waiting, open it and download the attachment.
    staff_context = browser.new_context(accept_downloads=True)
    staff_page = log_in(staff_context, live_server, staff.email, admin=True)
    staff_page.get_by_role("link", name="1 New reports waiting").click()
    staff_page.get_by_role("link", name=report.reference).click()
    expect(staff_page.get_by_text(DESCRIPTION)).to_be_visible()
    with staff_page.expect_download() as download_info:
        staff_page.get_by_role("link", name="Download “Board letter.pdf”").click()
    downloaded = download_info.value
    assert downloaded.suggested_filename == f"{report.reference}-Board letter.pdf"
    with open(downloaded.path(), "rb") as file:
        assert file.read() == PDF_BYTES
    staff_context.close()
    assert list(report.accesses.values_list("user__email", "action")) == [
        ("if.staff@ala.test", "downloaded"),
        ("if.staff@ala.test", "viewed"),
    ]
