"""Retention of reporters' contact details, and the consented figures for the data page."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from censorship.models import ChallengeReport, ReportNote
from censorship.report_stats import MINIMUM_GROUP, consented_report_counts

from .report_factories import ChallengeReportFactory, private_reports_root  # noqa: F401

pytestmark = pytest.mark.django_db


def purge(*args):
    out = StringIO()
    call_command("purge_report_contacts", *args, stdout=out)
    return out.getvalue()


def test_contact_details_are_removed_after_the_retention_period_and_the_report_stays(settings):
    settings.REPORT_CONTACT_RETENTION_DAYS = 30
    now = timezone.now()
    old = ChallengeReportFactory(created_at=now - timedelta(days=31))
    recent = ChallengeReportFactory(created_at=now - timedelta(days=29))
    anonymous = ChallengeReportFactory(
        created_at=now - timedelta(days=90), reporter_name="", reporter_email="", reporter_phone=""
    )

    assert "1 report(s)" in purge("--dry-run")
    assert ChallengeReport.objects.get(pk=old.pk).reporter_email  # a dry run changes nothing
    output = purge()

    assert "Removed the contact details from 1 report(s) older than 30 days." in output
    old.refresh_from_db()
    assert (old.reporter_name, old.reporter_email, old.reporter_phone) == ("", "", "")
    assert old.contact_removed_at is not None
    assert old.description and old.institution_name == "Springfield Public Library"  # the report stays
    [note] = ReportNote.objects.filter(report=old)
    assert note.kind == ReportNote.Kind.RETENTION and "30 days" in note.text
    recent.refresh_from_db()
    assert recent.reporter_email and recent.contact_removed_at is None
    anonymous.refresh_from_db()
    assert anonymous.contact_removed_at is None and not anonymous.notes.exists()

    assert "from 0 report(s)" in purge()  # run again: nothing left to do, nothing recorded twice
    assert ReportNote.objects.count() == 1


def test_consented_counts_leave_out_refusals_and_hide_groups_under_five():
    assert MINIMUM_GROUP == 5
    ChallengeReportFactory.create_batch(
        6, occurred_on=date(2025, 5, 1), reason_categories=["lgbtqia"], institution_type="school"
    )
    ChallengeReportFactory.create_batch(
        4, occurred_on=date(2024, 5, 1), reason_categories=["lgbtqia", "violence"], institution_type="public"
    )
    # Refused consent: never counted, however many.
    ChallengeReportFactory.create_batch(
        7, may_disclose=False, occurred_on=date(2023, 1, 1), reason_categories=["religion"], institution_type="academic"
    )

    counts = consented_report_counts()

    assert counts["by_year"] == {2024: None, 2025: 6}
    assert counts["by_reason"] == {"LGBTQIA+ content": 10, "Violence": None}
    assert counts["by_institution_type"] == {"Public library": None, "School or school library": 6}


def test_no_reports_give_empty_counts():
    assert consented_report_counts() == {"by_year": {}, "by_reason": {}, "by_institution_type": {}}
