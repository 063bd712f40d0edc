"""The form that saves the board's current search (its criteria come from JobSearchForm)."""

from django import forms

from ala_site.forms import HoneypotMixin

from .models import SavedSearch

NAME_LENGTH = SavedSearch._meta.get_field("name").max_length


class SaveSearchForm(HoneypotMixin):
    name = forms.CharField(
        label="Name this search",
        max_length=NAME_LENGTH,
        required=False,
        strip=True,
        help_text="Left empty, it is named after what you searched for.",
        error_messages={"max_length": "Keep the name to %(limit_value)d characters (it has %(show_value)d)."},
    )
