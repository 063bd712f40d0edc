from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib.auth.forms import SetPasswordMixin

from ala_site.forms import HoneypotMixin

from .models import Donation, Membership, MembershipType, User

PREFERENCE_FIELDS = ["news_emails", "advocacy_emails", "elearning_emails"]
# Given here because Django would capitalise "eLearning" into "ELearning".
PREFERENCE_LABELS = {"elearning_emails": "eLearning announcements by email"}


class MembershipTypeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} — ${obj.annual_dues:,.2f} a year"


def membership_type_field():
    return MembershipTypeChoiceField(
        queryset=MembershipType.objects.filter(is_active=True),
        widget=forms.RadioSelect,
        empty_label=None,
        label="Membership type",
        error_messages={"required": "Choose a membership type.", "invalid_choice": "Choose one of the listed types."},
    )


class JoinForm(HoneypotMixin, forms.ModelForm):
    """Choose a type, confirm eligibility and the code of conduct, and set email preferences."""

    membership_type = membership_type_field()
    confirm_eligibility = forms.BooleanField(
        label="I confirm I meet the eligibility requirements of the membership type I chose.",
        error_messages={"required": "Confirm that you are eligible for this membership type."},
    )
    accept_code_of_conduct = forms.BooleanField(
        label="I agree to follow the ALA Code of Conduct.",
        error_messages={"required": "Members agree to the Code of Conduct; tick the box to continue."},
    )

    class Meta:
        model = Membership
        fields = ["membership_type", *PREFERENCE_FIELDS]
        labels = PREFERENCE_LABELS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance._state.adding:
            # Consent to email is opt-in: every box starts unticked for a new member, whatever the
            # model's default. A membership already stored shows the choices it holds.
            for name in PREFERENCE_FIELDS:
                self.initial[name] = False


