"""Confidential challenge reports: what people tell the Office for Intellectual Freedom.

Only staff holding ACCESS_PERMISSION (the "Intellectual Freedom staff" group) see a report, its
notes, its attachment and who opened it; no public page shows any of it. Staff move a report
through its states with the methods below, each recording who and when as a note. The reporter's
contact details are blanked after REPORT_CONTACT_RETENTION_DAYS (`manage.py purge_report_contacts`);
the report itself stays.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from ala_site.us_states import US_STATES

from ..storage import private_report_storage

__all__ = [
    "ACCESS_PERMISSION",
    "ChallengeReport",
    "ReportAccess",
    "ReportAttachment",
    "ReportNote",
    "ReportStateError",
]

# The dedicated permission: without it no admin page, panel or download shows anything of reports,
# whatever other permissions a staff user holds.
ACCESS_PERMISSION = "censorship.access_challenge_reports"

# No 0/O, 1/I/L: a reference read out on the phone is not misheard. 31**6 is about 887 million.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
REFERENCE_LENGTH = 6


def new_reference(year=None):
    year = year or timezone.localdate().year
    return f"CR-{year}-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


class ReportStateError(Exception):
    """A state change the report's current state does not allow; the message says why."""


class ChallengeReportQuerySet(models.QuerySet):
    def waiting(self):
        return self.filter(status=ChallengeReport.Status.NEW)

    def contact_expired(self, now=None):
        """Reports past the retention period whose reporter's contact details are still kept."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.REPORT_CONTACT_RETENTION_DAYS)
        kept = self.filter(created_at__lt=cutoff, contact_removed_at__isnull=True)
        return kept.exclude(reporter_name="", reporter_email="", reporter_phone="")  # anonymous: nothing to remove

    def consented(self):
        return self.filter(may_disclose=True)


class ChallengeReport(models.Model):
    class Subject(models.TextChoices):
        MATERIALS = "materials", "Materials challenge"
        INTERNET = "internet", "Internet-related challenge (filtering, computer access, use policies)"
        ENVIRONMENT = (
            "environment",
            "School or library environment (meeting rooms, programs, author visits, exhibits, displays)",
        )
        OTHER = "other", "Other (student publications, performances, access to libraries, social media, artwork)"
        HATE_CRIME = "hate_crime", "Hate crime"

    class ItemType(models.TextChoices):
        BOOK = "book", "Book"
        GRAPHIC_NOVEL = "graphic_novel", "Graphic novel"
        FILM = "film", "Film or video"
        MAGAZINE = "magazine", "Magazine or newspaper"
        AUDIO = "audio", "Audiobook or music"
        EBOOK = "ebook", "E-book or database"
        GAME = "game", "Game"
        DISPLAY = "display", "Display or exhibit item"
        OTHER = "other", "Other"

    class Initiator(models.TextChoices):
        PATRON = "patron", "Patron"
        PARENT = "parent", "Parent"
        TEACHER = "teacher", "Teacher"
        LIBRARIAN = "librarian", "Librarian"
        ADMINISTRATOR = "administrator", "School or library administrator"
        BOARD_MEMBER = "board_member", "Board member"
        OFFICIAL = "official", "Elected or government official"
        CLERGY = "clergy", "Clergy"
        ORGANIZED_GROUP = "organized_group", "Organized group"
        OTHER = "other", "Other"

    class InitiatorKind(models.TextChoices):
        INDIVIDUAL = "individual", "An individual"
        GROUP = "group", "A group"

    class Reason(models.TextChoices):
        SEXUALLY_EXPLICIT = "sexually_explicit", "Claimed to be sexually explicit"
        LGBTQIA = "lgbtqia", "LGBTQIA+ content"
        RACE = "race", "Race, racism or BIPOC themes"
        LANGUAGE = "language", "Offensive language"
        VIOLENCE = "violence", "Violence"
        RELIGION = "religion", "Religious viewpoint"
        POLITICS = "politics", "Political viewpoint"
        AGE = "age", "Unsuited to age group"
        OTHER = "other", "Other"

    class InstitutionType(models.TextChoices):
        PUBLIC = "public", "Public library"
        SCHOOL = "school", "School or school library"
        ACADEMIC = "academic", "Academic library"
        SPECIAL = "special", "Special library"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        NEW = "new", "New"
        IN_REVIEW = "in_review", "In review"
        SUPPORTED = "supported", "Supported"
        CLOSED = "closed", "Closed"

    class Outcome(models.TextChoices):
        UNKNOWN = "unknown", "Unknown"
        RETAINED = "retained", "Retained"
        RESTRICTED = "restricted", "Restricted"
        REMOVED = "removed", "Removed"

    # Which states each state may move to (a closed report may be taken up again).
    TRANSITIONS = {
        Status.NEW: (Status.IN_REVIEW, Status.SUPPORTED, Status.CLOSED),
        Status.IN_REVIEW: (Status.SUPPORTED, Status.CLOSED),
        Status.SUPPORTED: (Status.IN_REVIEW, Status.CLOSED),
        Status.CLOSED: (Status.IN_REVIEW,),
    }

    reference = models.CharField(max_length=20, unique=True, editable=False)
    created_at = models.DateTimeField("received", default=timezone.now, editable=False, db_index=True)

    # What happened (the reporter's answers).
    subject = models.CharField("what is reported", max_length=20, choices=Subject.choices)
    material_title = models.CharField("title", max_length=300, blank=True)
    material_author = models.CharField("author or performer", max_length=200, blank=True)
    material_type = models.CharField("type of item", max_length=20, choices=ItemType.choices, blank=True)
    description = models.TextField("description of the incident", max_length=10000)
    occurred_on = models.DateField("when it happened")
    date_is_approximate = models.BooleanField("the date is approximate", default=False)
    initiator = models.CharField("who initiated it", max_length=20, choices=Initiator.choices)
    initiator_other = models.CharField("initiator (other)", max_length=200, blank=True)
    initiator_kind = models.CharField("individual or group", max_length=20, choices=InitiatorKind.choices)
    reasons = models.TextField("the stated reasons", max_length=5000)
    reason_categories = models.JSONField("kinds of reasons", default=list, blank=True)
    institution_type = models.CharField(max_length=20, choices=InstitutionType.choices)
    institution_name = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=US_STATES)

    # The reporter: all optional, so reports may be anonymous; blanked after the retention period.
    reporter_name = models.CharField("reporter's name", max_length=200, blank=True)
    reporter_email = models.EmailField("reporter's email", blank=True)
    reporter_phone = models.CharField("reporter's phone", max_length=40, blank=True)
    may_disclose = models.BooleanField(
        "may disclose in public reports",
        help_text="The reporter's answer: only these reports count in the published figures (never a group under 5).",
    )
    help_wanted = models.TextField("how we can help", max_length=5000, blank=True)
    contact_removed_at = models.DateTimeField(
        "contact details removed", null=True, blank=True, editable=False, db_index=True
    )

    # Staff's work on it.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW, editable=False)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.UNKNOWN, editable=False)
    status_changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )

    objects = ChallengeReportQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "challenge report"
        permissions = [("access_challenge_reports", "Can see confidential challenge reports and their attachments")]

    def __str__(self):
        # Only the reference: log entries and admin messages repeat this, never the report's content.
        return self.reference

    def save(self, *args, **kwargs):
        if self.reference:
            return super().save(*args, **kwargs)
        # A new reference may (very rarely) be taken already: draw again rather than fail the report.
        for _ in range(5):
            self.reference = new_reference(timezone.localtime(self.created_at).year)
            try:
                with transaction.atomic():
                    return super().save(*args, **kwargs)
            except IntegrityError:
                if not ChallengeReport.objects.filter(reference=self.reference).exists():
                    raise
        raise IntegrityError("Could not draw a free report reference.")

    def reason_category_labels(self):
        labels = dict(self.Reason.choices)
        return [labels[code] for code in self.reason_categories if code in labels]

    @property
    def has_contact(self):
        return bool(self.reporter_name or self.reporter_email or self.reporter_phone)

    # State changes ---------------------------------------------------------------------------

    def allowed_statuses(self):
        return self.TRANSITIONS[self.Status(self.status)]

    def move_to(self, status, *, by, outcome=None, note=""):
        """Change the state (and, on closing, the outcome), recorded as a note by `by`.

        The row is locked and its state read again first: two staff acting at once on a stale
        page cannot both move it (the second is refused with the state it has now).
        """
        status = self.Status(status)
        with transaction.atomic():
            if self.pk:
                self.status = (
                    ChallengeReport.objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)
                )
            if status == self.status:
                raise ReportStateError(f"The report is already “{self.get_status_display()}”.")
            if status not in self.allowed_statuses():
                raise ReportStateError(
                    f"A report that is “{self.get_status_display()}” cannot become “{status.label}”."
                )
            previous = self.get_status_display()
            self.status = status
            if outcome is not None:
                self.outcome = self.Outcome(outcome)
            self.status_changed_at = timezone.now()
            self.status_changed_by = by
            self.save(update_fields=["status", "outcome", "status_changed_at", "status_changed_by"])
            text = f"Status changed from “{previous}” to “{status.label}”"
            if outcome is not None:
                text += f"; outcome: {self.get_outcome_display()}"
            self.notes.create(author=by, kind=ReportNote.Kind.STATUS, text=f"{text}.{' ' + note if note else ''}")
        return self

    def start_review(self, *, by, note=""):
        return self.move_to(self.Status.IN_REVIEW, by=by, note=note)

    def mark_supported(self, *, by, note=""):
        return self.move_to(self.Status.SUPPORTED, by=by, note=note)

    def close(self, *, by, outcome, note=""):
        return self.move_to(self.Status.CLOSED, by=by, outcome=outcome, note=note)

    def set_outcome(self, outcome, *, by, note=""):
        """Record what became of the material without changing the state (it may be learnt later)."""
        outcome = self.Outcome(outcome)
        if outcome == self.outcome:
            return self
        previous = self.get_outcome_display()
        with transaction.atomic():
            self.outcome = outcome
            self.save(update_fields=["outcome"])
            text = f"Outcome changed from “{previous}” to “{outcome.label}”."
            self.notes.create(author=by, kind=ReportNote.Kind.STATUS, text=f"{text}{' ' + note if note else ''}")
        return self

    def add_note(self, text, *, by):
        return self.notes.create(author=by, kind=ReportNote.Kind.NOTE, text=text)

    def remove_contact(self, *, reason):
        """Blank the reporter's contact details (the report stays), recorded as a note."""
        with transaction.atomic():
            self.reporter_name = self.reporter_email = self.reporter_phone = ""
            self.contact_removed_at = timezone.now()
            self.save(update_fields=["reporter_name", "reporter_email", "reporter_phone", "contact_removed_at"])
            self.notes.create(author=None, kind=ReportNote.Kind.RETENTION, text=reason)


