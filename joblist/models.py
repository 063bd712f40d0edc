"""JobLIST: employers, job ads and their review, ad products, and job seekers' saved searches.

An ad's life: an employer writes it (draft), pays for it through the store (pending review), staff
approve it (published, for its product's run, 30 days) or reject it with a reason (rejected; the
employer may edit and resubmit). It ends when its run is over (expired; it may be reposted as a new
ad) or when the employer withdraws it. "Visible on the board" is computed from the dates at query
time, so an ad disappears the moment it expires; `manage.py expire_jobs` then records the state.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import connection, models, transaction
from django.db.models import F, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from ala_site import page_cache
from ala_site.emails import send_templated_email_on_commit
from ala_site.models import ImageModel, TrackedModel
from ala_site.richtext import MARKDOWN_HELP, RichTextMixin
from ala_site.us_states import US_STATES
from ala_site.validators import validate_link

MONEY = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}
AD_RUN_DAYS = 30


class JobPostingError(Exception):
    """A change the person cannot make to an ad now; the message is shown to them as it is."""


class Employer(ImageModel, TrackedModel):
    """A library or organisation that advertises jobs; `contacts` are the accounts that post for it."""

    name = models.CharField(max_length=200)
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=2, choices=US_STATES, blank=True)
    website = models.URLField(max_length=300, blank=True, validators=[validate_link])
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="employers",
        help_text="Accounts that post ads for this employer and see its ads.",
    )

    cache_sections = ("jobs",)
    IMAGE_FOLDER = "joblist/logos"
    RENDITION_WIDTH = 240

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def location(self):
        return ", ".join(part for part in (self.city, self.state) if part)


class AdProduct(TrackedModel):
    """What an employer buys: an online ad for a number of days, at a price set by staff."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    description = models.CharField(max_length=300, blank=True)
    days = models.PositiveSmallIntegerField(default=AD_RUN_DAYS, validators=[MinValueValidator(1)])
    price = models.DecimalField(**MONEY)
    member_price = models.DecimalField(
        "organizational member price",
        **MONEY,
        null=True,
        blank=True,
        help_text="What members of the types below pay; empty means no discount.",
    )
    discounted_membership_types = models.ManyToManyField(
        "membership.MembershipType",
        blank=True,
        help_text="Members of these types (Organizational) pay the member price.",
    )
    is_featured = models.BooleanField(
        "featured ad", default=False, help_text="Ads bought with this product are marked featured on the board."
    )
    is_active = models.BooleanField("on sale", default=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "price"]

    def __str__(self):
        return self.name

    def price_for(self, user):
        """The price this person pays: the member price for an organizational member, else the price."""
        if self.member_price is None or not getattr(user, "is_member", False):
            return self.price
        membership = getattr(user, "membership", None)
        type_id = getattr(membership, "membership_type_id", None)
        if type_id and any(t.pk == type_id for t in self.discounted_membership_types.all()):
            return min(self.member_price, self.price)
        return self.price


def yearly_salary_top():
    """The top of an ad's salary range per year (an hourly wage counts as 2,080 hours), or NULL."""
    top = Coalesce(F("salary_max"), F("salary_min"))
    return models.Case(
        models.When(salary_period="hour", then=top * 2080),
        models.When(salary_period="month", then=top * 12),
        default=top,
        output_field=models.DecimalField(max_digits=12, decimal_places=2),
    )


def end_of_day(day):
    """The moment `day` ends (the next midnight) in the association's time zone."""
    return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))


def _search_query(text):
    from django.contrib.postgres.search import SearchQuery

    return SearchQuery(text, search_type="websearch", config="english")


def _search_rank(text):
    """How well a posting matches `text` (higher is better); 1 for every match on SQLite."""
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchRank

        return SearchRank(F("search_vector"), _search_query(text))
    return models.Value(1.0, output_field=models.FloatField())


