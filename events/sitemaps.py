from ala_site.sitemaps import RowsSitemap

from .models import Event


class EventSitemap(RowsSitemap):
    changefreq = "weekly"
    priority = 0.6
    model = Event
    url_name = "events:detail"

    def rows(self):
        # Past events keep their pages (recordings, the archive), so they stay listed.
        return Event.objects.published()
