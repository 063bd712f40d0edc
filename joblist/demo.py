"""Demo content for JobLIST: the ad products, and the fifteen jobs of the seed's "Featured Jobs".

Each job is posted the seed's age before the day the demo is loaded ("2 weeks ago" is 14 days,
"1 month ago" 25 to 28 days, so every ad is still inside its 30-day run) and runs 30 days from then.
Run again on a later day, the demo moves those dates forward on its own ads that nobody has
touched since (no editor recorded, dates still as the demo wrote them), so a demo site stays
populated; an ad staff edited, approved, withdrew or expired keeps what they did.

The jobs are known only by texts staff may change (title, employer), so they are added only while
the board has no ads at all; they then get the numbers 1-15, the same on every fresh install
(/joblist/1-education-librarian/ is the smoke tests' sample ad).
"""

import functools
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.utils import timezone
from django.utils.text import slugify

from ala_site.models import NavLink, QuickLink
from ala_site.richtext import render
from ala_site.sections import bump
from membership.models import MembershipType

from .demo_jobs import EMPLOYERS, GENERATED_EMPLOYERS, GENERATED_TOPICS, JOBS
from .models import AD_RUN_DAYS, AdProduct, Employer, JobPosting

OLD_LINKS = ("https://joblist.ala.org/", "https://joblist.ala.org", "https://www.ala.org/educationcareers/joblist")
BOARD = "/joblist/"
GENERATED_APPLY_URL = "https://jobs.example.org/generated/"

PRODUCTS = [
    {
        "slug": "online-30-days",
        "name": "Online ad, 30 days",
        "description": "Your job on JobLIST for 30 days, in searches, the RSS feed and job seekers' email alerts.",
        "days": AD_RUN_DAYS,
        "price": Decimal("250.00"),
        "member_price": Decimal("200.00"),
        "is_featured": False,
        "position": 0,
    },
    {
        "slug": "featured-30-days",
        "name": "Featured ad, 30 days",
        "description": "The online ad, marked “Featured” on the board for 30 days so it stands out in every list.",
        "days": AD_RUN_DAYS,
        "price": Decimal("650.00"),
        "member_price": Decimal("520.00"),
        "is_featured": True,
        "position": 1,
    },
]


def _dates(index, days_ago, today):
    """When the demo's job number `index` was posted and runs until, seen from `today`.

    Noon on the day, a minute earlier for each later job of the seed, so "newest first" keeps the
    seed's order among jobs of the same day.
    """
    day = today - timedelta(days=days_ago)
    published_at = timezone.make_aware(datetime.combine(day, time(12))) - timedelta(minutes=index)
    return {
        "published_at": published_at,
        "expires_at": published_at + timedelta(days=AD_RUN_DAYS),
        "submitted_at": published_at - timedelta(days=1),
        "paid_at": published_at - timedelta(days=1),
        "reviewed_at": published_at,
    }


def seed(volume=0, log=print):
    _link_menus_to_the_board()
    products = _ad_products()
    today = timezone.localdate()
    if not JobPosting.objects.exists():
        _add_jobs(products, today)
        log(f"JobLIST: {len(JOBS)} demo jobs added.")
    else:
        _refresh_dates(today)
    if volume:
        _generate(volume, log)


def _ad_products():
    products = {}
    organizational = MembershipType.objects.filter(slug="organizational").first()
    for data in PRODUCTS:
        product, _ = AdProduct.objects.get_or_create(slug=data["slug"], defaults=data)
        # The organizational discount, on the demo's own product, once the type exists.
        if organizational and product.updated_by_id is None and not product.discounted_membership_types.exists():
            product.discounted_membership_types.add(organizational)
        products[data["slug"]] = product
    return products


def _employer(key):
    name, city, state, website = EMPLOYERS[key]
    employer, _ = Employer.objects.get_or_create(name=name, defaults={"city": city, "state": state, "website": website})
    return employer


def _add_jobs(products, today):
    for index, job in enumerate(JOBS):
        fields = {key: value for key, value in job.items() if key not in ("employer", "days_ago", "salary")}
        low, high, period = job.get("salary") or (None, None, JobPosting.SalaryPeriod.YEAR)
        JobPosting.objects.create(
            pk=index + 1,
            **fields,
            employer=_employer(job["employer"]),
            salary_min=low,
            salary_max=high,
            salary_period=period,
            status=JobPosting.Status.PUBLISHED,
            ad_product=products["featured-30-days" if job.get("is_featured") else "online-30-days"],
            **_dates(index, job["days_ago"], today),
        )
    # Rows given their numbers: the next new ad must not be handed one of them (as loaddata does).
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [JobPosting]):
            cursor.execute(statement)


