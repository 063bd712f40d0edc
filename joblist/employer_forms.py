"""The employer's forms: one form for a whole ad (employer, ad product, the job), and the buttons'.

What a person types is validated here with messages next to the fields; the model keeps the
rules every ad obeys (salary range in order, a way to apply) and this form adds what only a
person typing needs: a deadline not in the past, an apply link that is a web address, a cap on
every text so an absurd paste is refused rather than stored.
"""

from datetime import timedelta

from django import forms
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from ala_site.forms import HoneypotMixin
from ala_site.us_states import US_STATES

from .models import AdProduct, Employer, JobPosting, JobPostingError

MAX_BODY = 20_000  # characters of description or requirements; the longest real ads run to ~8,000
MAX_LOGO_BYTES = 2 * 1024 * 1024
LATEST_DEADLINE = timedelta(days=366)
NEW_EMPLOYER = "new"
# The employer edits an ad before paying, and after a rejection; what staff approved stays as approved.
EDITABLE_STATES = (JobPosting.Status.DRAFT, JobPosting.Status.REJECTED)
# Why the salary is asked for (the facts JobLIST gives employers), shown above the salary fields.
SALARY_NOTE = (
    "A salary range is requested for every ad, though it is not required. ALA's minimum recommended "
    "salary for a professional librarian is $45,282 a year."
)


class ActionForm(HoneypotMixin):
    """A button that changes an ad (pay, resubmit, withdraw, repost): the honeypot, nothing to type."""

    def first_error(self):
        return next((error for errors in self.errors.values() for error in errors), "")


class ProductChoiceField(forms.ModelChoiceField):
    """The ad products as radio buttons, each with the price this person pays."""

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def label_from_instance(self, product):
        price = product.price_for(self.user)
        label = f"{product.name}: ${price:,.2f}"
        if price < product.price:
            label += f" (organizational member price; ${product.price:,.2f} for others)"
        if product.description:
            label += f" — {product.description}"
        return label


