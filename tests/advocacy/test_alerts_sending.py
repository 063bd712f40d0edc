"""Staff write an alert and send it: to confirmed subscribers only (by state, by topic), in batches,
each once, with a one-click unsubscribe link and List-Unsubscribe headers; from the admin (with a
confirmation page that records who and when) or the `send_advocacy_alerts` command."""

import re
from io import StringIO

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from advocacy.models import AdvocacyAlert, AlertDelivery, AlertSubscriber
from ala_site.emails import queue_email
from tests.factories import StaffFactory
from tests.html_utils import visible_text

from .factories import AdvocacyAlertFactory, AlertSubscriberFactory, CommittingClient

pytestmark = pytest.mark.django_db

UNSUBSCRIBE_LINK = re.compile(r"https?://[^/\s]+(/advocacy/alerts/unsubscribe/[^/\s]+/)")


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def send(alert, run_on_commit, size=200):
    alert.start_sending(by=None)
    with run_on_commit():
        return alert.send_all(size=size)


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_an_alert_goes_to_confirmed_subscribers_only(run_on_commit):
    AlertSubscriberFactory(email="confirmed@example.org")
    AlertSubscriberFactory(email="pending@example.org", pending=True)
    AlertSubscriberFactory(email="gone@example.org", unsubscribed=True)
    alert = AdvocacyAlertFactory(subject="Call Congress about LSTA today")

    assert send(alert, run_on_commit) == 1

    [message] = mail.outbox
    assert message.to == ["confirmed@example.org"]
    assert message.subject == "Call Congress about LSTA today"
    assert "The House votes on **LSTA** funding this week." in message.body
    alert.refresh_from_db()
    assert alert.status == AdvocacyAlert.Status.SENT
    assert alert.sent_at is not None


