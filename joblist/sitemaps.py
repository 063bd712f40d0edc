from datetime import datetime, time, timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from ala_site.sitemaps import RowsSitemap, newest

from .models import JobPosting


def board_changed():
    """When the board last changed, in one query: an ad came on it or was edited or withdrawn
    (every ad ever published counts), or one left it at the end of its run or the day after its
    application deadline."""
    now = timezone.now()
    today = timezone.localdate(now)
    found = JobPosting.objects.filter(published_at__lte=now).aggregate(
        changed=Max("updated_at"),
        published=Max("published_at"),
        run_ended=Max("expires_at", filter=Q(expires_at__lte=now)),
        deadline=Max("application_deadline", filter=Q(application_deadline__lt=today)),
    )
    deadline_passed = None
    if found["deadline"] is not None:
        deadline_passed = timezone.make_aware(datetime.combine(found["deadline"] + timedelta(days=1), time.min))
    return newest(found["changed"], found["published"], found["run_ended"], deadline_passed)


def board_changes_next():
    """The next moment the board changes by the clock alone, in one query: an ad scheduled
    ahead comes on it, one's run ends, or (at midnight) an application deadline passes."""
    now = timezone.now()
    today = timezone.localdate(now)
    found = JobPosting.objects.filter(status=JobPosting.Status.PUBLISHED).aggregate(
        starts=Min("published_at", filter=Q(published_at__gt=now)),
        run_ends=Min("expires_at", filter=Q(expires_at__gt=now)),
        deadlines=Count("pk", filter=Q(expires_at__gt=now, application_deadline__gte=today)),
    )
    midnight = None
    if found["deadlines"]:
        midnight = timezone.make_aware(datetime.combine(today + timedelta(days=1), time.min))
    return min((moment for moment in (found["starts"], found["run_ends"], midnight) if moment), default=None)


class JobPostingSitemap(RowsSitemap):
    """The ads on the board now; an ad that has ended says noindex and leaves the sitemap."""

    changefreq = "daily"
    priority = 0.6
    model = JobPosting
    url_name = "joblist:detail"
    url_fields = ("pk", "slug")
    # An ad approved ahead of its publish date appears then.
    lastmod_fields = ("updated_at", "published_at")

    def rows(self):
        return JobPosting.objects.visible()

    def url_args(self, row):
        return [row["pk"], row["slug"] or "job"]  # as JobPosting.get_absolute_url

    def get_latest_lastmod(self):
        return board_changed()  # ads leave by the clock too

    def next_change(self):
        return board_changes_next()


class JobListPagesSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return ["joblist:board"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return board_changed()

    def next_change(self):
        return board_changes_next()
