"""Email never fails a request: rendered at once, sent by the worker, retried, visible to staff.

The mail server here is `FlakyMailBackend`: down (every send raises) until a test brings it up.
Tests that exercise the worker switch to the database queue (django-tasks-db) and run
`manage.py db_worker --batch`, as production's worker would, between the steps.
"""

import io
import logging
import signal
from datetime import timedelta

import pytest
from django.core import mail
from django.core.checks import run_checks
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from ala_site.emails import queue_email, send_templated_email, send_templated_email_on_commit
from ala_site.tasks import MAX_ATTEMPTS, RETRY_DELAYS
from membership.models import Donation
from store.models import Order
from tests.factories import UserFactory
from tests.membership.factories import MembershipFactory
from tests.membership.flows import checkout_and_pay

pytestmark = pytest.mark.django_db

DONATION_RECEIPT = "Thank you for your gift to the American Library Association"


class FlakyMailBackend(LocmemBackend):
    """The test outbox behind a mail server that refuses connections while `down`."""

    down = True

    def send_messages(self, messages):
        if FlakyMailBackend.down:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakyMailBackend"
    FlakyMailBackend.down = True
    yield
    FlakyMailBackend.down = True


def mail_server_comes_back():
    FlakyMailBackend.down = False


@pytest.fixture(autouse=True)
def _immediate_queue(settings):
    """Development's and the test suite's backend, whatever the environment says."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_queue(settings, _immediate_queue):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def run_worker():
    """One pass of production's worker over everything due: `manage.py db_worker --batch`."""
    # The worker installs its own shutdown handlers; the test run keeps pytest's.
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--interval=0", verbosity=0)
    finally:
        for signum, handler in saved.items():
            signal.signal(signum, handler)


def the_next_attempts_fall_due():
    """Time passes: the retries queued with a delay become due."""
    DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(run_after=timezone.now())


def email_results(**filters):
    return DBTaskResult.objects.filter(task_path="ala_site.tasks.send_email", **filters).order_by("enqueued_at")


def kwargs_of(result):
    return result.args_kwargs["kwargs"]


def verify_email(to="ana@example.org"):
    """A real template of the site's, rendered with a plain context."""
    return ("membership/email/verify_email", {"user": UserFactory.build(email=to), "link": "https://x.test/v/1/"}, to)


def gift():
    return {
        "preset_amount": "50",
        "other_amount": "",
        "fund": "intellectual_freedom",
        "dedication_type": "",
        "dedication_name": "",
        "name": "Pat Donor",
        "email": "pat@example.org",
        "website": "",
    }


# Through a real public form ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_gift_paid_while_the_mail_server_is_down_succeeds_and_its_receipts_go_out_when_it_answers(
    mail_server_down, database_queue
):
    client = Client(raise_request_exception=False)
    response = client.post("/donate/", gift())
    after_paying = checkout_and_pay(client, response["Location"], email="pat@example.org")

    # The donor gets the thank-you page, not a 500, and the gift and order are paid.
    thanks = client.get(after_paying)
    assert thanks.status_code == 200
    assert Donation.objects.get().status == Donation.Status.PAID
    assert Order.objects.get().status == Order.Status.PAID
    # Nothing was sent from the request, and nothing is lost: both receipts wait in the queue.
    assert mail.outbox == []
    subjects = [kwargs_of(r)["subject"] for r in email_results(status=TaskResultStatus.READY)]
    [order_receipt] = [subject for subject in subjects if Order.objects.get().reference in subject]
    assert sorted(subjects) == sorted([DONATION_RECEIPT, order_receipt])

    # The worker's first attempt meets the server still down: recorded, and retried a minute later.
    before = timezone.now()
    run_worker()
    failed = email_results(status=TaskResultStatus.FAILED)
    assert failed.count() == 2
    assert all(r.exception_class_path == "ala_site.tasks.EmailRetrying" for r in failed)
    assert all("ConnectionRefusedError" in r.traceback for r in failed)
    retries = email_results(status=TaskResultStatus.READY)
    assert [kwargs_of(r)["attempt"] for r in retries] == [2, 2]
    assert all(before + RETRY_DELAYS[0] <= r.run_after <= timezone.now() + RETRY_DELAYS[0] for r in retries)
    run_worker()  # not yet due: nothing is tried early
    assert email_results(status=TaskResultStatus.READY).count() == 2

    mail_server_comes_back()
    the_next_attempts_fall_due()
    run_worker()

    assert sorted(m.subject for m in mail.outbox) == sorted(kwargs_of(r)["subject"] for r in retries)
    assert all(m.to == ["pat@example.org"] for m in mail.outbox)
    assert email_results(status=TaskResultStatus.SUCCESSFUL).count() == 2
    assert not email_results(status=TaskResultStatus.READY).exists()
    run_worker()
    assert len(mail.outbox) == 2  # each receipt once