def test_every_alert_email_carries_a_working_one_click_unsubscribe_link_and_headers(run_on_commit):
    subscriber = AlertSubscriberFactory()
    send(AdvocacyAlertFactory(), run_on_commit)

    [message] = mail.outbox
    link = UNSUBSCRIBE_LINK.search(message.body)
    assert link
    header = message.extra_headers["List-Unsubscribe"]
    assert header == f"<{link[0]}>"
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"To stop these alerts (no login needed, one button), open: {link[0]}" in message.body
    # The headers reach the wire too.
    raw = message.message().as_string()
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in raw

    CommittingClient(enforce_csrf_checks=True).post(
        link[1], "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.UNSUBSCRIBED


def test_queue_email_passes_headers_through_the_task_for_everyone():
    queue_email("Subject", "Body", "someone@example.org", headers={"X-Campaign": "show-up"})
    [message] = mail.outbox
    assert message.extra_headers == {"X-Campaign": "show-up"}


def test_an_alert_can_go_to_one_state_and_one_topic(run_on_commit):
    AlertSubscriberFactory(email="il-funding@example.org", state="IL", interests=",funding,")
    AlertSubscriberFactory(email="il-all@example.org", state="IL", interests="")
    AlertSubscriberFactory(email="il-school@example.org", state="IL", interests=",school,")
    AlertSubscriberFactory(email="tx-funding@example.org", state="TX", interests=",funding,")

    send(AdvocacyAlertFactory(state="IL", topic="funding"), run_on_commit)

    assert recipients() == ["il-all@example.org", "il-funding@example.org"]


def test_in_batches_each_subscriber_gets_it_once_and_running_again_sends_nothing(run_on_commit):
    for _ in range(5):
        AlertSubscriberFactory()
    alert = AdvocacyAlertFactory()
    alert.start_sending(by=None)

    with run_on_commit():
        assert alert.send_batch(size=2) == 2
    with run_on_commit():
        out = StringIO()
        call_command("send_advocacy_alerts", "--batch-size=2", stdout=out)
    with run_on_commit():
        call_command("send_advocacy_alerts", stdout=StringIO())

    assert len(mail.outbox) == 5
    assert len(set(recipients())) == 5
    assert AlertDelivery.objects.filter(alert=alert).count() == 5
    assert "3 emails queued; sent." in out.getvalue()
    alert.refresh_from_db()
    assert alert.status == AdvocacyAlert.Status.SENT


def test_a_subscriber_who_confirms_after_an_alert_went_out_does_not_get_it_late(run_on_commit):
    alert = AdvocacyAlertFactory()
    send(alert, run_on_commit)
    AlertSubscriberFactory()

    with run_on_commit():
        call_command("send_advocacy_alerts", stdout=StringIO())

    assert mail.outbox == []


def test_the_command_sends_no_draft():
    AlertSubscriberFactory()
    alert = AdvocacyAlertFactory()
    call_command("send_advocacy_alerts", stdout=StringIO())
    alert.refresh_from_db()
    assert alert.status == AdvocacyAlert.Status.DRAFT
    assert mail.outbox == []
    with pytest.raises(CommandError):
        call_command("send_advocacy_alerts", "--batch-size=0")


def test_a_duplicate_delivery_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    subscriber = AlertSubscriberFactory()
    alert = AdvocacyAlertFactory()
    AlertDelivery.objects.create(alert=alert, subscriber=subscriber)
    with pytest.raises(IntegrityError), transaction.atomic():
        AlertDelivery.objects.create(alert=alert, subscriber=subscriber)


# Admin ---------------------------------------------------------------------------------------


def advocacy_staff():
    staff = StaffFactory()
    staff.groups.add(Group.objects.get(name="Advocacy staff"))
    client = CommittingClient()
    client.force_login(staff)
    return staff, client


def test_staff_send_an_alert_from_the_admin_after_a_confirmation_page_that_records_who_and_when():
    AlertSubscriberFactory(email="a@example.org", state="IL")
    AlertSubscriberFactory(email="b@example.org", state="TX")
    alert = AdvocacyAlertFactory(subject="Illinois: call your senators", state="IL")
    staff, client = advocacy_staff()
    action = {"action": "send_alerts", "_selected_action": [alert.pk]}

    page = client.post("/admin/advocacy/advocacyalert/", action)
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "Send these alerts?" in text
    assert "To 1 confirmed subscriber in Illinois." in text
    assert mail.outbox == []  # nothing before the confirmation

    done = client.post("/admin/advocacy/advocacyalert/", {**action, "confirm": "yes"})
    assert done.status_code == 302

    alert.refresh_from_db()
    assert alert.status == AdvocacyAlert.Status.SENT  # the immediate task backend sent it at once
    assert alert.send_started_by == staff
    assert alert.send_started_at is not None
    assert recipients() == ["a@example.org"]
    assert LogEntry.objects.filter(object_id=str(alert.pk), user=staff).exists()

    # A second send of the same alert sends nothing more.
    again = client.post("/admin/advocacy/advocacyalert/", {**action, "confirm": "yes"}, follow=True)
    assert "None of the selected alerts is a draft" in visible_text(again.content)
    assert len(mail.outbox) == 1


def test_a_sent_alert_cannot_be_edited_or_deleted_in_the_admin(run_on_commit):
    alert = AdvocacyAlertFactory(subject="Sent already")
    send(alert, run_on_commit)
    _, client = advocacy_staff()

    page = client.get(f"/admin/advocacy/advocacyalert/{alert.pk}/change/")
    assert page.status_code == 200
    assert b'name="subject"' not in page.content
    client.post(f"/admin/advocacy/advocacyalert/{alert.pk}/change/", {"subject": "Changed", "body": "x"})
    alert.refresh_from_db()
    assert alert.subject == "Sent already"
    assert client.post(f"/admin/advocacy/advocacyalert/{alert.pk}/delete/", {"post": "yes"}).status_code == 403


def test_staff_write_an_alert_in_markdown_and_the_body_is_sanitised(run_on_commit):
    _, client = advocacy_staff()
    response = client.post(
        "/admin/advocacy/advocacyalert/add/",
        {"subject": "Vote today", "body": "**Call now** <script>alert(1)</script>", "state": "", "topic": ""},
    )
    assert response.status_code == 302
    alert = AdvocacyAlert.objects.get()
    assert "<strong>Call now</strong>" in alert.body_html
    assert "<script>" not in alert.body_html
    assert alert.status == AdvocacyAlert.Status.DRAFT


def test_subscribers_cannot_be_added_or_edited_by_staff_only_looked_up():
    subscriber = AlertSubscriberFactory(email="pat@example.org")
    _, client = advocacy_staff()

    assert client.get("/admin/advocacy/alertsubscriber/add/").status_code == 403
    assert "pat@example.org" in visible_text(client.get("/admin/advocacy/alertsubscriber/?q=pat").content)
    page = client.get(f"/admin/advocacy/alertsubscriber/{subscriber.pk}/change/")
    assert page.status_code == 200
    assert b'name="email"' not in page.content


def test_the_dashboard_shows_alerts_waiting_to_be_sent_and_being_sent(run_on_commit):
    AdvocacyAlertFactory()
    AdvocacyAlertFactory()
    sending = AdvocacyAlertFactory()
    sending.start_sending(by=None)
    _, client = advocacy_staff()

    text = visible_text(client.get("/admin/").content)

    assert "Advocacy alerts" in text
    assert "2 Alerts drafted, not sent yet" in text
    assert "1 Alerts being sent" in text


def test_staff_unsubscribe_someone_who_asks_after_confirming_with_a_reason_kept_in_the_log():
    subscriber = AlertSubscriberFactory(email="pat@example.org")
    staff, client = advocacy_staff()
    action = {"action": "unsubscribe", "_selected_action": [subscriber.pk]}

    page = client.post("/admin/advocacy/alertsubscriber/", action)
    assert "Unsubscribe these people?" in visible_text(page.content)
    assert "pat@example.org" in visible_text(page.content)

    missing_reason = client.post("/admin/advocacy/alertsubscriber/", {**action, "confirm": "yes", "reason": ""})
    assert "Say why, for the record." in visible_text(missing_reason.content)
    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.CONFIRMED

    client.post("/admin/advocacy/alertsubscriber/", {**action, "confirm": "yes", "reason": "Asked by phone"})

    subscriber.refresh_from_db()
    assert subscriber.status == AlertSubscriber.Status.UNSUBSCRIBED
    entry = LogEntry.objects.get(object_id=str(subscriber.pk))
    assert entry.user == staff
    assert "Asked by phone" in entry.get_change_message()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/advocacy/campaignaction/?q=congress&time_needed__exact=05",
        "/admin/advocacy/advocacyalert/?q=vote&status__exact=draft",
        "/admin/advocacy/advocacyalert/add/",
        "/admin/advocacy/alertsubscriber/?q=pat&status__exact=confirmed&state__exact=IL",
    ],
)
def test_the_advocacy_admin_lists_open_for_advocacy_staff(url):
    AlertSubscriberFactory(email="pat@example.org")
    AdvocacyAlertFactory(subject="Vote this week")
    _, client = advocacy_staff()
    assert client.get(url).status_code == 200
