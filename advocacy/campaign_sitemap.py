from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class CampaignPagesSitemap(Sitemap):
    """The campaign page and the alert sign-up (stories and news have their own in sitemaps.py)."""

    changefreq = "weekly"
    priority = 0.8
    url_names = ["advocacy:campaign", "advocacy:alerts"]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)
