from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models.functions import Lower
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from ala_site.emails import send_templated_email_on_commit
from ala_site.models import TrackedModel


class UserManager(BaseUserManager):
    use_in_migrations = True

    def get_by_natural_key(self, email):
        # Email is the login, and "Ana@x.org" and "ana@x.org" are the same person.
        return self.get(email__iexact=email)

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not extra_fields["is_staff"] or not extra_fields["is_superuser"]:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A person with an account: members, staff, employers, buyers. Email is the login."""

    username = None
    email = models.EmailField("email address", unique=True)
    email_verified_at = models.DateTimeField(
        null=True, blank=True, help_text="When the person confirmed the address by the emailed link."
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_unique_any_case"),
        ]

    def __str__(self):
        return self.get_full_name() or self.email

    def clean(self):
        super().clean()
        self.email = type(self).objects.normalize_email(self.email)
        clash = type(self).objects.filter(email__iexact=self.email).exclude(pk=self.pk)
        if self.email and clash.exists():
            raise ValidationError({"email": "An account with this email address already exists."})

    @property
    def is_member(self):
        """The one question other apps ask: does this person hold a current membership?"""
        if not hasattr(self, "_is_member"):
            self._is_member = Membership.objects.current().filter(user=self).exists()
        return self._is_member

    @property
    def membership_offer(self):
        """What the site offers this person: "join", "renew", or "" (a member with nothing due).

        One query for the utility bar on every page; it answers is_member from the same row.
        """
        if not hasattr(self, "_membership_offer"):
            # Kept in the cache for the day (the offer also changes with the date); saving or deleting
            # the membership forgets it (membership_offer_changed). Prices never read this: is_member does.
            key = membership_offer_key(self.pk)
            offer = cache.get(key) if self.pk else None
            if offer is None:
                membership = (
                    Membership.objects.filter(user=self).only("status", "expires_on", "member_since").first()
                    if self.pk
                    else None
                )
                self._is_member = bool(membership and membership.is_current)
                if membership is None or membership.member_since is None:
                    offer = "join"  # never a member yet; the join page says what is missing
                else:
                    offer = "renew" if membership.renewal_is_open else ""
                if self.pk:
                    cache.set(key, offer, 60 * 60 * 24)
            self._membership_offer = offer
        return self._membership_offer

    @property
    def email_verified(self):
        return self.email_verified_at is not None

    def verify_email(self):
        """Mark the address confirmed; a paid membership that waited for it starts now."""
        if self.email_verified_at is None:
            self.email_verified_at = timezone.now()
            self.save(update_fields=["email_verified_at"])
        membership = Membership.objects.filter(user=self).first()
        if membership:
            membership.start_paid_terms()


class MembershipType(TrackedModel):
    """A kind of membership with its annual dues (Individual Type I, Student, ...)."""

    name = models.CharField(max_length=100)
    slug = models.SlugField(unique=True)
    annual_dues = models.DecimalField(max_digits=8, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    summary = models.CharField(max_length=200, blank=True, help_text="One line shown under the name.")
    eligibility = models.TextField(help_text="Who may choose this type; the applicant confirms it.")
    benefits = models.TextField(blank=True, help_text="One benefit per line.")
    is_active = models.BooleanField("offered", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    cache_sections = ("membership",)

    class Meta:
        ordering = ["order", "annual_dues"]

    def __str__(self):
        return self.name

    @property
    def benefit_list(self):
        return [line.strip() for line in self.benefits.splitlines() if line.strip()]


class MembershipQuerySet(models.QuerySet):
    def current(self, today=None):
        """Active and not past the expiry date, computed now rather than trusted from status."""
        today = today or timezone.localdate()
        return self.filter(status=Membership.Status.ACTIVE, expires_on__gte=today)

    def lapsed(self, today=None):
        today = today or timezone.localdate()
        return self.filter(status=Membership.Status.ACTIVE, expires_on__lt=today)

    def expiring_on(self, day):
        return self.current().filter(expires_on=day)


class Membership(TrackedModel):
    """A person's membership: one per person, made of yearly terms (see MembershipTerm)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending (awaiting payment or email confirmation)"
        ACTIVE = "active", "Active"
        EXPIRED = "expired", "Expired"
        CANCELLED = "cancelled", "Cancelled"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    membership_type = models.ForeignKey(MembershipType, on_delete=models.PROTECT, related_name="memberships")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    member_since = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    # Consent is opt-in: nobody gets news by email until they tick the box.
    news_emails = models.BooleanField("association news by email", default=False)
    advocacy_emails = models.BooleanField("advocacy alerts by email", default=False)
    elearning_emails = models.BooleanField("eLearning announcements by email", default=False)
    eligibility_confirmed_at = models.DateTimeField(null=True, blank=True)
    code_of_conduct_accepted_at = models.DateTimeField(null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return f"{self.user} ({self.membership_type})"

    @property
    def is_current(self):
        return (
            self.status == self.Status.ACTIVE
            and self.expires_on is not None
            and self.expires_on >= timezone.localdate()
        )

    @property
    def renewal_window_days(self):
        return settings.MEMBERSHIP_RENEWAL_WINDOW_DAYS

    @property
    def renewal_opens_on(self):
        """The first day "Renew" is offered (settings.MEMBERSHIP_RENEWAL_WINDOW_DAYS before expiry)."""
        if self.expires_on is None:
            return None
        return self.expires_on - timedelta(days=self.renewal_window_days)

    @property
    def renewal_starts_on(self):
        """Where a year renewed today begins (as MembershipTerm.start will place it)."""
        if self.is_current:
            return self.expires_on + timedelta(days=1)
        return timezone.localdate()

    @property
    def renewal_is_open(self):
        """A member in the window before expiry, or whose membership lapsed, is asked to renew.

        Earlier, renewing is allowed (the year is added after the current one) but not offered.
        """
        if self.member_since is None:
            return False
        if not self.is_current:
            return True
        return timezone.localdate() >= self.renewal_opens_on

    @property
    def display_status(self):
        if self.status == self.Status.ACTIVE and not self.is_current:
            return "Expired"
        return self.get_status_display()

    def new_term(self, membership_type=None):
        """A pending term of one year, to be paid through the store's checkout."""
        membership_type = membership_type or self.membership_type
        return self.terms.create(membership_type=membership_type, dues=membership_type.annual_dues)

    def pending_term(self):
        """The newest term waiting for its dues (starting another join or renewal cancels older ones)."""
        return (
            self.terms.filter(status=MembershipTerm.Status.PENDING)
            .select_related("membership_type")
            .order_by("-created_at", "-pk")
            .first()
        )

    def start_paid_terms(self):
        """Start every paid term that waits, one after another; needs a confirmed email."""
        if not self.user.email_verified:
            return []
        started = []
        with transaction.atomic():
            membership = type(self).objects.select_for_update().get(pk=self.pk)
            for term in membership.terms.filter(status=MembershipTerm.Status.PAID).order_by("paid_at", "pk"):
                term.start()
                started.append(term)
        if started:
            self.refresh_from_db()
            send_templated_email_on_commit(
                "membership/email/activated",
                {"membership": self, "term": started[-1]},
                self.user.email,
            )
        return started

    def sync_with_terms(self):
        """Expiry, type and status from the started terms (after a refund, or as years begin)."""
        today = timezone.localdate()
        started = list(self.terms.filter(status=MembershipTerm.Status.STARTED).order_by("starts_on"))
        if not started:
            self.expires_on = None
            self.status = self.Status.CANCELLED
        else:
            begun = [term for term in started if term.starts_on <= today] or started[:1]
            self.membership_type_id = begun[-1].membership_type_id
            self.expires_on = started[-1].ends_on
            self.status = self.Status.ACTIVE if self.expires_on >= today else self.Status.EXPIRED
        self.save(update_fields=["membership_type", "expires_on", "status", "updated_at"])

    def expire_if_lapsed(self):
        if self.status == self.Status.ACTIVE and self.expires_on and self.expires_on < timezone.localdate():
            self.status = self.Status.EXPIRED
            self.save(update_fields=["status", "updated_at"])
            return True
        return False


class MembershipTerm(models.Model):
    """One paid year of membership. Terms follow each other, so renewing twice loses nothing."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid, awaiting email confirmation"
        STARTED = "started", "Started"
        CANCELLED = "cancelled", "Cancelled"
        REFUNDED = "refunded", "Refunded"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="terms")
    membership_type = models.ForeignKey(MembershipType, on_delete=models.PROTECT, related_name="+")
    dues = models.DecimalField(max_digits=8, decimal_places=2)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    reminded_30_at = models.DateTimeField("30-day reminder sent", null=True, blank=True)
    reminded_7_at = models.DateTimeField("7-day reminder sent", null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "-created_at"]

    def __str__(self):
        if self.starts_on:
            return f"{self.membership_type}: {self.starts_on:%b %-d, %Y} – {self.ends_on:%b %-d, %Y}"
        return f"{self.membership_type}: {self.get_status_display()}"

    def mark_paid(self):
        """Called when the store reports the order paid; a repeated call changes nothing."""
        # A term cancelled because the member started another join or renewal (a second tab)
        # may still be paid through its own order: the money was taken, so the year counts.
        updated = (
            type(self)
            .objects.filter(pk=self.pk, status__in=[self.Status.PENDING, self.Status.CANCELLED])
            .update(status=self.Status.PAID, paid_at=timezone.now())
        )
        if updated:
            self.refresh_from_db()
            self.membership.start_paid_terms()

    def start(self):
        """Begin the year after the current expiry, or today when there is none or it lapsed."""
        membership = self.membership
        today = timezone.localdate()
        if membership.expires_on and membership.expires_on >= today:
            self.starts_on = membership.expires_on + timedelta(days=1)
        else:
            self.starts_on = today
        self.ends_on = add_years(self.starts_on, 1) - timedelta(days=1)
        self.status = self.Status.STARTED
        self.save(update_fields=["starts_on", "ends_on", "status"])
        if self.starts_on <= today:
            # A renewal to another type takes effect when its year begins (expire_memberships
            # switches it on that day); until then the current year keeps its type.
            membership.membership_type = self.membership_type
        membership.expires_on = self.ends_on
        membership.status = Membership.Status.ACTIVE
        membership.member_since = membership.member_since or self.starts_on
        membership.save(update_fields=["membership_type", "expires_on", "status", "member_since", "updated_at"])

    def refund(self):
        """The dues came back: the year is withdrawn, later years close the gap, dates follow.

        A paid term still waiting for the email confirmation simply never starts.
        Returns False when it was refunded already (the store may repeat itself).
        """
        with transaction.atomic():
            membership = Membership.objects.select_for_update().get(pk=self.membership_id)
            term = type(self).objects.select_for_update().get(pk=self.pk)
            if term.status == self.Status.REFUNDED:
                return False
            was_started = term.status == self.Status.STARTED
            term.status = self.Status.REFUNDED
            term.save(update_fields=["status"])
            if was_started:
                # The first withdrawn day still to come; days already past cannot be given back.
                cursor = max(term.starts_on, timezone.localdate())
                later = membership.terms.filter(status=self.Status.STARTED, starts_on__gt=term.starts_on)
                for following in later.order_by("starts_on"):
                    # Only ever earlier: a year that has begun (it starts before the cursor, as
                    # after a refund of a year that has ended) keeps its dates.
                    if following.starts_on > cursor:
                        following.starts_on = cursor
                        following.ends_on = add_years(cursor, 1) - timedelta(days=1)
                        following.save(update_fields=["starts_on", "ends_on"])
                    cursor = following.ends_on + timedelta(days=1)
                membership.sync_with_terms()
        self.refresh_from_db()
        return True


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


class Donation(models.Model):
    """A gift to the association, paid through the store's checkout."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Fund(models.TextChoices):
        GREATEST_NEED = "greatest_need", "Where it is needed most"
        INTELLECTUAL_FREEDOM = "intellectual_freedom", "Defending the freedom to read"
        ADVOCACY = "advocacy", "Library advocacy"
        SCHOLARSHIPS = "scholarships", "Scholarships for library students"
        ENDOWMENT = "endowment", "ALA endowment (the next 150 years)"

    class Dedication(models.TextChoices):
        NONE = "", "No dedication"
        HONOR = "honor", "In honor of"
        MEMORY = "memory", "In memory of"

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        FAILED = "failed", "Payment failed"
        REFUNDED = "refunded", "Refunded"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="donations"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3, default="USD")
    fund = models.CharField("designation", max_length=30, choices=Fund.choices, default=Fund.GREATEST_NEED)
    dedication_type = models.CharField(max_length=10, choices=Dedication.choices, blank=True, default="")
    dedication_name = models.CharField("dedicated to", max_length=150, blank=True)
    is_anonymous = models.BooleanField("keep my gift anonymous", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"${self.amount} from {self.name} ({self.get_status_display()})"

    @property
    def dedication(self):
        if self.dedication_type and self.dedication_name:
            return f"{self.get_dedication_type_display()} {self.dedication_name}"
        return ""

    def mark_paid(self):
        """Called when the store reports the order paid; the receipt goes out once."""
        # A declined card marks the gift failed, but the order stays payable and a retry that
        # succeeds reports it paid: that gift is paid too (only a refunded one stays refunded).
        updated = (
            type(self)
            .objects.filter(pk=self.pk, status__in=[self.Status.PENDING, self.Status.FAILED])
            .update(status=self.Status.PAID, paid_at=timezone.now())
        )
        if updated:
            self.refresh_from_db()
            send_templated_email_on_commit("membership/email/donation_receipt", {"donation": self}, self.email)

    def mark(self, status):
        type(self).objects.filter(pk=self.pk).update(status=status)


def membership_offer_key(user_pk):
    return f"membership-offer:{user_pk}:{timezone.localdate().isoformat()}"


@receiver([post_save, post_delete], sender=Membership, dispatch_uid="membership.offer_changed")
def membership_offer_changed(sender, instance, **kwargs):
    key = membership_offer_key(instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))  # a request may have read the old row meanwhile
