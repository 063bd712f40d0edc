"""The eLearning calendar: webinars, eCourses, workshops and virtual events, and registrations.

"Upcoming" and "open for registration" are computed from dates at query time, so a status never
lags the clock. Registrations are sold through the store (store.api); see events/receivers.py.
"""

import zoneinfo
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import IntegrityError, models, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from ala_site import page_cache
from ala_site.models import ImageModel, TrackedModel
from ala_site.richtext import MARKDOWN_HELP, RichTextMixin

# US time zones an in-person event may be in; online events are shown in the association's (Chicago).
TIME_ZONES = [
    ("America/New_York", "Eastern (New York)"),
    ("America/Chicago", "Central (Chicago)"),
    ("America/Denver", "Mountain (Denver)"),
    ("America/Phoenix", "Mountain, no daylight saving (Phoenix)"),
    ("America/Los_Angeles", "Pacific (Los Angeles)"),
    ("America/Anchorage", "Alaska (Anchorage)"),
    ("Pacific/Honolulu", "Hawaii (Honolulu)"),
    ("America/Puerto_Rico", "Atlantic (Puerto Rico)"),
]

MONEY = {"max_digits": 8, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}

# Seats. A seat is held by a confirmed registration; by one awaiting payment for PENDING_HOLD after
# it was made (time to go through the checkout); and by a seat offered from the waitlist for
# OFFER_HOLD after the offer. Both holds are computed from timestamps at query time, so no
# scheduled job is needed: an expired hold simply stops counting. The waitlist moves on "when next
# needed": whenever someone registers, cancels or is refunded, expired offers lapse and each free
# seat is offered to the next person waiting (Event.offer_free_seats).
PENDING_HOLD = timedelta(minutes=30)
OFFER_HOLD = timedelta(hours=48)


