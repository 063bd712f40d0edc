from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import BookResume


class CensorshipPagesSitemap(Sitemap):
    """The hub, the data and the résumé directory (the report form is not a page to index)."""

    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["censorship:hub", "censorship:data", "censorship:resume_list"]

    def location(self, item):
        return reverse(item)


class BookResumeSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return BookResume.objects.published().order_by("pk")

    def lastmod(self, resume):
        return resume.updated_at
