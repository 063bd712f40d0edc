from urllib.parse import urlsplit

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.template.loader import render_to_string

from .consent import CATEGORIES
from .emails import queue_email


class CookieConsentForm(forms.Form):
    ACCEPT_ALL = "accept_all"
    REJECT = "reject"
    SAVE = "save"

    choice = forms.ChoiceField(
        choices=[(ACCEPT_ALL, "Accept all"), (REJECT, "Reject non-essential"), (SAVE, "Save my choices")],
        error_messages={"required": "Choose one of the buttons.", "invalid_choice": "Choose one of the buttons."},
    )
    categories = forms.MultipleChoiceField(
        label="Optional cookies",
        choices=[(name, label) for name, (label, _) in CATEGORIES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "“%(value)s” is not a cookie category."},
    )
    # The page the visitor was on. A long address (a search with many filters) is no reason to
    # refuse their choice: past MAX_NEXT it falls back to the page's path, without the query.
    next = forms.CharField(required=False, widget=forms.HiddenInput)
    MAX_NEXT = 500
    # The page renders its own buttons and boxes (ids of its own): the summary tells these errors.
    error_summary_text_only = ("choice", "categories")

    def clean_next(self):
        return shorten_next(self.cleaned_data["next"], self.MAX_NEXT)

    def accepted(self):
        choice = self.cleaned_data["choice"]
        if choice == self.ACCEPT_ALL:
            return set(CATEGORIES)
        if choice == self.REJECT:
            return set()
        return set(self.cleaned_data["categories"])


def shorten_next(value, limit):
    """`value` if it is at most `limit` characters, else its path alone, else nothing."""
    if len(value) <= limit:
        return value
    path = urlsplit(value).path
    return path if len(path) <= limit else ""


class HoneypotMixin(forms.Form):
    """A field people never see and bots fill in; a filled one rejects the submission."""

    website = forms.CharField(
        label="Leave this empty",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1", "class": "form-control"}),
    )
    # People never see the field (ala_site/_honeypot.html), so the error summary must not link to it.
    error_summary_text_only = ("website",)

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError("This submission looks automated: leave the last field empty.")
        return ""


class PasswordResetRequestForm(HoneypotMixin, PasswordResetForm):
    """Django's password reset form, with the honeypot every public form carries.

    Its email goes through the site's queue like every other, so a down mail server never
    fails the page (Django's own form sends inside the request).
    """

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        html_body = render_to_string(html_email_template_name, context) if html_email_template_name else None
        queue_email(subject, body, to_email, from_email=from_email, html_body=html_body)
