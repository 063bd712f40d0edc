"""The forms of saved searches: save the board's current search (its criteria come from JobSearchForm),
and the buttons that change one (stop or resume its emails, delete it, unsubscribe by link)."""

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


class SearchActionForm(HoneypotMixin):
    """A button that changes a saved search: the honeypot, nothing to type.

    A mail provider's one-click unsubscribe (RFC 8058) posts no honeypot field at all, which
    passes: only a filled-in trap is refused.
    """

    def first_error(self):
        return next((error for errors in self.errors.values() for error in errors), "")
