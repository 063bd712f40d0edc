"""Two staff move the same report at once from pages opened before either acted: one moves it,
the other is told it already moved; never two state changes recorded. Real threads, on SQLite
(the write lock taken at BEGIN) and on PostgreSQL (the report's row lock)."""

import contextlib
import threading

import pytest

from censorship.models import ChallengeReport, ReportNote, ReportStateError
from tests.concurrency import run_at_once
from tests.factories import StaffFactory

from .report_factories import ChallengeReportFactory, private_reports_root  # noqa: F401


@pytest.mark.django_db(transaction=True)
def test_two_staff_starting_the_review_at_once_record_one_change(file_database, monkeypatch):
    report = ChallengeReportFactory()
    staff = [StaffFactory(), StaffFactory()]
    # Each waits for the other after reading the state: without the lock both would see "new".
    checked = threading.Barrier(len(staff), timeout=1)
    allowed_statuses = ChallengeReport.allowed_statuses

    def allowed_then_wait(self):
        allowed = allowed_statuses(self)
        with contextlib.suppress(threading.BrokenBarrierError):
            checked.wait()
        return allowed

    monkeypatch.setattr(ChallengeReport, "allowed_statuses", allowed_then_wait)

    def own_copy(user):
        return ChallengeReport.objects.get(pk=report.pk), user

    errors = run_at_once(lambda ready: ready[0].start_review(by=ready[1]), staff, prepare=own_copy)

    assert [type(error) for error in errors] == [ReportStateError], errors
    assert "already “In review”" in str(errors[0])
    assert ReportNote.objects.filter(report=report, kind=ReportNote.Kind.STATUS).count() == 1
    report.refresh_from_db()
    assert report.status == ChallengeReport.Status.IN_REVIEW
