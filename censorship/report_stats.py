"""Figures from challenge reports for the public data page (/censorship/data/).

Only reports whose reporters answered "yes" to "May we disclose additional information in public
reports?" count, and no group smaller than MINIMUM_GROUP is ever shown: a small count could point
at one school or one person.
"""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .models import ChallengeReport

MINIMUM_GROUP = 5


def _shown(count):
    """The count itself, or None for a group of 1 to MINIMUM_GROUP - 1 reports ("fewer than 5")."""
    return count if count >= MINIMUM_GROUP else None


def consented_report_counts():
    """Counts of consenting reports, each group's count or None when it is under MINIMUM_GROUP.

    Returns a dict of three dicts, each in a stable order; a group with no report is left out:

    - "by_year": {year: count}, the year the challenge happened (ascending);
    - "by_reason": {reason label: count}, in ChallengeReport.Reason's order; a report naming
      several kinds of reasons counts once under each, so these do not add up to the reports;
    - "by_institution_type": {institution type label: count}, in InstitutionType's order.

    A None means "fewer than 5": show it so (never 0), and never derive it from a total.
    For example: {"by_year": {2025: 12, 2026: None}, "by_reason": {"LGBTQIA+ content": 7},
    "by_institution_type": {"Public library": 9, "School or school library": None}}.
    """
    reports = ChallengeReport.objects.consented()

    years = (
        reports.annotate(year=ExtractYear("occurred_on")).values("year").annotate(count=Count("pk")).order_by("year")
    )
    by_year = {row["year"]: _shown(row["count"]) for row in years}

    reasons = Counter(
        code for codes in reports.values_list("reason_categories", flat=True) for code in set(codes or [])
    )
    by_reason = {label: _shown(reasons[code]) for code, label in ChallengeReport.Reason.choices if reasons[code]}

    institutions = dict(reports.values_list("institution_type").annotate(count=Count("pk")).order_by())
    by_institution_type = {
        label: _shown(institutions[code])
        for code, label in ChallengeReport.InstitutionType.choices
        if institutions.get(code)
    }

    return {"by_year": by_year, "by_reason": by_reason, "by_institution_type": by_institution_type}
