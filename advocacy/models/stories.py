"""Library stories that people share for Congress, and the exports of them staff make.

A story is moderated before anything is done with it: staff approve or reject it (who, when and,
on rejection, why are kept). Approved stories whose author agreed to publication show on
/advocacy/stories/; approved stories whose author agreed to it can be exported for a
congressional office, and each export is recorded.
"""

import hashlib

from django.conf import settings
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models, transaction
from django.utils import timezone

from ala_site.us_states import US_STATES

__all__ = ["STATES", "Story", "StoryExport", "StoryModerationError"]

# The states, the District and the territories, each with a voting or non-voting member of Congress.
STATES = sorted(US_STATES, key=lambda choice: choice[1])

STORY_MAX_LENGTH = 5000

validate_zip = RegexValidator(r"^\d{5}(-\d{4})?$", "Enter a 5-digit ZIP code, like 60601 (or ZIP+4, like 60601-1234).")


def story_fingerprint(email, story):
    """What makes two submissions the same story: the address (any case) and the words (any
    spacing). A double-click, a reload of the sent form or a second try stores it once."""
    text = f"{email.strip().lower()}\n{' '.join(story.split())}"
    return hashlib.sha256(text.encode()).hexdigest()


class StoryModerationError(Exception):
    """A moderation step the story's current state does not allow; the message is for staff."""


class StoryQuerySet(models.QuerySet):
    def awaiting_moderation(self):
        return self.filter(status=Story.Status.SUBMITTED)

    def public(self):
        """Shown on /advocacy/stories/: approved, and the author agreed to publication."""
        return self.filter(status=Story.Status.APPROVED, publish_consent=True)

    def for_congress(self, state=""):
        """What may go to a congressional office: approved, and the author agreed to it."""
        stories = self.filter(status=Story.Status.APPROVED, congress_consent=True)
        return stories.filter(state=state) if state else stories


class Story(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Submitted (waiting for moderation)"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    name = models.CharField("your name", max_length=120)
    email = models.EmailField("your email", max_length=254)
    library = models.CharField("your library", max_length=200)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=STATES)
    zip_code = models.CharField("ZIP code", max_length=10, validators=[validate_zip])
    story = models.TextField("your story", validators=[MaxLengthValidator(STORY_MAX_LENGTH)])
    congress_consent = models.BooleanField("may be passed to members of Congress")
    publish_consent = models.BooleanField("may be published on the website")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    rejection_reason = models.TextField(blank=True, editable=False)
    # Unique, so the same story from the same address is stored once even when two submissions
    # of it arrive at the same moment (empty only for rows bulk-made by the demo).
    fingerprint = models.CharField(max_length=64, unique=True, null=True, editable=False)

    objects = StoryQuerySet.as_manager()
    # The landing page's stories section links to the published stories once there are some.
    cache_sections = ("stories",)

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-submitted_at", "-pk"]
        # The published stories (StoryQuerySet.public) in their list's order, newest approval
        # first: a page of /advocacy/stories/, and their count, read only this index.
        indexes = [
            models.Index(
                fields=["moderated_at", "id"],
                condition=models.Q(status="approved", publish_consent=True),
                name="advocacy_story_public_idx",
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.library} ({self.city}, {self.state})"

    @property
    def place(self):
        return f"{self.city}, {self.state}"

    def save(self, *args, **kwargs):
        if self.fingerprint is None:
            self.fingerprint = story_fingerprint(self.email, self.story)
        super().save(*args, **kwargs)

    def _moderate(self, status, by, allowed_from, reason=""):
        """Move to `status` under a row lock. The decision was made on the story as this copy shows
        it: if someone else moderated it meanwhile, theirs stands and this one is refused."""
        with transaction.atomic():
            current = Story.objects.select_for_update().get(pk=self.pk)
            if current.status != self.status or current.status not in allowed_from:
                raise StoryModerationError(f"“{self}” is already {current.get_status_display().lower()}.")
            self.status = status
            self.moderated_at = timezone.now()
            self.moderated_by = by
            self.rejection_reason = reason
            self.save(update_fields=["status", "moderated_at", "moderated_by", "rejection_reason"])

    def approve(self, by):
        """Approve: published at once if the author agreed to it, who is told by email."""
        self._moderate(self.Status.APPROVED, by, (self.Status.SUBMITTED, self.Status.REJECTED))
        if self.publish_consent:
            from ala_site.emails import send_templated_email_on_commit

            send_templated_email_on_commit("advocacy/email/story_published", {"story": self}, self.email)

    def reject(self, by, reason):
        """Reject (or take down an approved story); the reason is kept for staff, not sent."""
        reason = (reason or "").strip()
        if not reason:
            raise StoryModerationError("Give a reason for rejecting the story.")
        self._moderate(self.Status.REJECTED, by, (self.Status.SUBMITTED, self.Status.APPROVED), reason)


class StoryExport(models.Model):
    """One CSV export of stories for a congressional office: who made it, when, and what was in it."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    exported_at = models.DateTimeField(default=timezone.now, editable=False)
    exported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    state = models.CharField("state", max_length=2, choices=STATES, blank=True, help_text="Empty: every state.")
    purpose = models.CharField("for", max_length=200, help_text="The congressional office or the reason.")
    stories = models.ManyToManyField(Story, related_name="exports", editable=False)
    story_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-exported_at", "-pk"]
        verbose_name = "story export"

    def __str__(self):
        where = self.get_state_display() if self.state else "all states"
        return f"{self.story_count} stories ({where}), {timezone.localtime(self.exported_at):%Y-%m-%d %H:%M}"
