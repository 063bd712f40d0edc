import re

from django import forms

from ala_site.forms import HoneypotMixin

from .models import Interest
from .places import STATE_NAMES, STATES, state_for_zip

ZIP_PATTERN = re.compile(r"\d{5}(-\d{4})?")


class AlertSignUpForm(HoneypotMixin):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": "Enter your email address.",
            "invalid": "Enter an email address like name@example.org.",
        },
    )
    name = forms.CharField(
        label="Your name",
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={
            "required": "Enter your name.",
            "max_length": "Keep your name to %(limit_value)d characters (it has %(show_value)d).",
        },
    )
    zip_code = forms.CharField(
        label="ZIP code",
        max_length=10,
        help_text="Five digits, like 60601. We use it to send alerts about your state.",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
        error_messages={
            "required": "Enter your ZIP code.",
            "max_length": "Enter a five-digit ZIP code, like 60601 (or ZIP+4, like 60601-7500).",
        },
    )
    state = forms.ChoiceField(
        label="State",
        choices=[("", "Work it out from my ZIP code"), *STATES],
        required=False,
        help_text="Choose only if your ZIP code is near a state line, or we cannot tell your state from it.",
        error_messages={"invalid_choice": "Choose a state from the list."},
    )
    interests = forms.MultipleChoiceField(
        label="Topics you care about",
        choices=Interest.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leave them all unticked to get alerts on every topic.",
        error_messages={"invalid_choice": "Choose topics from the list."},
    )

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    def clean_name(self):
        # A name is shown in emails as plain text; line breaks would only spoil the greeting.
        return " ".join(self.cleaned_data["name"].split())

    def clean_zip_code(self):
        value = self.cleaned_data["zip_code"].strip()
        if not ZIP_PATTERN.fullmatch(value):
            raise forms.ValidationError("Enter a five-digit ZIP code, like 60601 (or ZIP+4, like 60601-7500).")
        return value

    def clean(self):
        cleaned = super().clean()
        zip_code = cleaned.get("zip_code")
        if zip_code and not cleaned.get("state"):
            derived = state_for_zip(zip_code)
            if derived:
                cleaned["state"] = derived
            else:
                self.add_error("state", f"We cannot tell the state from ZIP code {zip_code}: choose your state.")
        return cleaned

    def state_name(self):
        return STATE_NAMES.get(self.cleaned_data.get("state", ""), "")
