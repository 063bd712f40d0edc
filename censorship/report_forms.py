"""The public "Report a challenge" form: the questions of the association's reporting form.

Conditional questions (the material's details, "who, if other") are always on the page with an
"If ..." label, so the form works without JavaScript; `clean()` asks for them when they apply.
The attachment's type is read from its content (magic bytes, and Pillow for images), never from
its name, and a name that claims another type is refused.
"""

from pathlib import PurePath

from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from PIL import Image

from ala_site.forms import HoneypotMixin

from .models import ChallengeReport

Report = ChallengeReport

# What each accepted type's content starts with, and the names that honestly say that type.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]
TYPE_NAMES = {"application/pdf": "a PDF", "image/jpeg": "a JPEG image", "image/png": "a PNG image"}
EXTENSIONS = {"application/pdf": {"pdf"}, "image/jpeg": {"jpg", "jpeg", "jpe", "jfif"}, "image/png": {"png"}}
USUAL_EXTENSION = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG"}
EARLIEST_YEAR = 1900


def sniff_content_type(upload):
    """The accepted type the file's content really is, or None: the name plays no part."""
    upload.seek(0)
    head = upload.read(16)
    kind = next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)
    if kind == "application/pdf":
        # A PDF ends with an end-of-file marker; a file that only starts like one is not a PDF.
        upload.seek(max(0, upload.size - 2048))
        if b"%%EOF" not in upload.read():
            kind = None
    elif kind in PILLOW_FORMATS:
        upload.seek(0)
        try:
            with Image.open(upload) as image:
                found = image.format
                image.verify()
        except Exception:  # Pillow raises many kinds for a broken or hostile image
            kind = None
        else:
            if found != PILLOW_FORMATS[kind]:
                kind = None
    upload.seek(0)
    return kind


def file_size(size):
    """ "2.1 KB", "10.0 MB": with a plain space, so the message reads and copies as typed."""
    return filesizeformat(size).replace("\xa0", " ")


def extension_of(name):
    return PurePath(name).suffix.lower().lstrip(".")


