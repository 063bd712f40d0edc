"""The eLearning calendar: webinars, eCourses, workshops and virtual events, and registrations.

"Upcoming" and "open for registration" are computed from dates at query time, so a status never
lags the clock. Registrations are sold through the store (store.api); see events/receivers.py.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ala_site.models import ImageModel, TrackedModel
from ala_site.richtext import MARKDOWN_HELP, RichTextMixin

MONEY = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class EventQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)

    def upcoming(self, now=None):
        """Published and not yet over (an eCourse under way still counts), soonest first."""
        now = now or timezone.now()
        return self.published().filter(ends_at__gt=now).order_by("starts_at", "pk")

    def past(self, now=None):
        now = now or timezone.now()
        return self.published().filter(ends_at__lte=now).order_by("-starts_at", "-pk")

    def featured(self):
        return self.filter(is_featured=True)


class Event(RichTextMixin, ImageModel, TrackedModel):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", "Webinar"
        ECOURSE = "ecourse", "eCourse"
        WORKSHOP = "workshop", "Workshop"
        VIRTUAL_EVENT = "virtual", "Virtual event"

    class Attendance(models.TextChoices):
        ONLINE = "online", "Online"
        IN_PERSON = "in_person", "In person"
        MIXED = "mixed", "Online and in person"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.WEBINAR)
    attendance = models.CharField(max_length=10, choices=Attendance.choices, default=Attendance.ONLINE)
    platform = models.CharField(
        max_length=100, blank=True, help_text="Where it happens online, e.g. Zoom, or the course site."
    )
    venue = models.CharField(max_length=200, blank=True, help_text="For in-person events: the place's name.")
    address = models.CharField(max_length=300, blank=True, help_text="For in-person events: street, city, state.")
    joining_url = models.URLField(
        "joining link", blank=True, help_text="Sent to confirmed registrants only; never shown on the public page."
    )
    starts_at = models.DateTimeField("starts")
    ends_at = models.DateTimeField("ends")
    summary = models.CharField(max_length=300, help_text="One or two sentences for lists and the landing page.")
    description = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    description_html = models.TextField(editable=False, blank=True)
    organiser = models.CharField("organiser (division or office)", max_length=150, blank=True)
    member_price = models.DecimalField(**MONEY, default=Decimal("0.00"), help_text="0 means free for members.")
    non_member_price = models.DecimalField(**MONEY, default=Decimal("0.00"), help_text="0 means free for everyone.")
    capacity = models.PositiveIntegerField(null=True, blank=True, help_text="Seats; leave empty for no limit.")
    registration_opens_at = models.DateTimeField("registration opens", null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        "registration closes", null=True, blank=True, help_text="Leave empty to close when the event starts."
    )
    on_demand_until = models.DateField(
        "recordings available until", null=True, blank=True, help_text="On-demand access for registrants."
    )
    is_featured = models.BooleanField("featured", default=False, help_text="Shown in the landing page's top carousel.")
    is_published = models.BooleanField("published", default=True)

    objects = EventQuerySet.as_manager()
    cache_sections = ("events", "promos")
    rich_text_fields = {"description": "description_html"}
    IMAGE_FOLDER = "events"

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["is_published", "ends_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="events_event_ends_after_start"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:detail", args=[self.slug])

    def clean(self):
        super().clean()
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = "The end must be after the start."
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = "Registration must close after it opens."
        if self.attendance != self.Attendance.ONLINE and not self.address:
            errors["address"] = "Give the address of an in-person event."
        if errors:
            raise ValidationError(errors)

    # What a visitor may do -----------------------------------------------------------------

    @property
    def is_free(self):
        return self.member_price == 0 and self.non_member_price == 0

    @property
    def registration_closes(self):
        return self.registration_closes_at or self.starts_at

    def registration_is_open(self, now=None):
        now = now or timezone.now()
        return (
            self.is_published
            and (self.registration_opens_at is None or self.registration_opens_at <= now)
            and now < self.registration_closes
        )

    def price_for(self, user):
        """What this person pays: a price for their membership type where set, else member or not."""
        if getattr(user, "is_member", False):
            membership = getattr(user, "membership", None)
            type_id = getattr(membership, "membership_type_id", None)
            for type_price in self.type_prices.all():
                if type_price.membership_type_id == type_id:
                    return type_price.price
            return self.member_price
        return self.non_member_price


class EventTypePrice(models.Model):
    """A price for members of one type, e.g. free for student members."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="type_prices")
    membership_type = models.ForeignKey("membership.MembershipType", on_delete=models.CASCADE, related_name="+")
    price = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "membership_type"], name="events_one_price_per_type"),
        ]
        verbose_name = "price for a membership type"

    def __str__(self):
        return f"{self.membership_type}: ${self.price}"


class RegistrationQuerySet(models.QuerySet):
    def holding_seats(self):
        """Registrations that take a seat: confirmed, awaiting payment, or a seat offered."""
        return self.filter(status__in=Registration.SEAT_STATUSES)

    def active(self):
        return self.filter(status__in=Registration.ACTIVE_STATUSES)


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        CONFIRMED = "confirmed", "Confirmed"
        WAITLISTED = "waitlisted", "On the waitlist"
        OFFERED = "offered", "Seat offered from the waitlist"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    SEAT_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.OFFERED)
    ACTIVE_STATUSES = (*SEAT_STATUSES, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="event_registrations")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    price = models.DecimalField(**MONEY, default=Decimal("0.00"))
    was_member = models.BooleanField("member when registering", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    offered_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()
    cache_sections = ("events",)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # One live registration per person and event; a cancelled one may be followed by another.
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(status__in=["pending", "confirmed", "waitlisted", "offered"]),
                name="events_one_active_registration",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.event} ({self.get_status_display()})"
