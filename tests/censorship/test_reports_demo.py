"""Demo reports: found by their references, never added twice, never overwriting staff's work."""

import pytest

from censorship import demo_reports
from censorship.models import ChallengeReport
from censorship.report_stats import consented_report_counts
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_demo_reports_are_added_once_and_staff_work_on_them_stays():
    demo_reports.seed(log=lambda message: None)
    count = ChallengeReport.objects.count()
    report = ChallengeReport.objects.order_by("pk").first()
    report.close(by=StaffFactory(), outcome=ChallengeReport.Outcome.RETAINED)

    demo_reports.seed(log=lambda message: None)

    assert ChallengeReport.objects.count() == count > 5
    report.refresh_from_db()
    assert (report.status, report.outcome) == ("closed", "retained")
    assert ChallengeReport.objects.filter(reporter_email="").exists()  # some are anonymous
    assert any(value for value in consented_report_counts()["by_reason"].values())  # figures to show


def test_volume_adds_that_many_more():
    demo_reports.seed(log=lambda message: None)
    before = ChallengeReport.objects.count()

    demo_reports.seed(volume=30, log=lambda message: None)
    demo_reports.seed(volume=30, log=lambda message: None)

    assert ChallengeReport.objects.count() == before + 30