class RegistrationError(Exception):
    """A registration the person cannot make or change; the message is shown to them as it is."""


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

    def next_change(self, now=None):
        """When the upcoming and past lists next change by the clock alone: the soonest end of a
        published event not yet over (it moves from one list to the other). None when none is."""
        now = now or timezone.now()
        return self.published().filter(ends_at__gt=now).aggregate(moment=models.Min("ends_at"))["moment"]


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
    time_zone = models.CharField(
        "event's time zone",
        max_length=40,
        choices=TIME_ZONES,
        default="America/Chicago",
        help_text="Where an in-person event takes place; its page shows times there too.",
    )
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
        # Published events only (SQLite cannot use a bare boolean as an index key). The lists'
        # order, with the end for their filter (upcoming: not over yet; past), so a page of either
        # list walks it and stops; the end alone for counts and next_change(); the featured ones
        # in order for the landing page's carousel.
        indexes = [
            models.Index(
                fields=["starts_at", "id", "ends_at"], condition=Q(is_published=True), name="events_listed_idx"
            ),
            models.Index(fields=["ends_at"], condition=Q(is_published=True), name="events_ending_idx"),
            models.Index(
                fields=["starts_at", "id"], condition=Q(is_published=True, is_featured=True), name="events_featured_idx"
            ),
        ]
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
    def local_zone(self):
        """The venue's time zone when it differs from the association's, else None."""
        if self.attendance == self.Attendance.ONLINE or self.time_zone == settings.TIME_ZONE:
            return None
        return zoneinfo.ZoneInfo(self.time_zone)

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

    def next_change(self, now=None):
        """When this event's page next changes by the clock alone: registration opening or closing,
        the event starting (under way, registration closed) or ending (past). None when it is over."""
        now = now or timezone.now()
        moments = (self.registration_opens_at, self.registration_closes, self.starts_at, self.ends_at)
        return min((moment for moment in moments if moment is not None and moment > now), default=None)

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

    # Registration ----------------------------------------------------------------------------

    def check_registration_open(self, now=None):
        """Raise RegistrationError saying why nobody can register now."""
        now = now or timezone.now()
        if not self.is_published:
            raise RegistrationError("This event is not open for registration.")
        if self.starts_at <= now:
            raise RegistrationError(f"“{self.title}” has already started: registration is closed.")
        if self.registration_opens_at and now < self.registration_opens_at:
            opens = timezone.localtime(self.registration_opens_at)
            raise RegistrationError(f"Registration for “{self.title}” opens on {opens:%B %-d, %Y at %-I:%M %p %Z}.")
        if now >= self.registration_closes:
            raise RegistrationError(f"Registration for “{self.title}” is closed.")

    def seats_held(self, now=None):
        return self.registrations.holding_seats(now).count()

    def has_free_seat(self, now=None):
        return self.capacity is None or self.seats_held(now) < self.capacity

    def locked(self):
        """This event re-read under a row lock (PostgreSQL; SQLite's IMMEDIATE transactions hold the
        write lock from BEGIN): every change to its seats waits for the one before, so two people
        never both count the same last seat as free. Call inside transaction.atomic()."""
        return Event.objects.select_for_update().get(pk=self.pk)

    def register(self, user, now=None):
        """Register `user`; returns the registration, or raises RegistrationError for the person.

        Free: confirmed at once. Paid: pending at their price, holding a seat for PENDING_HOLD;
        the caller sends them to the checkout (Registration.checkout_line) and the store's
        order_paid confirms it. Full: waitlisted. An unpaid registration of theirs that still holds
        its seat is returned as it is, so going back to pay never makes a second one; one whose
        hold expired tries for a seat again.
        """
        now = now or timezone.now()
        try:
            with transaction.atomic():
                event = self.locked()
                event.check_registration_open(now)
                event.offer_free_seats(now)  # those waiting come before a newcomer
                registration = event.registrations.active().filter(user=user).first()
                if registration is not None:
                    if registration.status == Registration.Status.CONFIRMED:
                        raise RegistrationError(f"You are already registered for “{event.title}”.")
                    if registration.status == Registration.Status.WAITLISTED:
                        raise RegistrationError(f"You are already on the waitlist for “{event.title}”.")
                    if registration.status == Registration.Status.OFFERED:
                        raise RegistrationError(
                            f"A seat at “{event.title}” is offered to you: take it on the event page."
                        )
                    if registration.holds_seat(now):
                        return registration
                else:
                    registration = Registration(event=event, user=user)
                registration.price = event.price_for(user)
                registration.was_member = bool(getattr(user, "is_member", False))
                if not event.has_free_seat(now):
                    registration.status = Registration.Status.WAITLISTED
                elif registration.price <= 0:
                    registration.status = Registration.Status.CONFIRMED
                    registration.confirmed_at = now
                else:
                    registration.status = Registration.Status.PENDING
                registration.save()
                # created_at starts the hold; auto_now_add sets it only on insert, so a renewed
                # hold (and a `now` given by a test) is written explicitly.
                Registration.objects.filter(pk=registration.pk).update(created_at=now)
                registration.created_at = now
                if registration.status == Registration.Status.CONFIRMED:
                    registration.send_confirmation()
                elif registration.status == Registration.Status.WAITLISTED:
                    registration.send_email("waitlisted")
        except IntegrityError:
            # events_one_active_registration: a second submission raced this one and won.
            raise RegistrationError(f"You are already registered for “{self.title}”.") from None
        return registration

    def offer_free_seats(self, now=None):
        """Lapse expired offers, then offer each free seat to the next on the waitlist, by email.

        Call under the event's lock, in the transaction that freed the seat. Returns the
        registrations offered a seat now. Nothing is offered once the event has started.
        """
        now = now or timezone.now()
        lapsed = self.registrations.filter(status=Registration.Status.OFFERED, offered_at__lte=now - OFFER_HOLD)
        if lapsed.update(status=Registration.Status.CANCELLED, cancelled_at=now):
            # update() sends no signal: renew the shared pages now and once the change is committed.
            page_cache.bump()
            transaction.on_commit(page_cache.bump)
        if self.starts_at <= now:
            return []
        waiting = self.registrations.filter(status=Registration.Status.WAITLISTED).order_by("created_at", "pk")
        if self.capacity is not None:
            waiting = waiting[: max(self.capacity - self.seats_held(now), 0)]
        offered = list(waiting)
        for registration in offered:
            registration.status = Registration.Status.OFFERED
            registration.offered_at = now
            registration.save(update_fields=["status", "offered_at"])
            registration.send_email("seat_offered", {"offer_expires_at": now + OFFER_HOLD})
        return offered


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