def _refresh_dates(today):
    """Move the demo's own published jobs to their seed ages seen from `today`.

    Only a row nobody has touched: no editor recorded by the admin (EditorAdmin sets updated_by)
    and every date still what the demo wrote on the day of the row's last save. An approval, a
    withdrawal or any edit saves the row, which moves that day, so the row is left alone.
    """
    for index, job in enumerate(JOBS):
        current = _dates(index, job["days_ago"], today)
        rows = JobPosting.objects.filter(
            title=job["title"],
            employer_name=EMPLOYERS[job["employer"]][0],
            status=JobPosting.Status.PUBLISHED,
            updated_by=None,
        )
        for row in rows:
            written = _dates(index, job["days_ago"], timezone.localdate(row.updated_at))
            as_written = all(getattr(row, name) == value for name, value in written.items())
            if as_written and any(getattr(row, name) != value for name, value in current.items()):
                for name, value in current.items():
                    setattr(row, name, value)
                row.save()  # a save, not update(): the landing page's section refreshes


def _link_menus_to_the_board():
    """Point the menus' links to the off-site JobLIST at /joblist/, as the site demo wrote them.

    Only links nobody edited in the admin: a link staff changed is theirs.
    """
    moved = NavLink.objects.filter(url__in=OLD_LINKS, updated_by=None).update(url=BOARD)
    moved += QuickLink.objects.filter(url__in=OLD_LINKS, updated_by=None).update(url=BOARD)
    if moved:
        bump(*NavLink.cache_sections, *QuickLink.cache_sections)  # update() sends no save signals


def _generate(volume, log):
    """`volume` more live ads (for load tests and the search benchmark), added once each."""
    existing = set(
        JobPosting.objects.filter(apply_url__startswith=GENERATED_APPLY_URL).values_list("apply_url", flat=True)
    )
    employers = [
        Employer.objects.get_or_create(name=name, defaults={"city": city, "state": state})[0]
        for name, city, state in GENERATED_EMPLOYERS
    ]
    now = timezone.now().replace(microsecond=0)
    rendered = functools.cache(render)  # a few dozen distinct texts among thousands of ads
    new = []
    for n in range(volume):
        apply_url = f"{GENERATED_APPLY_URL}{n}"
        if apply_url in existing:
            continue
        topic = GENERATED_TOPICS[n % len(GENERATED_TOPICS)]
        employer = employers[(n * 7) % len(employers)]
        published_at = now - timedelta(minutes=17 * n % (60 * 24 * (AD_RUN_DAYS - 1)))
        description = (
            f"{employer.name} seeks a {topic['title'].lower()} to {topic['duty']}.\n\n"
            "You will work with colleagues across the library and with the community it serves, "
            "and take part in planning, training and outreach.\n\n"
            f"- {topic['task']}\n- Serve on library committees\n- Keep up with the profession"
        )
        requirements = "- " + "\n- ".join(topic["requirements"])
        salary = Decimal(42000 + (n * 1500) % 48000) if n % 4 else None
        title = f"{topic['title']} ({n})"
        new.append(
            JobPosting(
                title=title,
                slug=slugify(title)[:200],
                employer=employer,
                employer_name=employer.name,
                city=employer.city,
                state=employer.state,
                workplace=JobPosting.Workplace.values[n % 3 if n % 5 == 0 else 0],
                library_type=topic["library_type"],
                category=topic["category"],
                job_type=JobPosting.JobType.PART_TIME if n % 6 == 0 else JobPosting.JobType.FULL_TIME,
                salary_min=salary,
                salary_max=salary + 9000 if salary else None,
                description=description,
                # bulk_create skips save(), which renders the Markdown: render it here.
                description_html=rendered(description),
                requirements=requirements,
                requirements_html=rendered(requirements),
                apply_url=apply_url,
                is_featured=n % 25 == 0,
                status=JobPosting.Status.PUBLISHED,
                published_at=published_at,
                expires_at=published_at + timedelta(days=AD_RUN_DAYS),
                reviewed_at=published_at,
            )
        )
    created = JobPosting.objects.bulk_create(new, batch_size=500)
    if created:
        # The search vectors, in the database (PostgreSQL; SQLite searches the text itself).
        JobPosting.objects.filter(
            apply_url__startswith=GENERATED_APPLY_URL, search_vector=None
        ).refresh_search_vectors()
        bump(*JobPosting.cache_sections)
    log(f"JobLIST: {len(created)} generated jobs added.")
