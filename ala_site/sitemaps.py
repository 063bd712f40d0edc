from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class StaticPagesSitemap(Sitemap):
    """The site's fixed pages, by URL name; apps with such pages add their names here."""

    changefreq = "daily"
    priority = 1.0
    url_names = ["home", "membership:types", "donate", "store:catalogue"]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)
