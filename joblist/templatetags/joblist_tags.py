"""JobLIST's template filters (a posting's age, its salary) and the landing page's "Featured Jobs"."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from django import template
from django.db.models import Min
from django.utils import timezone

from ala_site.sections import next_change, section_tag

from ..models import JobPosting

register = template.Library()

# The seed's section lists fifteen jobs; "GO TO JOBLIST" leads to the rest.
FEATURED_JOBS_SHOWN = 15


def days_since(moment, today=None):
    """Whole calendar days between `moment` and today, in the association's time zone."""
    today = today or timezone.localdate()
    return (today - timezone.localdate(moment)).days


def age_in_words(days):
    """An age as job boards say it: today, yesterday, 3 days ago, 2 weeks ago, 1 month ago.

    Counted in calendar days, so it changes only at midnight. From 25 days on it is "1 month
    ago" rather than "4 weeks ago": a 30-day ad is at most a month old.
    """
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    if days < 25:
        weeks = days // 7
        return f"{weeks} week{'s' if weeks > 1 else ''} ago"
    months = max(1, round(days / 30.4))
    if months < 12:
        return f"{months} month{'s' if months > 1 else ''} ago"
    years = days // 365
    return f"{years} year{'s' if years > 1 else ''} ago"


@register.filter
def posted_ago(moment):
    """`{{ posting.published_at|posted_ago }}` -> "2 weeks ago" (empty for no date)."""
    if not moment:
        return ""
    return age_in_words(days_since(moment))


def _amount(value):
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"${value:,.0f}"
    return f"${value:,.2f}"


@register.filter
def salary(posting):
    """The salary range in words, e.g. "$58,000–$72,000 per year"; empty when none was given."""
    low, high = posting.salary_min, posting.salary_max
    if low is None and high is None:
        return ""
    period = posting.get_salary_period_display()
    if low is not None and high is not None and low != high:
        return f"{_amount(low)}–{_amount(high)} {period}"
    if low is not None and high is not None:
        return f"{_amount(low)} {period}"
    if low is not None:
        return f"From {_amount(low)} {period}"
    return f"Up to {_amount(high)} {period}"


def _next_midnight(now):
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    return timezone.make_aware(datetime.combine(tomorrow, time.min))


@section_tag(register, "jobs", "joblist/_home_section.html")
def featured_jobs():
    now = timezone.now()
    postings = list(JobPosting.objects.visible(now).newest()[:FEATURED_JOBS_SHOWN])
    jobs = [
        {
            "title": posting.title,
            "url": posting.get_absolute_url(),
            "employer": posting.employer_name,
            "location": posting.location,
            "published_at": posting.published_at,
            # The section's HTML is cached, ages and all: they are computed here, and the cache
            # ends at the next midnight (below), when every age in days moves on by one.
            "age": age_in_words(days_since(posting.published_at, timezone.localdate(now))),
        }
        for posting in postings
    ]
    # An ad scheduled to appear later (an approval with a future publish date) joins the list then.
    next_start = (
        JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED, published_at__gt=now)
        .aggregate(moment=Min("published_at"))
        .get("moment")
    )
    return {
        "jobs": jobs,
        # An ad leaves the moment its run or its application deadline ends; ages change at midnight.
        "cache_until": next_change(*(posting.valid_through for posting in postings), next_start, _next_midnight(now)),
    }