class ReportNote(models.Model):
    """An internal note or a recorded change on a report: who and when. Never shown publicly."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Kind(models.TextChoices):
        NOTE = "note", "Note"
        STATUS = "status", "State change"
        RETENTION = "retention", "Retention"

    report = models.ForeignKey(ChallengeReport, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NOTE)
    text = models.TextField(max_length=10000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "internal note"

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"


def attachment_name(instance, filename):
    # A random name: the reporter's file name (which may name them) is kept only in original_name.
    return f"{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{instance.extension}"


class ReportAttachment(models.Model):
    """The reporter's document (PDF, JPEG or PNG), in private storage; staff download it in admin."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

    report = models.ForeignKey(ChallengeReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(storage=private_report_storage, upload_to=attachment_name, max_length=200)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=50, choices=[(kind, kind) for kind in EXTENSIONS])
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = "attachment"

    def __str__(self):
        return f"Attachment #{self.pk}"

    @property
    def extension(self):
        return self.EXTENSIONS[self.content_type]

    def download_name(self):
        stem = self.original_name.rsplit(".", 1)[0] or "attachment"
        return f"{self.report.reference}-{stem}.{self.extension}"


class ReportAccess(models.Model):
    """Who opened a report or downloaded its attachment, and when (changes are in the admin log)."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Action(models.TextChoices):
        VIEWED = "viewed", "Opened the report"
        DOWNLOADED = "downloaded", "Downloaded the attachment"

    report = models.ForeignKey(ChallengeReport, on_delete=models.CASCADE, related_name="accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "access record"

    def __str__(self):
        return f"{self.get_action_display()} #{self.pk}"


def _delete_attachment_file(sender, instance, **kwargs):
    # Once its row is gone, a confidential file must not linger on disk.
    if instance.file:
        name = instance.file.name
        transaction.on_commit(lambda: private_report_storage.delete(name))


models.signals.post_delete.connect(_delete_attachment_file, sender=ReportAttachment)