@pytest.mark.django_db(transaction=True)
def test_with_the_immediate_backend_a_down_mail_server_never_fails_the_page_and_is_logged(mail_server_down, caplog):
    client = Client(raise_request_exception=False)
    response = client.post("/donate/", gift())
    with caplog.at_level(logging.ERROR):
        after_paying = checkout_and_pay(client, response["Location"], email="pat@example.org")

    assert client.get(after_paying).status_code == 200
    assert Donation.objects.get().status == Donation.Status.PAID
    assert mail.outbox == []
    assert f"Email to pat@example.org, subject {DONATION_RECEIPT!r} not sent" in caplog.text


# Queueing ---------------------------------------------------------------------------------------


def test_a_template_error_shows_when_the_email_is_queued_and_nothing_is_queued(database_queue):
    with pytest.raises(TemplateDoesNotExist):
        send_templated_email("membership/email/no_such_email", {}, "ana@example.org")
    with pytest.raises(TemplateDoesNotExist):
        send_templated_email_on_commit("membership/email/no_such_email", {}, "ana@example.org")
    assert not DBTaskResult.objects.exists()


def test_the_queued_task_holds_the_rendered_message(database_queue):
    send_templated_email(*verify_email())

    [result] = email_results()
    fields = kwargs_of(result)
    assert fields["to"] == ["ana@example.org"]
    assert fields["subject"] == "Confirm your email address for the American Library Association"
    assert "https://x.test/v/1/" in fields["body"]
    assert fields["attempt"] == 1
    assert result.status == TaskResultStatus.READY
    assert mail.outbox == []


