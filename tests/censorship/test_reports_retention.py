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

    # 2024's 4 reports alone would be "fewer than 5", and 10 - 6 would tell it: pooled with 2025.
    assert counts["by_year"] == {"All years, together": 10}
    assert counts["by_reason"] == {"LGBTQIA+ content": 10, "Violence": None}
    assert counts["by_institution_type"] == {"All kinds of library, together": 10}


def test_a_small_group_cannot_be_worked_out_from_the_total():
    # 2023: 9, 2024: 6, 2025: 2 and 2026: 1 consenting reports; 12 public, 3 school, 3 academic.
    for year, kinds in [
        (2023, ["public"] * 9),
        (2024, ["public"] * 3 + ["school"] * 3),
        (2025, ["academic"] * 2),
        (2026, ["academic"]),
    ]:
        for kind in kinds:
            ChallengeReportFactory(occurred_on=date(year, 3, 1), institution_type=kind)
    ChallengeReportFactory.create_batch(3, may_disclose=False, occurred_on=date(2026, 3, 1))

    counts = consented_report_counts()

    # 2025 and 2026 together make 3, under 5: the smallest shown year (2024) joins them.
    assert counts["by_year"] == {2023: 9, "Other years, together": 9}
    assert counts["by_institution_type"] == {"Public library": 12, "Other kinds of library, together": 6}
    for table in ("by_year", "by_institution_type"):
        shown = list(counts[table].values())
        assert all(count >= MINIMUM_GROUP for count in shown), table
        assert sum(shown) == 18  # every consenting report is in a row: nothing left to subtract


def test_fewer_than_five_consenting_reports_show_nothing():
    ChallengeReportFactory.create_batch(4, reason_categories=["lgbtqia"])
    ChallengeReportFactory.create_batch(6, may_disclose=False)

    assert consented_report_counts() == {"by_year": {}, "by_reason": {}, "by_institution_type": {}}


def test_no_reports_give_empty_counts():
    assert consented_report_counts() == {"by_year": {}, "by_reason": {}, "by_institution_type": {}}