class JobPostingForm(HoneypotMixin, forms.ModelForm):
    """A whole ad on one page. `user` is the employer's account; `with_product` False for an ad that
    is paid for already (a rejected ad being corrected), whose product cannot change."""

    employer_choice = forms.ChoiceField(
        label="Which employer is this ad for?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the employer, or add a new one.", "invalid_choice": "Choose one of yours."},
    )
    employer_name = forms.CharField(label="Employer name", max_length=200, required=False)
    employer_city = forms.CharField(label="City", max_length=100, required=False)
    employer_state = forms.ChoiceField(label="State", choices=[("", "Choose the state")] + US_STATES, required=False)
    employer_website = forms.URLField(
        label="Website",
        max_length=300,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter the website's address, like https://library.example.org/."},
    )
    employer_logo = forms.ImageField(
        label="Logo (optional)",
        required=False,
        help_text=f"A PNG or JPEG, at most {filesizeformat(MAX_LOGO_BYTES)}.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    employer_logo_alt = forms.CharField(
        label="Describe the logo (alt text)",
        max_length=250,
        required=False,
        help_text="Needed with a logo: what it shows, for people who cannot see it (e.g. “Riverside Library logo”).",
    )

    # Declared here, not made from the model: the model also takes a site path (validate_link), and an
    # apply link must be a web address.
    apply_url = forms.URLField(
        label="Apply online at",
        help_text="A web address starting with https:// (or http://). Give this or an email address.",
        max_length=500,
        required=False,
        assume_scheme="https",
        error_messages={"invalid": "Enter a web address starting with https:// (or http://)."},
    )

    field_order = ["employer_choice"]

    class Meta:
        model = JobPosting
        fields = [
            "ad_product",
            "title",
            "city",
            "state",
            "workplace",
            "library_type",
            "category",
            "job_type",
            "salary_min",
            "salary_max",
            "salary_period",
            "description",
            "requirements",
            "apply_url",
            "apply_email",
            "application_deadline",
        ]
        labels = {
            "title": "Job title",
            "workplace": "On-site, hybrid or remote",
            "job_type": "Full or part time",
            "salary_min": "Salary from (USD)",
            "salary_max": "Salary up to (USD)",
            "salary_period": "Salary period",
            "description": "Description of the job",
            "requirements": "Requirements (optional)",
            "apply_email": "Or apply by email to",
            "application_deadline": "Application deadline (optional)",
        }
        help_texts = {
            "application_deadline": "Year-month-day, like 2027-03-31. The ad leaves the board after this day.",
        }
        widgets = {
            "workplace": forms.RadioSelect,
            "job_type": forms.RadioSelect,
            "salary_min": forms.NumberInput(attrs={"inputmode": "decimal", "min": "0", "step": "0.01"}),
            "salary_max": forms.NumberInput(attrs={"inputmode": "decimal", "min": "0", "step": "0.01"}),
            "description": forms.Textarea(attrs={"rows": 12}),
            "requirements": forms.Textarea(attrs={"rows": 6}),
            "apply_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            # A plain text box, not a date picker: Chromium's picker makes month, day and year
            # separate tab stops inside one element (as the censorship report form explains).
            "application_deadline": forms.DateInput(format="%Y-%m-%d", attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "title": {
                "required": "Give the job a title.",
                "max_length": "Keep the title to %(limit_value)d characters (it has %(show_value)d).",
            },
            "city": {"required": "Say in which city the job is."},
            "state": {"required": "Choose the state.", "invalid_choice": "Choose one of the states."},
            "workplace": {"required": "Say whether the job is on-site, hybrid or remote."},
            "library_type": {"required": "Choose the type of library."},
            "category": {"required": "Choose the kind of job."},
            "job_type": {"required": "Say whether the job is full or part time."},
            "description": {"required": "Describe the job."},
            "application_deadline": {"invalid": "Enter the date as year-month-day, like 2027-03-31."},
        }

    def __init__(self, *args, user, with_product=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.employers = list(user.employers.order_by("name")) if user.is_authenticated else []
        choices = [(str(employer.pk), employer_label(employer)) for employer in self.employers]
        self.fields["employer_choice"].choices = [*choices, (NEW_EMPLOYER, "A new employer")]
        if self.instance.employer_id:
            self.fields["employer_choice"].initial = str(self.instance.employer_id)
        elif self.employers:
            self.fields["employer_choice"].initial = str(self.employers[0].pk)
        else:
            self.fields["employer_choice"].initial = NEW_EMPLOYER

        if with_product:
            products = AdProduct.objects.filter(is_active=True).prefetch_related("discounted_membership_types")
            self.fields["ad_product"] = ProductChoiceField(
                queryset=products,
                user=user,
                label="Ad",
                widget=forms.RadioSelect,
                empty_label=None,
                error_messages={
                    "required": "Choose the ad you want to buy.",
                    "invalid_choice": "That ad is no longer on sale: choose another.",
                },
            )
            self.fields["ad_product"].initial = self.instance.ad_product_id or next(
                (product.pk for product in products), None
            )
        else:
            del self.fields["ad_product"]

        for name in ("description", "requirements"):
            field = self.fields[name]
            field.max_length = MAX_BODY
            field.widget.attrs["maxlength"] = str(MAX_BODY)
            field.validators.append(MaxLengthValidator(MAX_BODY))
            field.error_messages["max_length"] = (
                f"Keep this to {MAX_BODY:,} characters (it has %(show_value)d): link to the full description instead."
            )
        self.salary_note = SALARY_NOTE
        # Radio buttons offer the real choices only (no "---------" to pick); a select says what to choose.
        self.fields["workplace"].choices = JobPosting.Workplace.choices
        self.fields["job_type"].choices = JobPosting.JobType.choices
        self.fields["salary_period"].choices = JobPosting.SalaryPeriod.choices
        for name, prompt in (
            ("state", "Choose the state"),
            ("library_type", "Choose the type of library"),
            ("category", "Choose the kind of job"),
        ):
            self.fields[name].choices = [("", prompt), *self.fields[name].choices[1:]]
        # A period goes with a salary, which is not required: an empty one means "per year".
        self.fields["salary_period"].required = False
        for name in ("salary_min", "salary_max"):
            self.fields[name].error_messages.update(
                {
                    "invalid": "Enter an amount in dollars, like 52000 or 24.50.",
                    "max_digits": "That is more than we can show: enter the amount in dollars, like 52000.",
                    "max_whole_digits": "That is more than we can show: enter the amount in dollars, like 52000.",
                    "max_decimal_places": "Use at most two decimal places (cents).",
                    "min_value": "A salary cannot be below zero.",
                }
            )

    @property
    def new_employer_fields(self):
        return [self[name] for name in ("employer_name", "employer_city", "employer_state", "employer_website")]

    def clean_salary_period(self):
        return self.cleaned_data["salary_period"] or JobPosting.SalaryPeriod.YEAR

    def clean_apply_url(self):
        url = self.cleaned_data["apply_url"]
        if url and not url.lower().startswith(("https://", "http://")):
            raise forms.ValidationError("Enter a web address starting with https:// (or http://).")
        return url

    def clean_application_deadline(self):
        deadline = self.cleaned_data["application_deadline"]
        today = timezone.localdate()
        if deadline and deadline < today:
            raise forms.ValidationError("The deadline has passed: give a date from today on, or leave it empty.")
        if deadline and deadline > today + LATEST_DEADLINE:
            raise forms.ValidationError("Give a deadline within a year from today, or leave it empty.")
        return deadline

    def clean_employer_logo(self):
        logo = self.cleaned_data.get("employer_logo")
        if logo and logo.size > MAX_LOGO_BYTES:
            raise forms.ValidationError(f"The logo is too large: at most {filesizeformat(MAX_LOGO_BYTES)}.")
        if logo and getattr(logo, "content_type", "") not in ("image/png", "image/jpeg"):
            raise forms.ValidationError("Upload the logo as a PNG or JPEG image.")
        return logo

    def clean(self):
        cleaned = super().clean()
        choice = cleaned.get("employer_choice")
        if choice == NEW_EMPLOYER:
            if not cleaned.get("employer_name", "").strip():
                self.add_error("employer_name", "Give the employer's name.")
            if cleaned.get("employer_logo") and not cleaned.get("employer_logo_alt", "").strip():
                self.add_error("employer_logo_alt", "Describe the logo for people who cannot see it.")
        elif choice:
            cleaned["employer"] = next(employer for employer in self.employers if str(employer.pk) == choice)
        return cleaned

    def _post_clean(self):
        super()._post_clean()
        # A link or an address typed but refused already says what is wrong with it; the model's
        # "say how to apply" (it saw neither, as the refused value never reached it) would contradict it.
        typed = any(self.data.get(self.add_prefix(name), "").strip() for name in ("apply_url", "apply_email"))
        if typed and self.has_error("apply_url", "no_way_to_apply"):
            rest = [error for error in self._errors["apply_url"].as_data() if error.code != "no_way_to_apply"]
            if rest:
                self._errors["apply_url"] = self.error_class(rest, renderer=self.renderer)
            else:
                del self._errors["apply_url"]

    @transaction.atomic
    def save_draft(self):
        """Save the ad (a new one is a draft of this person's) and, when named, the new employer;
        the person becomes one of the employer's contacts. All or nothing."""
        posting = super().save(commit=False)
        if posting.pk is not None:
            # Staff may have acted on the ad since the form was opened (under the same lock as theirs).
            status = JobPosting.objects.select_for_update().values_list("status", flat=True).get(pk=posting.pk)
            if status not in EDITABLE_STATES:
                raise JobPostingError(not_editable_reason(posting, status))
        employer = self.cleaned_data.get("employer")
        if employer is None:
            employer = Employer(
                name=self.cleaned_data["employer_name"].strip(),
                city=self.cleaned_data["employer_city"].strip(),
                state=self.cleaned_data["employer_state"],
                website=self.cleaned_data["employer_website"],
                image_alt=self.cleaned_data["employer_logo_alt"].strip() if self.cleaned_data["employer_logo"] else "",
                updated_by=self.user,
            )
            if self.cleaned_data["employer_logo"]:
                employer.image = self.cleaned_data["employer_logo"]
            employer.save()
        employer.contacts.add(self.user)
        posting.employer = employer
        if posting.pk is None:
            posting.posted_by = self.user
            posting.status = JobPosting.Status.DRAFT
        posting.updated_by = self.user
        posting.save()
        return posting


def employer_label(employer):
    return f"{employer.name} ({employer.location})" if employer.location else employer.name


def not_editable_reason(posting, status=None):
    status = status or posting.status
    if status == JobPosting.Status.PENDING:
        return (
            f"“{posting.title}” is waiting for review and cannot be changed now. To change it, withdraw it and "
            "repost it, or write to JobLIST staff."
        )
    if status == JobPosting.Status.PUBLISHED:
        return (
            f"“{posting.title}” is on the board as staff approved it, so it cannot be edited. To change it, "
            "withdraw it and repost it (the new ad is reviewed again), or write to JobLIST staff."
        )
    return f"“{posting.title}” has ended and cannot be edited: repost it to run it again."
