from datetime import datetime, time, timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from ala_site.sitemaps import newest

from .models import JobPosting


class JobPostingSitemap(Sitemap):
    """The ads on the board now; an ad that has ended says noindex and leaves the sitemap."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        return JobPosting.objects.visible().only("pk", "slug", "updated_at").order_by("pk")

    def lastmod(self, posting):
        return posting.updated_at


class JobListPagesSitemap(Sitemap):
    changefreq = "hourly"
    priority = 0.8

    def items(self):
        return ["joblist:board"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        """When the board last changed, in one query: an ad came on it or was edited or withdrawn
        (every ad ever published counts), or one left it at the end of its run or the day after
        its application deadline."""
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
