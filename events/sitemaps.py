from django.contrib.sitemaps import Sitemap

from .models import Event


class EventSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6

    def items(self):
        # Past events keep their pages (recordings, the archive), so they stay listed.
        return Event.objects.published().order_by("pk")

    def lastmod(self, event):
        return event.updated_at