class JobPostingQuerySet(models.QuerySet):
    def visible(self, now=None):
        """On the board now: published, its run not over, its application deadline not passed."""
        now = now or timezone.now()
        today = timezone.localdate(now)
        return self.filter(
            Q(application_deadline__isnull=True) | Q(application_deadline__gte=today),
            status=JobPosting.Status.PUBLISHED,
            published_at__lte=now,
            expires_at__gt=now,
        )

    def next_change(self, now=None):
        """When the ads `visible` gives next change by the clock alone (None: nothing is scheduled).

        The soonest of: a published ad's publish time still to come, a live ad's run ending, and
        the end of a live ad's application deadline day. One query.
        """
        now = now or timezone.now()
        today = timezone.localdate(now)
        published = self.filter(status=JobPosting.Status.PUBLISHED)
        live = published.filter(expires_at__gt=now)

        def first(queryset, field):
            # Each soonest moment read off an index, not an aggregate over every live ad.
            return Subquery(queryset.order_by(field).values(field)[:1])

        found = (
            self.model._default_manager.order_by()
            .values(
                start=first(published.filter(published_at__gt=now), "published_at"),
                end=first(live, "expires_at"),
                deadline=first(live.filter(application_deadline__gte=today), "application_deadline"),
            )
            .first()
        ) or {"start": None, "end": None, "deadline": None}
        moments = [found["start"], found["end"], found["deadline"] and end_of_day(found["deadline"])]
        return min((moment for moment in moments if moment is not None), default=None)

    def newest(self):
        return self.order_by("-published_at", "-pk")

    def best_paid(self):
        """Highest yearly salary first; ads without a salary last."""
        return self.annotate(yearly_top=yearly_salary_top()).order_by(
            F("yearly_top").desc(nulls_last=True), "-published_at", "-pk"
        )

    def for_board(self):
        return self.select_related("employer")

    def waiting_for_review(self):
        return self.filter(status=JobPosting.Status.PENDING)

    def run_over(self, now=None):
        """Published ads whose run has ended but whose state does not say so yet."""
        return self.filter(status=JobPosting.Status.PUBLISHED, expires_at__lte=now or timezone.now())

    def owned_by(self, user):
        """Ads this person may see and edit: theirs, or their employer's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(Q(posted_by=user) | Q(employer__contacts=user)).distinct()

    def matching(self, criteria):
        """Filter by a job search's criteria (see joblist.forms.JobSearchForm.criteria)."""
        qs = self
        if criteria.get("state"):
            qs = qs.filter(state=criteria["state"])
        if criteria.get("library_type"):
            qs = qs.filter(library_type=criteria["library_type"])
        if criteria.get("category"):
            qs = qs.filter(category=criteria["category"])
        if criteria.get("job_type"):
            qs = qs.filter(job_type=criteria["job_type"])
        if criteria.get("workplace"):
            qs = qs.filter(workplace=criteria["workplace"])
        if criteria.get("min_salary"):
            # Salaries are compared per year; an hourly wage counts as 2,080 hours.
            qs = qs.annotate(yearly_top=yearly_salary_top()).filter(yearly_top__gte=criteria["min_salary"])
        if criteria.get("q"):
            qs = qs.search(criteria["q"])
        return qs

    def search(self, text):
        """Postings matching the words in `text`, annotated with `rank` (higher is better).

        PostgreSQL: full-text search over a stored, weighted vector (title A, employer B,
        description and requirements C) with a GIN index; websearch syntax, so operators a
        visitor types ("quotes", or, -not) work and nothing they type is a syntax error.
        SQLite: every word must appear in the title, employer, city or description; rank 1.
        """
        words = text.split()
        if not words:
            return self
        if connection.vendor == "postgresql":
            return self.filter(search_vector=_search_query(text)).annotate(rank=_search_rank(text))
        condition = Q()
        for word in words[:20]:
            condition &= (
                Q(title__icontains=word)
                | Q(employer__name__icontains=word)
                | Q(city__icontains=word)
                | Q(description__icontains=word)
            )
        return self.filter(condition).annotate(rank=_search_rank(text))

    def best_match_first(self, text, among):
        """These postings that match `text` (see `search`), best match first, among the newest `among`.

        Ranking reads every row it ranks, and a broad search on a big board ("librarian") matches
        tens of thousands of ads: so only the newest `among` matches are ranked. On a job board
        fresh ads matter, and the board lists no more than that many anyway (its count stops
        there too, see joblist.views.CappedPaginator). A search with fewer matches is ranked in
        full, as before. The rows are then fetched by primary key, without matching them again.
        """
        if not text.split():  # no words: nothing to rank
            return self.newest()
        newest = self.search(text).order_by("-published_at", "-pk").values("pk")[:among]
        return (
            self.model.objects.filter(pk__in=newest)
            .annotate(rank=_search_rank(text))
            .order_by("-rank", "-published_at", "-pk")
        )

    def refresh_search_vectors(self):
        """Store each posting's search vector (PostgreSQL only; SQLite searches the text itself)."""
        if connection.vendor != "postgresql":
            return 0
        from django.contrib.postgres.search import SearchVector

        vector = (
            SearchVector("title", weight="A", config="english")
            + SearchVector("employer_name", weight="B", config="english")
            + SearchVector("city", "description", "requirements", weight="C", config="english")
        )
        updated = self.update(search_vector=vector)
        if updated:
            # update() sends no signal, and search results (the board's keyword search, the site's
            # search page) read the vector: pages rendered from the old one are out of date.
            page_cache.bump()
        return updated


