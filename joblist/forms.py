"""JobLIST forms: the board's search and filters (shared by saved searches)."""

from decimal import Decimal

from django import forms

from ala_site.us_states import US_STATES

from .models import JobPosting

MAX_QUERY_LENGTH = 200


def _choices(label, choices):
    return [("", label), *choices]


class JobSearchForm(forms.Form):
    """The board's keyword search, filters and order, read from the query string.

    Bad input never fails the page: a value that is not one of the choices, or a salary that is not a
    number, is dropped with a message next to its field, and the board shows what the rest asks for.
    """

    ORDERS = [("newest", "Newest first"), ("salary", "Highest salary first")]

    q = forms.CharField(label="Keywords", required=False, max_length=MAX_QUERY_LENGTH, strip=True)
    state = forms.ChoiceField(label="State", required=False, choices=_choices("Any state", US_STATES))
    library_type = forms.ChoiceField(
        label="Library type", required=False, choices=_choices("Any library type", JobPosting.LibraryType.choices)
    )
    category = forms.ChoiceField(
        label="Category", required=False, choices=_choices("Any category", JobPosting.Category.choices)
    )
    job_type = forms.ChoiceField(
        label="Job type", required=False, choices=_choices("Full or part time", JobPosting.JobType.choices)
    )
    workplace = forms.ChoiceField(
        label="On-site or remote", required=False, choices=_choices("Any workplace", JobPosting.Workplace.choices)
    )
    min_salary = forms.DecimalField(
        label="Minimum yearly salary (USD)",
        required=False,
        min_value=Decimal("0"),
        max_value=Decimal("10000000"),
        decimal_places=0,
        max_digits=9,
        help_text="Hourly pay counts as 2,080 hours a year.",
    )
    order = forms.ChoiceField(label="Sort by", required=False, choices=ORDERS)

    CRITERIA = ("q", "state", "library_type", "category", "job_type", "workplace", "min_salary")

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # An overlong query is cut rather than refused: the visitor still gets results.
            data = data.copy()
            if len(data.get("q", "")) > MAX_QUERY_LENGTH:
                data["q"] = data["q"][:MAX_QUERY_LENGTH]
        super().__init__(data, *args, **kwargs)

    def criteria(self):
        """The valid criteria as plain JSON-able values (for JobPostingQuerySet.matching and saved searches)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        criteria = {}
        for name in self.CRITERIA:
            value = cleaned.get(name)
            if value not in (None, ""):
                criteria[name] = int(value) if name == "min_salary" else value
        return criteria

    def sort_order(self):
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("order") or "newest"

    def describe(self):
        """The criteria in words, e.g. “librarian” · Ohio · Public (for saved searches and digests)."""
        return describe_criteria(self.criteria())


def describe_criteria(criteria):
    labels = {
        "state": dict(US_STATES),
        "library_type": dict(JobPosting.LibraryType.choices),
        "category": dict(JobPosting.Category.choices),
        "job_type": dict(JobPosting.JobType.choices),
        "workplace": dict(JobPosting.Workplace.choices),
    }
    parts = []
    if criteria.get("q"):
        parts.append(f"“{criteria['q']}”")
    for name, names in labels.items():
        if criteria.get(name):
            parts.append(str(names.get(criteria[name], criteria[name])))
    if criteria.get("min_salary"):
        parts.append(f"at least ${criteria['min_salary']:,} a year")
    return " · ".join(parts) or "All jobs"
