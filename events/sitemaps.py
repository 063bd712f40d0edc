from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from ala_site.sitemaps import RowsSitemap, newest

from .models import Event


class EventSitemap(RowsSitemap):
    changefreq = "weekly"
    priority = 0.6
    model = Event
    url_name = "events:detail"

    def rows(self):
        # Past events keep their pages (recordings, the archive), so they stay listed.
        return Event.objects.published()


class EventPagesSitemap(Sitemap):
    """The calendar and its archive: they change when an event is edited, and by the clock when
    one ends (it moves from the calendar to the archive)."""

    changefreq = "daily"
    priority = 0.8

    def items(self):
        return ["events:list", "events:past"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self._changed

    @cached_property
    def _changed(self):
        """Both pages' lastmod, in one query: the newest edit, or the latest event to end."""
        ended = Q(is_published=True, ends_at__lte=timezone.now())
        found = Event.objects.aggregate(changed=Max("updated_at"), ended=Max("ends_at", filter=ended))
        return newest(found["changed"], found["ended"])

    def next_change(self):
        return Event.objects.next_change()
