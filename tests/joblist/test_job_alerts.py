"""The daily digest (manage.py send_job_alerts): new matches only, each sent once, with unsubscribe."""

import io
import re
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from joblist.management.commands.send_job_alerts import MAX_JOBS_PER_EMAIL, send_alert
from joblist.models import JobPosting, SavedSearch
from tests.concurrency import run_at_once
from tests.factories import UserFactory

from .factories import EmployerFactory, JobPostingFactory, published_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command; its emails are queued when each search's transaction commits."""

    def run():
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_job_alerts", stdout=out)
        return out.getvalue()

    return run


def saved(user=None, criteria=None, days_ago=3, **fields):
    return SavedSearch.objects.create(
        user=user or UserFactory(first_name="Ada"),
        name=fields.pop("name", "Ohio archivists"),
        criteria={"state": "OH", "q": "archivist"} if criteria is None else criteria,
        last_sent_at=timezone.now() - timedelta(days=days_ago),
        **fields,
    )


def ohio_archivist(days_ago=1, **fields):
    fields.setdefault("title", "Digital Archivist")
    fields.setdefault("city", "Columbus")
    fields.setdefault("state", "OH")
    return published_job(days_ago=days_ago, **fields)


def test_the_digest_lists_each_new_match_with_its_employer_place_and_link(run):
    search = saved()
    employer = EmployerFactory(name="Ohio History Connection")
    job = ohio_archivist(employer=employer, application_deadline=timezone.localdate() + timedelta(days=20))
    ohio_archivist(title="Processing Archivist", city="Dayton", days_ago=2)

    assert run() == "1 job alert email queued.\n"

    [email] = mail.outbox
    assert email.to == [search.user.email]
    assert email.subject == "2 new jobs for “Ohio archivists” on ALA JobLIST"
    body = email.body
    assert "Hello Ada," in body
    assert "2 new jobs on ALA JobLIST match your saved search “Ohio archivists” (“archivist” · Ohio)" in body
    assert "Digital Archivist\nOhio History Connection - Columbus, OH - apply by" in body
    assert f"{settings.SITE_URL}{job.get_absolute_url()}\n" in body
    assert "Processing Archivist" in body and "Dayton, OH" in body
    # Newest first, as on the board.
    assert body.index("Digital Archivist") < body.index("Processing Archivist")
    assert "/joblist/?q=archivist&state=OH" in body
    assert "/joblist/alerts/unsubscribe/" in body


def test_only_jobs_published_since_the_last_email_and_matching_are_sent(run):
    saved(days_ago=3)
    ohio_archivist(title="Old Archivist", days_ago=5)  # published before the last email
    ohio_archivist(title="Illinois Archivist", state="IL", city="Chicago")  # another state
    ohio_archivist(title="Cataloger", description="Catalog the collections.")  # another word
    JobPostingFactory(title="Draft Archivist", city="Columbus", state="OH")  # not published
    ohio_archivist(title="Closed Archivist", application_deadline=timezone.localdate() - timedelta(days=1))
    ohio_archivist(title="New Archivist")

    run()

    [email] = mail.outbox
    assert "New Archivist" in email.body
    for title in ("Old Archivist", "Illinois Archivist", "Cataloger", "Draft Archivist", "Closed Archivist"):
        assert title not in email.body


def test_a_search_without_new_matches_sends_nothing(run):
    saved()

    assert run() == "0 job alert emails queued.\n"
    assert mail.outbox == []


def test_each_job_is_sent_once_and_a_later_job_comes_in_the_next_digest(run):
    search = saved()
    first = ohio_archivist(title="First Archivist")
    run()
    search.refresh_from_db()
    assert search.last_sent_at == first.published_at  # the newest sent job's time

    assert run() == "0 job alert emails queued.\n"
    assert len(mail.outbox) == 1

    ohio_archivist(title="Second Archivist", days_ago=0)
    run()
    assert len(mail.outbox) == 2
    assert "Second Archivist" in mail.outbox[1].body and "First Archivist" not in mail.outbox[1].body
    assert mail.outbox[1].subject == "1 new job for “Ohio archivists” on ALA JobLIST"


def test_a_search_named_after_its_criteria_is_not_described_twice(run):
    saved(name="“archivist” · Ohio")
    ohio_archivist()

    run()

    assert "matches your saved search ““archivist” · Ohio”:\n" in mail.outbox[0].body


def test_stopped_searches_and_deactivated_accounts_get_nothing(run):
    saved(is_active=False)
    saved(user=UserFactory(is_active=False))
    ohio_archivist()

    run()

    assert mail.outbox == []


def test_one_email_per_search_each_with_its_own_jobs(run):
    user = UserFactory()
    saved(user=user, name="Ohio archivists")
    saved(user=user, name="Remote jobs", criteria={"workplace": "remote"})
    ohio_archivist()
    published_job(title="Remote Cataloger", workplace=JobPosting.Workplace.REMOTE)

    run()

    by_subject = {email.subject: email.body for email in mail.outbox}
    assert set(by_subject) == {
        "1 new job for “Ohio archivists” on ALA JobLIST",
        "1 new job for “Remote jobs” on ALA JobLIST",
    }
    assert "Remote Cataloger" in by_subject["1 new job for “Remote jobs” on ALA JobLIST"]
    assert "Remote Cataloger" not in by_subject["1 new job for “Ohio archivists” on ALA JobLIST"]


def test_a_long_digest_lists_the_newest_and_links_to_the_rest(run):
    search = saved(criteria={"state": "OH"}, days_ago=10)
    for number in range(MAX_JOBS_PER_EMAIL + 3):
        ohio_archivist(title=f"Archivist {number:02d}", days_ago=1 + number / 10)

    run()

    [email] = mail.outbox
    assert email.subject == f"{MAX_JOBS_PER_EMAIL + 3} new jobs for “Ohio archivists” on ALA JobLIST"
    assert "Archivist 00" in email.body and f"Archivist {MAX_JOBS_PER_EMAIL + 2}" not in email.body
    assert "And 3 more: see them all on the board:" in email.body
    search.refresh_from_db()
    assert run() == "0 job alert emails queued.\n"  # the rest are on the board, not sent again


def test_the_email_carries_one_click_unsubscribe_headers_that_work_without_sign_in(run, client):
    search = saved()
    ohio_archivist()

    run()

    [email] = mail.outbox
    header = email.extra_headers["List-Unsubscribe"]
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = re.fullmatch(r"<(.+)>", header)[1]
    assert link in email.body
    path = urlsplit(link).path
    # The mail provider's one-click POST: no session, no CSRF token.
    response = client.post(path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    search.refresh_from_db()
    assert not search.is_active
    ohio_archivist(title="After Unsubscribing", days_ago=0)
    run()
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_search_once(file_database):
    """Both runs read the search before either moves its mark: only the conditional update decides."""
    search = saved()
    ohio_archivist()
    copies = [SavedSearch.objects.select_related("user").get(pk=search.pk) for _ in range(2)]
    now = timezone.now()
    results = []

    errors = run_at_once(lambda copy: results.append(send_alert(copy, now)), copies)

    assert errors == []  # no "database is locked", no deadlock
    assert sorted(results) == [False, True]
    assert len(mail.outbox) == 1