class AccountForm(SetPasswordMixin, forms.Form):
    """The account a visitor creates on the join page; the email is verified by a link.

    Whether the address already has an account is deliberately not checked here: the join page
    answers the same either way and tells only the address's owner, by email (views.join).
    """

    email = User._meta.get_field("email").formfield(
        help_text="You will log in with it; we send a link to confirm it.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    first_name = User._meta.get_field("first_name").formfield(
        required=True, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = User._meta.get_field("last_name").formfield(
        required=True, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    password1, password2 = SetPasswordMixin.create_password_fields()

    def clean_email(self):
        return User.objects.normalize_email(self.cleaned_data["email"]).strip()

    def clean(self):
        cleaned = super().clean()
        self.validate_passwords()
        # The similarity check compares the password with the name and address just typed.
        self.validate_password_for_user(self.unsaved_user())
        return cleaned

    def unsaved_user(self):
        return User(
            email=self.cleaned_data.get("email", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
        )

    def save(self):
        """Insert the user; an address taken in any case raises IntegrityError (the caller decides)."""
        return self.set_password_and_save(self.unsaved_user())


class RenewForm(HoneypotMixin, forms.Form):
    membership_type = membership_type_field()


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True  # the name goes on membership cards and receipts


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = PREFERENCE_FIELDS
        labels = PREFERENCE_LABELS


class _BootstrapBoundField(forms.BoundField):
    """A field whose widget says when the field has errors (Bootstrap's is-invalid), as crispy did."""

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.use_fieldset:  # a set of radios marks each radio (_field.html)
            attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
        return attrs


class BootstrapFieldsMixin:
    """The listed fields render with templates/membership/_field.html, not crispy-forms' filter.

    Their widgets get, once, the classes crispy-forms added on every render: the widget's kind
    (textinput, select, ...) and Bootstrap's form-control, form-select or form-check-input.
    """

    bootstrap_fields = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.bootstrap_fields:
            field = self.fields[name]
            field.bound_field_class = _BootstrapBoundField
            widget = field.widget
            if widget.use_fieldset:
                continue  # radios: each gets form-check-input in the template
            if isinstance(widget, forms.CheckboxInput):
                bootstrap = "form-check-input"
            elif isinstance(widget, forms.Select):
                bootstrap = "form-select"
            else:
                bootstrap = "form-control"
            classes = widget.attrs.get("class", "").split()
            for css in (type(widget).__name__.lower(), bootstrap):
                if css not in classes:
                    classes.append(css)
            widget.attrs["class"] = " ".join(classes)


class DonationForm(BootstrapFieldsMixin, HoneypotMixin, forms.ModelForm):
    PRESETS = [Decimal("25"), Decimal("50"), Decimal("100"), Decimal("250")]
    MINIMUM = Decimal("1.00")
    MAXIMUM = Decimal("100000.00")

    preset_amount = forms.ChoiceField(
        label="Amount",
        choices=[(str(amount), f"${amount:,.0f}") for amount in PRESETS] + [("other", "Other amount")],
        widget=forms.RadioSelect,
        initial="50",
        error_messages={"required": "Choose an amount.", "invalid_choice": "Choose one of the amounts."},
    )
    other_amount = forms.CharField(
        label="Other amount (USD)",
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )

    bootstrap_fields = [
        "preset_amount", "other_amount", "fund", "dedication_type", "dedication_name", "name", "email", "is_anonymous"
    ]  # fmt: skip

    class Meta:
        model = Donation
        fields = ["fund", "dedication_type", "dedication_name", "is_anonymous", "name", "email"]
        labels = {"name": "Your name", "email": "Your email (for the receipt)"}
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            # Django leaves `required` off a select with no empty choice; say it another way.
            "fund": forms.Select(attrs={"aria-required": "true"}),
        }

    def clean(self):
        cleaned = super().clean()
        preset = cleaned.get("preset_amount")
        if preset == "other":
            raw = (cleaned.get("other_amount") or "").replace("$", "").replace(",", "").strip()
            try:
                amount = Decimal(raw)
                if not amount.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                self.add_error("other_amount", "Enter an amount in dollars, like 35 or 35.50.")
                return cleaned
            if amount < self.MINIMUM:
                self.add_error("other_amount", f"The smallest gift we can accept online is ${self.MINIMUM}.")
            elif amount > self.MAXIMUM:
                self.add_error(
                    "other_amount",
                    f"For gifts over ${self.MAXIMUM:,.0f} please contact our development office.",
                )
            elif amount != amount.quantize(Decimal("0.01")):
                self.add_error("other_amount", "Use at most two decimal places (cents).")
            else:
                cleaned["amount"] = amount
        elif preset and (typed := (cleaned.get("other_amount") or "").strip()):
            # An amount typed while a preset is chosen (the preset stays chosen without JavaScript):
            # which one the donor meant is theirs to say, so neither is charged silently.
            shown = None  # the typed amount, when it is one we could take
            try:
                amount = Decimal(typed.replace("$", "").replace(",", ""))
                if amount.is_finite() and self.MINIMUM <= amount <= self.MAXIMUM and amount == round(amount, 2):
                    shown = f"${amount:,.2f}"
            except InvalidOperation:
                pass
            preset_shown = f"${Decimal(preset):,.0f}"
            if shown:
                message = (
                    f"You chose {preset_shown} and also typed {shown}. Choose “Other amount” to give {shown}, "
                    f"or clear this box to give {preset_shown}."
                )
            else:
                message = (
                    f"You chose {preset_shown} and also typed an amount in this box. Choose “Other amount” "
                    f"and enter it like 35 or 35.50, or clear this box to give {preset_shown}."
                )
            self.add_error("other_amount", message)
        elif preset:
            cleaned["amount"] = Decimal(preset)
        if cleaned.get("dedication_type") and not cleaned.get("dedication_name", "").strip():
            self.add_error("dedication_name", "Give the name of the person you dedicate the gift to.")
        return cleaned

    def save(self, commit=True):
        self.instance.amount = self.cleaned_data["amount"]
        if not self.instance.dedication_type:
            self.instance.dedication_name = ""
        return super().save(commit=commit)
