from django.contrib.sitemaps import Sitemap
from django.urls import reverse

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
