"""Figures from challenge reports for the public data page (/censorship/data/).

Only reports whose reporters answered "yes" to "May we disclose additional information in public
reports?" count, and no group smaller than MINIMUM_GROUP is ever shown, nor can be worked out: a
small count could point at one school or one person.

Working it out is the danger with groups that divide the reports between them (every report has
one year and one kind of library): were one small group merely marked "fewer than 5", the
others' counts taken from the total (which the other table gives) would tell its count. So in
those tables the small groups are pooled into one "other" row, with as many of the smallest
shown groups as it takes for the pool to reach MINIMUM_GROUP, and the pool's members are not
named. Kinds of reasons overlap (a report may name several) and add up to no total, so a small
one is simply shown as "fewer than 5". Under MINIMUM_GROUP consenting reports in all, nothing is
shown.
"""

from collections import Counter

from django.db.models import Count
from django.db.models.functions import ExtractYear

from .models import ChallengeReport

MINIMUM_GROUP = 5
OTHER_YEARS, ALL_YEARS = "Other years, together", "All years, together"
OTHER_INSTITUTIONS, ALL_INSTITUTIONS = "Other kinds of library, together", "All kinds of library, together"


def _shown(count):
    """The count itself, or None for a group of 1 to MINIMUM_GROUP - 1 reports ("fewer than 5")."""
    return count if count >= MINIMUM_GROUP else None


def pooled(counts, other_label, all_label):
    """`counts` ({group: count}, every report in exactly one group) with no count under MINIMUM_GROUP
    left to show or to work out: the small groups, and the smallest others as needed, become one
    row `other_label` (`all_label` when every group went into it), last, of at least MINIMUM_GROUP.
    """
    counts = {group: count for group, count in counts.items() if count}
    pool = {group for group, count in counts.items() if count < MINIMUM_GROUP}
    if not pool:
        return counts
    # Add the smallest shown groups (the first in order on a tie) until the pool is big enough.
    for group in sorted(counts, key=counts.get):  # a stable sort: ties keep their order
        if sum(counts[member] for member in pool) >= MINIMUM_GROUP:
            break
        pool.add(group)
    shown = {group: count for group, count in counts.items() if group not in pool}
    shown[other_label if shown else all_label] = sum(counts[member] for member in pool)
    return shown


def consented_report_counts():
    """Counts of consenting reports, none under MINIMUM_GROUP (see the module's docstring).

    Returns a dict of three dicts, each in a stable order; a group with no report is left out:

    - "by_year": {year: count}, the year the challenge happened (ascending), then OTHER_YEARS for
      the pooled years, if any (ALL_YEARS if every year went into the pool);
    - "by_reason": {reason label: count or None}, in ChallengeReport.Reason's order, None for a
      kind named in fewer than MINIMUM_GROUP reports; a report naming several kinds of reasons
      counts once under each, so these do not add up to the reports;
    - "by_institution_type": {institution type label: count}, in InstitutionType's order, then
      OTHER_INSTITUTIONS (or ALL_INSTITUTIONS) for the pooled kinds, if any.

    A None means "fewer than 5": show it so (never 0). All three are empty when fewer than
    MINIMUM_GROUP reports consent. For example: {"by_year": {2025: 12, "Other years, together": 6},
    "by_reason": {"LGBTQIA+ content": 7, "Violence": None}, "by_institution_type": {"Public
    library": 9, "Other kinds of library, together": 9}}.
    """
    reports = ChallengeReport.objects.consented()

    years = (
        reports.annotate(year=ExtractYear("occurred_on")).values("year").annotate(count=Count("pk")).order_by("year")
    )
    year_counts = {row["year"]: row["count"] for row in years}
    if sum(year_counts.values()) < MINIMUM_GROUP:
        return {"by_year": {}, "by_reason": {}, "by_institution_type": {}}
    by_year = pooled(year_counts, OTHER_YEARS, ALL_YEARS)

    reasons = Counter(
        code for codes in reports.values_list("reason_categories", flat=True) for code in set(codes or [])
    )
    by_reason = {label: _shown(reasons[code]) for code, label in ChallengeReport.Reason.choices if reasons[code]}

    institutions = dict(reports.values_list("institution_type").annotate(count=Count("pk")).order_by())
    institution_counts = {
        label: institutions[code] for code, label in ChallengeReport.InstitutionType.choices if institutions.get(code)
    }
    by_institution_type = pooled(institution_counts, OTHER_INSTITUTIONS, ALL_INSTITUTIONS)

    return {"by_year": by_year, "by_reason": by_reason, "by_institution_type": by_institution_type}