class JobPosting(RichTextMixin, TrackedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PENDING = "pending", "Pending review"
        PUBLISHED = "published", "Published"
        EXPIRED = "expired", "Expired"
        REJECTED = "rejected", "Rejected"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class Workplace(models.TextChoices):
        ON_SITE = "on_site", "On-site"
        HYBRID = "hybrid", "Hybrid"
        REMOTE = "remote", "Remote"

    class LibraryType(models.TextChoices):
        ACADEMIC = "academic", "Academic"
        PUBLIC = "public", "Public"
        SCHOOL = "school", "School"
        SPECIAL = "special", "Special"
        GOVERNMENT = "government", "Government"
        ARCHIVE = "archive", "Archive or museum"
        OTHER = "other", "Other"

    class Category(models.TextChoices):
        LIBRARIAN = "librarian", "Librarian"
        ADMINISTRATION = "administration", "Director or administration"
        YOUTH = "youth", "Children's and youth services"
        INSTRUCTION = "instruction", "Instruction and research"
        TECHNICAL = "technical", "Cataloging and technical services"
        TECHNOLOGY = "technology", "Systems and digital"
        ARCHIVES = "archives", "Archives and special collections"
        SUPPORT = "support", "Library assistant and support staff"
        OTHER = "other", "Other"

    class JobType(models.TextChoices):
        FULL_TIME = "full_time", "Full time"
        PART_TIME = "part_time", "Part time"
        TEMPORARY = "temporary", "Temporary"
        INTERNSHIP = "internship", "Internship"

    class SalaryPeriod(models.TextChoices):
        YEAR = "year", "per year"
        MONTH = "month", "per month"
        HOUR = "hour", "per hour"

    # schema.org employmentType for each job type
    EMPLOYMENT_TYPES = {
        "full_time": "FULL_TIME",
        "part_time": "PART_TIME",
        "temporary": "TEMPORARY",
        "internship": "INTERN",
    }

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="postings")
    # A copy of the employer's name, so search and lists need no join and the ad keeps the name it ran under.
    employer_name = models.CharField(max_length=200, editable=False)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2, choices=US_STATES)
    workplace = models.CharField("on-site, hybrid or remote", max_length=10, choices=Workplace.choices)
    library_type = models.CharField(max_length=12, choices=LibraryType.choices)
    category = models.CharField(max_length=16, choices=Category.choices)
    job_type = models.CharField("full or part time", max_length=12, choices=JobType.choices)
    salary_min = models.DecimalField("salary from", **MONEY, null=True, blank=True)
    salary_max = models.DecimalField("salary up to", **MONEY, null=True, blank=True)
    salary_period = models.CharField(max_length=6, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR)
    description = models.TextField(help_text=MARKDOWN_HELP)
    description_html = models.TextField(editable=False, blank=True)
    requirements = models.TextField(blank=True, help_text=MARKDOWN_HELP)
    requirements_html = models.TextField(editable=False, blank=True)
    apply_url = models.URLField("apply online at", max_length=500, blank=True, validators=[validate_link])
    apply_email = models.EmailField("or apply by email to", blank=True)
    application_deadline = models.DateField(null=True, blank=True)
    is_featured = models.BooleanField("featured", default=False)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    ad_product = models.ForeignKey(AdProduct, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="job_postings"
    )
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    paid_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    rejection_reason = models.TextField(blank=True, help_text="Sent to the employer with a rejection.")
    reposted_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    # PostgreSQL's tsvector (see JobPostingQuerySet.search); an unused column on SQLite.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = JobPostingQuerySet.as_manager()
    cache_sections = ("jobs",)
    rich_text_fields = {"description": "description_html", "requirements": "requirements_html"}

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "expires_at", "published_at"], name="joblist_visible_idx"),
            # The board's order after its status: SQLite, having no statistics, otherwise takes
            # joblist_visible_idx for the status and sorts every live ad to show a page.
            models.Index(fields=["status", "-published_at", "-id"], name="joblist_newest_idx"),
            # The board's next clock change: the soonest application deadline of a live ad.
            models.Index(fields=["status", "application_deadline"], name="joblist_deadline_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_max__isnull=True) | Q(salary_max__gte=F("salary_min")),
                name="joblist_salary_range_in_order",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("joblist:detail", args=[self.pk, self.slug or "job"])

    def clean(self):
        super().clean()
        errors = {}
        if self.salary_min is not None and self.salary_max is not None and self.salary_max < self.salary_min:
            errors["salary_max"] = "The top of the salary range must not be below its start."
        if not self.apply_url and not self.apply_email:
            errors["apply_url"] = ValidationError(
                "Say how to apply: a web address or an email address.", code="no_way_to_apply"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.slug = slugify(self.title)[:200] or "job"
        if self.employer_id:
            self.employer_name = self.employer.name
        super().save(*args, **kwargs)
        if connection.vendor == "postgresql":
            JobPosting.objects.filter(pk=self.pk).refresh_search_vectors()

    # What the board shows ---------------------------------------------------------------------

    def is_visible(self, now=None):
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= now
            and self.expires_at is not None
            and now < self.expires_at
            and (self.application_deadline is None or self.application_deadline >= timezone.localdate(now))
        )

    def has_ended(self, now=None):
        """Expired, or published with its run or application deadline over: shown with a banner."""
        now = now or timezone.now()
        if self.status == self.Status.EXPIRED:
            return True
        return self.status == self.Status.PUBLISHED and not self.is_visible(now)

    @property
    def location(self):
        return f"{self.city}, {self.state}" if self.city else self.state

    @property
    def valid_through(self):
        """When the ad stops running: its run's end, or the end of the deadline day if sooner."""
        ends = [self.expires_at] if self.expires_at else []
        if self.application_deadline:
            ends.append(end_of_day(self.application_deadline))
        return min(ends) if ends else None

    @property
    def employment_type(self):
        return self.EMPLOYMENT_TYPES.get(self.job_type, "OTHER")

    # The ad's life (each change is made under a row lock, so two clicks do it once) ------------

    def _locked(self):
        return JobPosting.objects.select_for_update().get(pk=self.pk)

    def _apply(self, fresh):
        for field in fresh._meta.concrete_fields:
            setattr(self, field.attname, getattr(fresh, field.attname))

    @transaction.atomic
    def mark_paid(self, now=None):
        """The store took the payment: the ad goes to review. Idempotent (the store may retry)."""
        now = now or timezone.now()
        posting = self._locked()
        if posting.paid_at is not None:
            self._apply(posting)
            return False
        posting.paid_at = now
        if posting.status == self.Status.DRAFT:
            posting.status = self.Status.PENDING
            posting.submitted_at = now
        posting.save(update_fields=["paid_at", "status", "submitted_at", "updated_at"])
        self._apply(posting)
        posting._notify_staff_of_review()
        return True

    @transaction.atomic
    def mark_refunded(self, now=None):
        """The payment was refunded: an ad not yet over is withdrawn from the board."""
        posting = self._locked()
        if posting.status in (self.Status.DRAFT, self.Status.PENDING, self.Status.PUBLISHED, self.Status.REJECTED):
            posting.status = self.Status.WITHDRAWN
            posting.save(update_fields=["status", "updated_at"])
        self._apply(posting)

    @transaction.atomic
    def resubmit(self, by, now=None):
        """A rejected ad, edited by its employer, goes back to review (it is paid for already)."""
        posting = self._locked()
        if posting.status != self.Status.REJECTED:
            raise JobPostingError("Only a rejected ad can be resubmitted.")
        posting.status = self.Status.PENDING
        posting.submitted_at = now or timezone.now()
        posting.save(update_fields=["status", "submitted_at", "updated_at"])
        self._apply(posting)
        posting._notify_staff_of_review()

    @transaction.atomic
    def approve(self, by, now=None):
        """Staff approve an ad: it is published for its product's run, and the employer is told."""
        now = now or timezone.now()
        posting = self._locked()
        if posting.status != self.Status.PENDING:
            raise JobPostingError(f"“{posting}” is {posting.get_status_display().lower()}, not waiting for review.")
        days = posting.ad_product.days if posting.ad_product else AD_RUN_DAYS
        posting.status = self.Status.PUBLISHED
        posting.published_at = now
        posting.expires_at = now + timedelta(days=days)
        posting.reviewed_at, posting.reviewed_by = now, by
        posting.rejection_reason = ""
        posting.save(
            update_fields=[
                "status", "published_at", "expires_at", "reviewed_at", "reviewed_by", "rejection_reason", "updated_at",
            ]
        )  # fmt: skip
        self._apply(posting)
        posting._notify_employer("job_approved")

    @transaction.atomic
    def reject(self, by, reason, now=None):
        """Staff reject an ad with a reason the employer reads; they may edit it and resubmit."""
        reason = (reason or "").strip()
        if not reason:
            raise JobPostingError("Give the employer a reason for the rejection.")
        posting = self._locked()
        if posting.status != self.Status.PENDING:
            raise JobPostingError(f"“{posting}” is {posting.get_status_display().lower()}, not waiting for review.")
        posting.status = self.Status.REJECTED
        posting.rejection_reason = reason
        posting.reviewed_at, posting.reviewed_by = now or timezone.now(), by
        posting.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by", "updated_at"])
        self._apply(posting)
        posting._notify_employer("job_rejected")

    @transaction.atomic
    def withdraw(self, by):
        """The employer takes the ad down (no refund is implied; staff refund through the order)."""
        posting = self._locked()
        if posting.status in (self.Status.EXPIRED, self.Status.WITHDRAWN):
            raise JobPostingError(f"“{posting}” has already ended.")
        posting.status = self.Status.WITHDRAWN
        posting.save(update_fields=["status", "updated_at"])
        self._apply(posting)

    def repost(self, by):
        """A new draft copied from an ended ad, for the employer to check and pay for again."""
        if not (self.status in (self.Status.EXPIRED, self.Status.WITHDRAWN) or self.has_ended()):
            raise JobPostingError("Only an ad that has ended can be reposted.")
        copy = JobPosting(
            **{
                field.name: getattr(self, field.name)
                for field in self._meta.concrete_fields
                if field.name in REPOST_FIELDS
            },
            posted_by=by,
            reposted_from=self,
        )
        if copy.application_deadline and copy.application_deadline < timezone.localdate():
            copy.application_deadline = None
        copy.save()
        return copy

    def _notify_staff_of_review(self):
        recipients = review_recipients()
        if recipients:
            send_templated_email_on_commit("joblist/email/review_waiting", {"posting": self}, recipients)

    def _notify_employer(self, template):
        recipient = self.posted_by.email if self.posted_by else None
        if recipient:
            send_templated_email_on_commit(f"joblist/email/{template}", {"posting": self}, [recipient])


REPOST_FIELDS = {
    "title", "employer", "city", "state", "workplace", "library_type", "category", "job_type", "salary_min",
    "salary_max", "salary_period", "description", "requirements", "apply_url", "apply_email",
    "application_deadline", "ad_product",
}  # fmt: skip


def review_recipients():
    """Who is emailed when an ad waits for review: the JobLIST staff group, else the site's managers."""
    from django.contrib.auth import get_user_model

    emails = list(
        get_user_model()
        .objects.filter(groups__name=JOBLIST_STAFF_GROUP, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    return emails or [email for _, email in settings.MANAGERS]


JOBLIST_STAFF_GROUP = "JobLIST staff"


class SavedSearch(models.Model):
    """A job seeker's search, whose new matches are emailed to them (manage.py send_job_alerts)."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_job_searches")
    name = models.CharField(max_length=120, help_text="What you call this search, e.g. “Youth services in Ohio”.")
    criteria = models.JSONField(default=dict, help_text="The board's search and filters, as the form cleaned them.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Jobs published after this moment are new to the person; it moves forward with each digest.
    last_sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "saved searches"

    def __str__(self):
        return self.name

    def new_matches(self, now=None):
        now = now or timezone.now()
        return (
            JobPosting.objects.visible(now)
            .for_board()
            .matching(self.criteria)
            .filter(published_at__gt=self.last_sent_at)
            .order_by("-published_at", "-pk")
        )