def seat_holding(now=None, prefix=""):
    """The condition for a registration holding a seat at `now`; `prefix` ("registrations__")
    counts them from an Event query, e.g. Count("registrations", filter=seat_holding(prefix=...))."""
    now = now or timezone.now()
    return (
        Q(**{f"{prefix}status": Registration.Status.CONFIRMED})
        | Q(**{f"{prefix}status": Registration.Status.PENDING, f"{prefix}created_at__gt": now - PENDING_HOLD})
        | Q(**{f"{prefix}status": Registration.Status.OFFERED, f"{prefix}offered_at__gt": now - OFFER_HOLD})
    )


class RegistrationQuerySet(models.QuerySet):
    def holding_seats(self, now=None):
        """Registrations that take a seat: confirmed, awaiting payment or offered a seat (each of
        the last two only while its hold lasts: PENDING_HOLD, OFFER_HOLD)."""
        return self.filter(seat_holding(now))

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

    # Seats, payment and cancellation -------------------------------------------------------------

    def holds_seat(self, now=None):
        now = now or timezone.now()
        if self.status == self.Status.CONFIRMED:
            return True
        if self.status == self.Status.PENDING:
            return self.created_at is not None and self.created_at > now - PENDING_HOLD
        if self.status == self.Status.OFFERED:
            return self.offered_at is not None and self.offered_at > now - OFFER_HOLD
        return False

    @property
    def is_awaiting_payment(self):
        return self.status in (self.Status.PENDING, self.Status.OFFERED) and self.price > 0

    @property
    def offer_expires_at(self):
        return self.offered_at + OFFER_HOLD if self.offered_at else None

    @property
    def payment_expires_at(self):
        return self.created_at + PENDING_HOLD if self.created_at else None

    def can_cancel(self, now=None):
        """Whether the person may cancel it themselves (see cancel)."""
        now = now or timezone.now()
        return (
            self.status in self.ACTIVE_STATUSES
            and self.event.starts_at > now
            and not (self.status == self.Status.CONFIRMED and self.price > 0)
        )

    def checkout_line(self):
        """The store line that pays for this registration (the view starts the checkout with it)."""
        from store.api import PayableLine

        when = timezone.localtime(self.event.starts_at)
        return PayableLine(
            kind="event_fee",
            description=f"Registration: {self.event.title}, {when:%b %-d, %Y}",
            unit_price=self.price,
            item=self,
        )

    def _fresh(self):
        return Registration.objects.select_related("event", "user").get(pk=self.pk)

    def mark_paid(self, now=None):
        """The store's order_paid: confirm it (idempotent: a retried fulfilment changes nothing).

        A payment arriving after the seat hold lapsed still gets a seat when one is free; when the
        event filled up meanwhile, this raises, and the store records a fulfilment failure for
        staff, who refund the order or raise the capacity and retry.
        """
        now = now or timezone.now()
        with transaction.atomic():
            event = self.event.locked()
            registration = self._fresh()
            if registration.status in (self.Status.CONFIRMED, self.Status.REFUNDED):
                return registration
            if not (registration.holds_seat(now) or event.has_free_seat(now)):
                raise RegistrationError(
                    f"{registration.user} paid for “{event.title}” after their seat hold lapsed, and the event "
                    "is full: refund the order, or raise the capacity and retry."
                )
            registration.status = self.Status.CONFIRMED
            registration.confirmed_at = now
            registration.save(update_fields=["status", "confirmed_at"])
            registration.send_confirmation()
        return registration

    def mark_refunded(self, now=None):
        """The store's order_refunded: the registration is cancelled and its seat offered on."""
        now = now or timezone.now()
        with transaction.atomic():
            event = self.event.locked()
            registration = self._fresh()
            if registration.status == self.Status.REFUNDED:
                return registration
            registration.status = self.Status.REFUNDED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at"])
            event.offer_free_seats(now)
        return registration

    def cancel(self, now=None):
        """The person cancels before the event starts; the seat is offered to the waitlist.

        A paid, confirmed registration is not cancelled here: its money goes back only through a
        refund of the order by staff (admin), which cancels it (mark_refunded). The message tells
        the person so.
        """
        now = now or timezone.now()
        with transaction.atomic():
            event = self.event.locked()
            registration = self._fresh()
            if registration.status not in self.ACTIVE_STATUSES:
                raise RegistrationError(f"Your registration for “{event.title}” is already cancelled.")
            if event.starts_at <= now:
                raise RegistrationError(
                    f"“{event.title}” has already started: the registration can no longer be cancelled."
                )
            if registration.status == self.Status.CONFIRMED and registration.price > 0:
                raise RegistrationError(
                    f"You paid ${registration.price} for “{event.title}”. To cancel with a refund, reply to your "
                    "order's email: staff refund the order, which cancels the registration."
                )
            registration.status = self.Status.CANCELLED
            registration.cancelled_at = now
            registration.save(update_fields=["status", "cancelled_at"])
            event.offer_free_seats(now)
        return registration

    def take_offer(self, user, now=None):
        """The person takes the seat offered to them: confirmed when free to them, else it stays
        offered (holding the seat until the offer expires) at their price, for the caller to send
        them to the checkout. Raises RegistrationError when the offer is not theirs or has lapsed.
        """
        now = now or timezone.now()
        lapsed = False
        with transaction.atomic():
            event = self.event.locked()
            registration = self._fresh()
            if registration.user_id != user.pk or registration.status != self.Status.OFFERED:
                raise RegistrationError("There is no seat offered to you for this event.")
            if event.starts_at <= now:
                raise RegistrationError(f"“{event.title}” has already started.")
            if not registration.holds_seat(now):
                event.offer_free_seats(now)  # it lapses and the seat passes on
                lapsed = True
            else:
                registration.price = event.price_for(user)
                registration.was_member = bool(getattr(user, "is_member", False))
                update = ["price", "was_member"]
                if registration.price <= 0:
                    registration.status = self.Status.CONFIRMED
                    registration.confirmed_at = now
                    update += ["status", "confirmed_at"]
                registration.save(update_fields=update)
                if registration.status == self.Status.CONFIRMED:
                    registration.send_confirmation()
        if lapsed:
            raise RegistrationError(
                f"The seat offered to you for “{registration.event.title}” was held until "
                f"{timezone.localtime(registration.offer_expires_at):%B %-d at %-I:%M %p %Z}, "
                "and has passed to the next person waiting."
            )
        return registration

    # Email ---------------------------------------------------------------------------------------

    def email_context(self):
        site = settings.SITE_URL
        return {
            "registration": self,
            "event": self.event,
            "user": self.user,
            "event_url": site + self.event.get_absolute_url(),
            "offer_url": site + reverse("events:take_seat", args=[self.event.slug]),
            "account_url": site + reverse("membership:account"),
        }

    def send_email(self, name, extra=None, attachments=None):
        """Queue events/email/<name> to the person with the current transaction."""
        from ala_site.emails import send_templated_email_on_commit

        context = {**self.email_context(), **(extra or {})}
        send_templated_email_on_commit(f"events/email/{name}", context, self.user.email, attachments=attachments)

    def send_confirmation(self):
        """The confirmation, with the joining link and the event's .ics attached."""
        from .views import event_ical_bytes

        ics = event_ical_bytes(self.event).decode()
        self.send_email("confirmation", attachments=[(f"{self.event.slug}.ics", ics, "text/calendar")])
