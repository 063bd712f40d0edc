from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ala_site.models import SiteSettings
from ala_site.sitemaps import newest_in

from .models import CampaignAction


class CampaignPagesSitemap(Sitemap):
    """The campaign page and the alert sign-up (stories and news have their own in sitemaps.py)."""

    changefreq = "weekly"
    priority = 0.8
    url_names = ["advocacy:campaign", "advocacy:alerts"]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        """When what the page shows last changed: the actions (an action taken down counts too),
        or for the sign-up form, which shows nothing else, the site settings (the site's name)."""
        if item == "advocacy:campaign":
            return newest_in(CampaignAction.objects.all())
        return newest_in(SiteSettings.objects.all())