class ReportForm(HoneypotMixin, forms.ModelForm):
    TEXT_LIMIT_MESSAGE = "Keep this under {limit:,} characters (it has %(show_value)s)."
    # Where a long account belongs in the attachment rather than the box.
    ACCOUNT_FIELDS = ("description", "reasons", "help_wanted")

    subject = forms.ChoiceField(
        label="What are you reporting?",
        choices=Report.Subject.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what you are reporting.", "invalid_choice": "Choose one of the options."},
    )
    material_type = forms.ChoiceField(
        label="If a material is challenged: type of item",
        choices=[("", "Choose the type of item")] + Report.ItemType.choices,
        required=False,
        error_messages={"invalid_choice": "Choose one of the types of item."},
    )
    # A plain text box, not a date picker: Chromium's picker makes month, day and year separate
    # tab stops (the same reason the events archive uses a list of months).
    occurred_on = forms.DateField(
        label="When did it happen?",
        help_text="Month/day/year, like 03/15/2026. An approximate date is fine: tick the box below if it is.",
        input_formats=["%m/%d/%Y", "%m/%d/%y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%m/%d/%Y", attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Give the date it happened (an approximate date is fine).",
            "invalid": "Enter the date as month/day/year, like 03/15/2026.",
        },
    )
    initiator = forms.ChoiceField(
        label="Who initiated the challenge?",
        choices=[("", "Choose who initiated it")] + Report.Initiator.choices,
        error_messages={
            "required": "Choose who initiated the challenge.",
            "invalid_choice": "Choose one of the options.",
        },
    )
    initiator_kind = forms.ChoiceField(
        label="Was it an individual or a group?",
        choices=Report.InitiatorKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether an individual or a group initiated it."},
    )
    reason_categories = forms.MultipleChoiceField(
        label="Which of these did they name? (optional; tick all that apply)",
        choices=Report.Reason.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose only from the listed kinds of reasons."},
    )
    institution_type = forms.ChoiceField(
        label="Type of institution",
        choices=[("", "Choose the type of institution")] + Report.InstitutionType.choices,
        error_messages={"required": "Choose the type of institution.", "invalid_choice": "Choose one of the options."},
    )
    state = forms.ChoiceField(
        label="State",
        choices=[("", "Choose the state")] + list(Report._meta.get_field("state").choices),
        error_messages={"required": "Choose the state.", "invalid_choice": "Choose one of the states."},
    )
    may_disclose = forms.TypedChoiceField(
        label="May we disclose additional information in public reports?",
        help_text="Titles and reasons may appear in overall statistics either way; your personal details and the "
        "institution's never do.",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Answer yes or no: may we disclose additional information?",
            "invalid_choice": "Answer yes or no: may we disclose additional information?",
        },
    )
    attachment = forms.FileField(
        label="Attach a document (optional)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
        error_messages={"empty": "The file is empty: choose the document again."},
    )

    class Meta:
        model = Report
        fields = [
            "subject",
            "material_title",
            "material_author",
            "material_type",
            "description",
            "occurred_on",
            "date_is_approximate",
            "initiator",
            "initiator_other",
            "initiator_kind",
            "reasons",
            "reason_categories",
            "institution_type",
            "institution_name",
            "city",
            "state",
            "reporter_name",
            "reporter_email",
            "reporter_phone",
            "may_disclose",
            "help_wanted",
        ]
        labels = {
            "material_title": "If a material is challenged: its title",
            "material_author": "If a material is challenged: author or performer (if known)",
            "description": "Describe the incident",
            "date_is_approximate": "The date is approximate",
            "initiator_other": "If “Other”: who initiated it?",
            "reasons": "Why did the initiator say it was a concern?",
            "institution_name": "Name of the library, school or institution",
            "reporter_name": "Your name",
            "reporter_email": "Your email",
            "reporter_phone": "Your phone",
            "help_wanted": "How can we help you? (optional)",
        }
        help_texts = {
            "material_title": "One report per challenged title: name further titles in the description.",
            "description": "What happened, in your own words.",
            "reasons": "In their words where you can.",
            "reporter_email": "We email you a copy of your report and may contact you about it.",
        }
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "reasons": forms.Textarea(attrs={"rows": 3}),
            "help_wanted": forms.Textarea(attrs={"rows": 3}),
            "reporter_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "reporter_email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "reporter_phone": forms.TextInput(attrs={"autocomplete": "tel", "type": "tel"}),
            "city": forms.TextInput(attrs={"autocomplete": "off"}),
        }
        error_messages = {
            "description": {"required": "Describe what happened."},
            "reasons": {"required": "Say why the initiator said it was a concern."},
            "institution_name": {"required": "Give the name of the library, school or institution."},
            "city": {"required": "Give the city."},
            "reporter_email": {"invalid": "Enter an email address like name@example.org, or leave it empty."},
        }

    field_order = [*Meta.fields, "attachment"]

    # The conditional questions and the answers they depend on.
    MATERIAL_FIELDS = ("material_title", "material_author", "material_type")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reporter_phone"].validators.append(
            RegexValidator(r"^[0-9+().\-\s/extEXT]*$", "Use digits, spaces and + ( ) - only, like (312) 944-6780.")
        )
        for name, field in self.fields.items():
            limit = getattr(field, "max_length", None)
            if limit and name != "website":
                message = self.TEXT_LIMIT_MESSAGE.format(limit=limit)
                if name in self.ACCOUNT_FIELDS:
                    message += " Attach a longer account as a PDF."
                field.error_messages["max_length"] = message
        self.fields["attachment"].help_text = (
            f"A PDF, JPEG or PNG file of up to {file_size(settings.REPORT_ATTACHMENT_MAX_BYTES)}, such as the "
            "challenge form or a letter. It stays confidential too."
        )

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(
                "The date cannot be in the future: give the day it happened, or your best guess and tick “approximate”."
            )
        if day.year < EARLIEST_YEAR:
            raise forms.ValidationError(f"Give a date from {EARLIEST_YEAR} on.")
        return day

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        limit = settings.REPORT_ATTACHMENT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {file_size(upload.size)}; the largest we accept is {file_size(limit)}. "
                "Attach a smaller file, or send it when we contact you."
            )
        kind = sniff_content_type(upload)
        if kind is None:
            raise forms.ValidationError(
                "This file is not a PDF, JPEG or PNG (whatever its name says), or it is damaged. "
                "Attach a PDF, JPEG or PNG file."
            )
        extension = extension_of(upload.name)
        if extension not in EXTENSIONS[kind]:
            named = f"Its name ends in “.{extension}”" if extension else "Its name has no type"
            raise forms.ValidationError(
                f"{named}, but the file is {TYPE_NAMES[kind]}. Attach the file you meant, or rename it to end in "
                f"“.{USUAL_EXTENSION[kind]}”."
            )
        upload.detected_content_type = kind
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("subject") == Report.Subject.MATERIALS:
            if not (cleaned.get("material_title") or "").strip():
                self.add_error("material_title", "You are reporting a materials challenge: give the title.")
            if not cleaned.get("material_type"):
                self.add_error("material_type", "You are reporting a materials challenge: choose the type of item.")
        if cleaned.get("initiator") == Report.Initiator.OTHER and not (cleaned.get("initiator_other") or "").strip():
            self.add_error("initiator_other", "You chose “Other”: say who initiated the challenge.")
        if self.errors and self.files.get("attachment"):
            # Browsers never send a file again, and we keep nothing of a refused report.
            self.attachment_note = "For your privacy we did not keep the file you chose: choose it again."
        return cleaned
