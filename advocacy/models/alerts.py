"""Advocacy alerts: subscribers who confirmed by email (double opt-in), and the alerts sent to them.

Nothing is sent to an address until its owner opens the confirmation link. Each alert reaches each
subscriber once: a delivery row per (alert, subscriber), unique, is written in the same
transaction that queues the email, and senders take the alert's row lock, so two senders running
at once (the command from cron and an admin action, say) split the work instead of repeating it.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ala_site.emails import queue_email, render_templated_email
from ala_site.models import TrackedModel
from ala_site.richtext import MARKDOWN_HELP, RichTextMixin

from .. import alert_links
from ..places import STATES

__all__ = ["AlertDelivery", "AdvocacyAlert", "AlertSubscriber", "Interest"]

# A pending address gets at most one confirmation email in this time, however often it is
# signed up: the form is open to anyone, and must not become a way to flood someone's inbox.
SIGN_UP_EMAIL_INTERVAL = timedelta(minutes=15)
# Emails queued in one transaction by a sender; the next batch starts a new transaction.
BATCH_SIZE = 200


class Interest(models.TextChoices):
    FUNDING = "funding", "Library funding (LSTA, IAL and state funding)"
    FREEDOM = "freedom", "The freedom to read and book bans"
    SCHOOL = "school", "School libraries"
    DIGITAL = "digital", "Broadband and digital equity"
    WORKERS = "workers", "Library workers"


def pack_interests(codes):
    """Interests as stored: ",funding,school," (or ""), so one topic is a portable `contains` lookup."""
    chosen = [code for code, _ in Interest.choices if code in set(codes)]
    return f",{','.join(chosen)}," if chosen else ""


class AlertSubscriberQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=AlertSubscriber.Status.CONFIRMED)


class AlertSubscriber(models.Model):
    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        CONFIRMED = "confirmed", "Confirmed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    # Kept in lower case (the form folds it), so the unique constraint is case-insensitive.
    email = models.EmailField(unique=True)
    name = models.CharField(max_length=100)
    zip_code = models.CharField("ZIP code", max_length=10)
    state = models.CharField(max_length=2, choices=STATES)
    interests = models.CharField(max_length=200, blank=True, help_text="Empty: every topic.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField("signed up", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sign_up_email_at = models.DateTimeField("last sign-up email", null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    objects = AlertSubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "alert subscriber"

    def __str__(self):
        return self.email

    @property
    def interest_labels(self):
        codes = set(filter(None, self.interests.split(",")))
        return [label for code, label in Interest.choices if code in codes]

    @classmethod
    def sign_up(cls, *, email, name, zip_code, state, interests, now=None):
        """Record a sign-up and queue what the address's owner should get; returns the subscriber.

        A new or pending address gets (again) a confirmation link; one that unsubscribed waits for
        a new confirmation; a confirmed one is told it is subscribed already (its details are not
        changed by someone who merely knows the address). Every case looks the same to the visitor.
        """
        now = now or timezone.now()
        details = {"name": name, "zip_code": zip_code, "state": state, "interests": pack_interests(interests)}
        with transaction.atomic():
            try:
                # The unique address is the one judge of "new", so two sign-ups racing for the
                # same address make one row; the savepoint keeps the transaction usable.
                with transaction.atomic():
                    subscriber = cls.objects.create(email=email, **details)
            except IntegrityError:
                subscriber = cls.objects.select_for_update().get(email=email)
                if subscriber.status != cls.Status.CONFIRMED:
                    for field, value in details.items():
                        setattr(subscriber, field, value)
                    subscriber.status = cls.Status.PENDING
                    subscriber.save(update_fields=[*details, "status", "updated_at"])
            if subscriber._claim_sign_up_email(now):
                subscriber._queue_sign_up_email()
        return subscriber

    def _claim_sign_up_email(self, now):
        """True for the one sign-up in SIGN_UP_EMAIL_INTERVAL allowed to email this address.

        A conditional update, so racing sign-ups cannot both pass the check.
        """
        recent = Q(sign_up_email_at__gt=now - SIGN_UP_EMAIL_INTERVAL)
        claimed = type(self).objects.filter(pk=self.pk).exclude(recent).update(sign_up_email_at=now)
        return claimed == 1

    def _queue_sign_up_email(self):
        context = {"subscriber": self, "unsubscribe_link": alert_links.unsubscribe_url(self)}
        if self.status == self.Status.CONFIRMED:
            name = "advocacy/email/alerts_already_subscribed"
        else:
            name = "advocacy/email/alerts_confirm"
            context["confirm_link"] = alert_links.confirm_url(self)
        subject, body = render_templated_email(name, context)
        queue_email(subject, body, self.email, on_commit=True)

    def accepts_link_from(self, link_issued_at):
        """Whether a confirmation link made at `link_issued_at` (Unix time) still counts: not if an
        unsubscribe came after it (only a new sign-up's link undoes an unsubscribe)."""
        if self.unsubscribed_at is None:
            return True
        # Whole seconds: the link's time is truncated, the unsubscribe's is not.
        return datetime.fromtimestamp(link_issued_at, tz=UTC) >= self.unsubscribed_at.replace(microsecond=0)

    def confirm(self, link_issued_at, now=None):
        """Confirm by a link made at `link_issued_at`; False if the link no longer counts."""
        now = now or timezone.now()
        with transaction.atomic():
            subscriber = type(self).objects.select_for_update().get(pk=self.pk)
            if not subscriber.accepts_link_from(link_issued_at):
                return False
            if subscriber.status != self.Status.CONFIRMED:
                subscriber.status = self.Status.CONFIRMED
                subscriber.confirmed_at = now
                subscriber.save(update_fields=["status", "confirmed_at", "updated_at"])
            self.status, self.confirmed_at = subscriber.status, subscriber.confirmed_at
        return True

    def unsubscribe(self, now=None):
        """Stop every alert to this address at once (idempotent: a second click changes nothing)."""
        now = now or timezone.now()
        updated = (
            type(self)
            .objects.filter(pk=self.pk)
            .exclude(status=self.Status.UNSUBSCRIBED)
            # The sign-up email's 15-minute wait starts afresh: signing up again right away gets a
            # new link at once (the old ones no longer count). Only the link's holder can do this.
            .update(status=self.Status.UNSUBSCRIBED, unsubscribed_at=now, updated_at=now, sign_up_email_at=None)
        )
        if updated:
            self.status, self.unsubscribed_at, self.sign_up_email_at = self.Status.UNSUBSCRIBED, now, None
        return bool(updated)


class AdvocacyAlertQuerySet(models.QuerySet):
    def sending(self):
        return self.filter(status=AdvocacyAlert.Status.SENDING)


class AdvocacyAlert(RichTextMixin, TrackedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"

    subject = models.CharField(max_length=150)
    body = models.TextField(help_text=f"{MARKDOWN_HELP} The email sends this text as written.")
    body_html = models.TextField(editable=False, blank=True)
    state = models.CharField(
        max_length=2, choices=STATES, blank=True, help_text="Only subscribers in this state. Empty: every state."
    )
    topic = models.CharField(
        max_length=20,
        choices=Interest.choices,
        blank=True,
        help_text="Only subscribers who chose this topic (or chose none). Empty: everyone.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    send_started_at = models.DateTimeField("sending started", null=True, blank=True, editable=False)
    send_started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="sent by",
    )
    sent_at = models.DateTimeField("finished sending", null=True, blank=True, editable=False)

    rich_text_fields = {"body": "body_html"}
    objects = AdvocacyAlertQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "advocacy alert"

    def __str__(self):
        return self.subject

    def recipients(self):
        """Confirmed subscribers this alert is for, whether or not they have it yet."""
        subscribers = AlertSubscriber.objects.confirmed()
        if self.state:
            subscribers = subscribers.filter(state=self.state)
        if self.topic:
            subscribers = subscribers.filter(Q(interests="") | Q(interests__contains=f",{self.topic},"))
        return subscribers

    def waiting_recipients(self):
        """Recipients who have not been sent this alert yet."""
        delivered = AlertDelivery.objects.filter(alert=self.pk, subscriber=OuterRef("pk"))
        return self.recipients().filter(~Exists(delivered))

    def start_sending(self, by, now=None):
        """Draft -> sending, recording who and when; False if it was not a draft any more."""
        now = now or timezone.now()
        started = (
            type(self)
            .objects.filter(pk=self.pk, status=self.Status.DRAFT)
            .update(status=self.Status.SENDING, send_started_at=now, send_started_by=by, updated_at=now)
        )
        if started:
            self.status, self.send_started_at, self.send_started_by = self.Status.SENDING, now, by
        return bool(started)

    def send_batch(self, size=BATCH_SIZE):
        """Queue the alert for up to `size` subscribers who do not have it yet; returns how many.

        When nobody is left, the alert is marked sent (and 0 returned). One transaction under the
        alert's row lock: a second sender waits, then sees the deliveries this one wrote.
        """
        with transaction.atomic():
            alert = type(self).objects.select_for_update().get(pk=self.pk)
            if alert.status != self.Status.SENDING:
                return 0
            batch = list(alert.waiting_recipients().order_by("pk")[:size])
            if not batch:
                alert.status, alert.sent_at = self.Status.SENT, timezone.now()
                alert.save(update_fields=["status", "sent_at", "updated_at"])
                self.status, self.sent_at = alert.status, alert.sent_at
                return 0
            # The unique constraint backs up the lock: a duplicate fails the whole batch, which
            # then queues nothing.
            AlertDelivery.objects.bulk_create([AlertDelivery(alert=alert, subscriber=s) for s in batch])
            for subscriber in batch:
                alert._queue_for(subscriber)
        return len(batch)

    def send_all(self, size=BATCH_SIZE):
        """Send batch after batch until nobody is left; returns how many were queued."""
        total = 0
        while sent := self.send_batch(size):
            total += sent
        return total

    def _queue_for(self, subscriber):
        unsubscribe = alert_links.unsubscribe_url(subscriber)
        context = {"alert": self, "subscriber": subscriber, "unsubscribe_link": unsubscribe}
        subject, body = render_templated_email("advocacy/email/alert", context)
        headers = {"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}
        queue_email(subject, body, subscriber.email, headers=headers, on_commit=True)


class AlertDelivery(models.Model):
    """One alert queued for one subscriber: the record that it is never sent to them twice."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    alert = models.ForeignKey(AdvocacyAlert, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(AlertSubscriber, on_delete=models.CASCADE, related_name="deliveries")
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "alert delivery"
        verbose_name_plural = "alert deliveries"
        constraints = [
            models.UniqueConstraint(fields=["alert", "subscriber"], name="advocacy_one_delivery_per_subscriber")
        ]

    def __str__(self):
        return f"{self.alert} → {self.subscriber}"
