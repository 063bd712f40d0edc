"""The registration buttons' forms: nothing to type, but the honeypot every public form carries."""

from ala_site.forms import HoneypotMixin


class RegistrationActionForm(HoneypotMixin):
    """Register, cancel, take or decline an offered seat: one button, and the honeypot."""

    def first_error(self):
        return next((error for errors in self.errors.values() for error in errors), "")