def test_html_and_reply_to_reach_the_message():
    queue_email("Subject", "Plain", ["a@example.org"], reply_to="desk@example.org", html_body="<p>Rich</p>")

    [message] = mail.outbox
    assert message.body == "Plain"
    assert message.reply_to == ["desk@example.org"]
    assert message.alternatives[0][0] == "<p>Rich</p>"


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_for_a_rolled_back_change_with_the_database_queue(database_queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_templated_email_on_commit(*verify_email("rolled-back@example.org"))
        send_templated_email(*verify_email("rolled-back@example.org"))
        raise RuntimeError("the change fails after the email was queued")
    with transaction.atomic():
        send_templated_email_on_commit(*verify_email("kept@example.org"))

    run_worker()
    assert [m.to for m in mail.outbox] == [["kept@example.org"]]


def test_nothing_is_sent_for_a_rolled_back_change_with_the_immediate_backend(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            send_templated_email_on_commit(*verify_email("rolled-back@example.org"))
            raise RuntimeError("the change fails after the email was queued")
        with transaction.atomic():
            send_templated_email_on_commit(*verify_email("kept@example.org"))
            assert mail.outbox == []  # not before the commit

    assert [m.to for m in mail.outbox] == [["kept@example.org"]]


# Retries and what staff see ---------------------------------------------------------------------


@pytest.fixture
def waits():
    """How long each retry was set to wait after the attempt before it failed."""
    return []


@pytest.fixture
def given_up(mail_server_down, database_queue, waits):
    """An email whose every attempt met a down server."""
    send_templated_email(*verify_email("lost@example.org"))
    for _ in range(MAX_ATTEMPTS):
        run_worker()
        for retry in email_results(status=TaskResultStatus.READY):
            waits.append(retry.run_after - email_results(status=TaskResultStatus.FAILED).last().finished_at)
        the_next_attempts_fall_due()
    return email_results().last()


@pytest.mark.django_db(transaction=True)
def test_a_send_is_tried_a_bounded_number_of_times_with_growing_delays_then_given_up(given_up, waits):
    assert len(waits) == MAX_ATTEMPTS - 1
    for wait, delay in zip(waits, RETRY_DELAYS, strict=True):
        assert delay - timedelta(seconds=5) <= wait <= delay
    assert sorted(RETRY_DELAYS) == RETRY_DELAYS and RETRY_DELAYS[-1] >= timedelta(hours=6)
    attempts = list(email_results())
    assert [kwargs_of(r)["attempt"] for r in attempts] == list(range(1, MAX_ATTEMPTS + 1))
    assert all(r.status == TaskResultStatus.FAILED for r in attempts)
    assert {r.exception_class_path for r in attempts[:-1]} == {"ala_site.tasks.EmailRetrying"}
    assert given_up.exception_class_path == "ala_site.tasks.EmailNotSent"
    assert "not sent after 6 attempts; gave up" in given_up.traceback
    run_worker()
    assert email_results().count() == MAX_ATTEMPTS and mail.outbox == []


def logged_in(user):
    client = Client()
    response = client.post("/accounts/login/", {"username": user.email, "password": "a-long-test-password-42"})
    assert response.status_code == 302
    return client


@pytest.fixture
def admin_client():
    return logged_in(UserFactory(is_staff=True, is_superuser=True))


CHANGELIST = "/admin/django_tasks_database/dbtaskresult/"


@pytest.mark.django_db(transaction=True)
def test_staff_find_given_up_emails_by_recipient_and_send_them_again(given_up, admin_client):
    send_templated_email(*verify_email("waiting@example.org"))

    page = admin_client.get(CHANGELIST, {"email": "gave_up"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "lost@example.org" in text
    assert "Confirm your email address" in text
    assert f"{MAX_ATTEMPTS} of {MAX_ATTEMPTS}" in text
    assert "waiting@example.org" not in text
    assert "waiting@example.org" in admin_client.get(CHANGELIST, {"email": "waiting"}).content.decode()
    assert "lost@example.org" in admin_client.get(CHANGELIST, {"q": "lost@"}).content.decode()
    assert "lost@example.org" not in admin_client.get(CHANGELIST, {"q": "waiting@"}).content.decode()

    # The detail shows who, what and why, never the body with its sign-in link.
    detail = admin_client.get(f"{CHANGELIST}{given_up.pk}/change/").content.decode()
    assert "lost@example.org" in detail
    assert "ConnectionRefusedError" in detail
    assert "https://x.test/v/1/" not in detail

    mail_server_comes_back()
    every_attempt = [str(r.pk) for r in email_results(status=TaskResultStatus.FAILED)]
    response = admin_client.post(CHANGELIST, {"action": "send_again", "_selected_action": every_attempt}, follow=True)
    assert "Queued 1 email to be sent again." in response.content.decode()
    again = admin_client.post(CHANGELIST, {"action": "send_again", "_selected_action": every_attempt}, follow=True)
    assert "None of those selected is a given-up email." in again.content.decode()
    assert "lost@example.org" not in admin_client.get(CHANGELIST, {"email": "gave_up"}).content.decode()
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["lost@example.org", "waiting@example.org"]


def test_staff_without_access_to_task_results_do_not_see_them():
    assert logged_in(UserFactory(is_staff=True)).get(CHANGELIST).status_code == 403


# Reminders use the same queue -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_renewal_reminders_are_queued_and_survive_a_down_mail_server(mail_server_down, database_queue):
    membership = MembershipFactory(expires_in=30)
    out = io.StringIO()
    call_command("send_renewal_reminders", stdout=out)
    call_command("send_renewal_reminders", stdout=io.StringIO())

    assert "Queued 1 renewal reminder." in out.getvalue()
    [queued] = email_results()
    assert kwargs_of(queued)["to"] == [membership.user.email]
    run_worker()
    mail_server_comes_back()
    the_next_attempts_fall_due()
    run_worker()
    [reminder] = mail.outbox
    assert reminder.to == [membership.user.email]
    assert "30 days" in reminder.body


# Configuration ----------------------------------------------------------------------------------


def test_check_deploy_warns_when_production_would_send_inside_requests(settings):
    settings.DEBUG = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    assert "ala_site.W010" in [m.id for m in run_checks(include_deployment_checks=True)]

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    assert "ala_site.W010" not in [m.id for m in run_checks(include_deployment_checks=True)]


def test_production_defaults_to_the_database_queue_and_development_to_immediate(monkeypatch):
    import importlib

    import ala_site.settings as site_settings

    try:
        monkeypatch.delenv("TASKS_BACKEND", raising=False)
        monkeypatch.setenv("DEBUG", "false")
        monkeypatch.setenv("SECRET_KEY", "test-only-not-secret")
        assert importlib.reload(site_settings).TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
        monkeypatch.setenv("DEBUG", "true")
        assert "immediate" in importlib.reload(site_settings).TASKS["default"]["BACKEND"]
    finally:
        monkeypatch.undo()
        importlib.reload(site_settings)
