"""JobLIST factories, shared by every joblist test (board, posting, employer journey, alerts).

`JobPostingFactory()` is a draft; `JobPostingFactory(published=True)` is on the board now
(published a day ago for a 30-day run). Other traits: `pending` (paid, waiting for review),
`expired` (its run ended and the state says so), `run_over` (published but past its run, as
before `expire_jobs` runs), `rejected`, `withdrawn`, `featured`, `salaried`, `remote`.
`published_job(days_ago=..., **fields)` is a published ad of a given age.
"""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from joblist.models import AD_RUN_DAYS, AdProduct, Employer, JobPosting
from tests.factories import UserFactory


def _now():
    return timezone.now().replace(microsecond=0)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    name = factory.Sequence(lambda n: f"Riverside Public Library {n:03d}")
    city = "Springfield"
    state = "IL"
    website = factory.Sequence(lambda n: f"https://library{n}.example.org/")


class AdProductFactory(factory.django.DjangoModelFactory):
    """An online-only 30-day ad at 250 USD, with a member price but no discounted types yet."""

    class Meta:
        model = AdProduct

    name = factory.Sequence(lambda n: f"Online ad {n:02d} (30 days)")
    slug = factory.Sequence(lambda n: f"online-ad-{n:02d}")
    description = "Your ad on the board for 30 days."
    days = AD_RUN_DAYS
    price = Decimal("250.00")
    member_price = Decimal("200.00")

    class Params:
        featured = factory.Trait(is_featured=True, price=Decimal("650.00"), member_price=Decimal("550.00"))


class JobPostingFactory(factory.django.DjangoModelFactory):
    """A draft ad for a full-time, on-site public librarian, with an online application."""

    class Meta:
        model = JobPosting

    title = factory.Sequence(lambda n: f"Reference Librarian {n:03d}")
    employer = factory.SubFactory(EmployerFactory)
    city = "Springfield"
    state = "IL"
    workplace = JobPosting.Workplace.ON_SITE
    library_type = JobPosting.LibraryType.PUBLIC
    category = JobPosting.Category.LIBRARIAN
    job_type = JobPosting.JobType.FULL_TIME
    description = "Help the public find what they need at the **reference desk** and online."
    requirements = "- An ALA-accredited master's degree\n- Two years of public service"
    apply_url = "https://jobs.example.org/apply/123"
    ad_product = None
    posted_by = None

    class Params:
        published = factory.Trait(
            status=JobPosting.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: _now() - timedelta(days=1)),
            expires_at=factory.LazyAttribute(lambda obj: obj.published_at + timedelta(days=AD_RUN_DAYS)),
            submitted_at=factory.LazyAttribute(lambda obj: obj.published_at - timedelta(days=1)),
            paid_at=factory.LazyAttribute(lambda obj: obj.published_at - timedelta(days=1)),
            reviewed_at=factory.LazyAttribute(lambda obj: obj.published_at),
        )
        pending = factory.Trait(
            status=JobPosting.Status.PENDING,
            submitted_at=factory.LazyFunction(_now),
            paid_at=factory.LazyFunction(_now),
            posted_by=factory.SubFactory(UserFactory),
        )
        run_over = factory.Trait(
            status=JobPosting.Status.PUBLISHED,
            published_at=factory.LazyFunction(lambda: _now() - timedelta(days=AD_RUN_DAYS + 2)),
            expires_at=factory.LazyAttribute(lambda obj: obj.published_at + timedelta(days=AD_RUN_DAYS)),
        )
        expired = factory.Trait(
            status=JobPosting.Status.EXPIRED,
            published_at=factory.LazyFunction(lambda: _now() - timedelta(days=AD_RUN_DAYS + 2)),
            expires_at=factory.LazyAttribute(lambda obj: obj.published_at + timedelta(days=AD_RUN_DAYS)),
        )
        rejected = factory.Trait(
            status=JobPosting.Status.REJECTED,
            rejection_reason="Please give the salary range.",
            submitted_at=factory.LazyFunction(_now),
            paid_at=factory.LazyFunction(_now),
            posted_by=factory.SubFactory(UserFactory),
        )
        withdrawn = factory.Trait(status=JobPosting.Status.WITHDRAWN)
        featured = factory.Trait(is_featured=True)
        salaried = factory.Trait(
            salary_min=Decimal("58000.00"), salary_max=Decimal("72000.00"), salary_period=JobPosting.SalaryPeriod.YEAR
        )
        remote = factory.Trait(workplace=JobPosting.Workplace.REMOTE)


def published_job(days_ago=1, **fields):
    """A published ad posted `days_ago` days ago, running its 30 days from then."""
    published_at = _now() - timedelta(days=days_ago)
    return JobPostingFactory(
        published=True, published_at=published_at, expires_at=published_at + timedelta(days=AD_RUN_DAYS), **fields
    )
