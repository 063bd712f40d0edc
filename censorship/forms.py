"""The book résumé directory's search and filters (a GET form: nothing is stored)."""

from django import forms

from .models import AGE_RANGES, BookResume

SEARCH_MAX_LENGTH = 100


class ResumeFilterForm(forms.Form):
    q = forms.CharField(label="Title or author", required=False, max_length=SEARCH_MAX_LENGTH)
    age = forms.ChoiceField(
        label="Age range",
        required=False,
        choices=[("", "All ages"), *((key, label) for key, (label, _low, _high) in AGE_RANGES.items())],
    )
    format = forms.ChoiceField(
        label="Format", required=False, choices=[("", "All formats"), *BookResume.Format.choices]
    )

    def __init__(self, data=None, **kwargs):
        if data is not None:
            # A search longer than the box allows is cut, not refused: nothing here can go wrong.
            data = data.copy()
            if "q" in data:
                data["q"] = data["q"][:SEARCH_MAX_LENGTH]
        super().__init__(data, **kwargs)

    def filters(self):
        """The valid filters typed; an unknown age range or format is ignored, never an error page."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return {
            "q": cleaned.get("q", "").strip(),
            "age": cleaned.get("age", ""),
            "format": cleaned.get("format", ""),
        }

    def apply(self, resumes):
        chosen = self.filters()
        if chosen["q"]:
            resumes = resumes.search(chosen["q"])
        if chosen["age"]:
            resumes = resumes.for_ages(chosen["age"])
        if chosen["format"]:
            resumes = resumes.filter(format=chosen["format"])
        return resumes, chosen
