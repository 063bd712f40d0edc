"""What of the events the site search finds (see ala_site/search.py).

Published events that are still to come or under way, and past ones whose recordings are still
on demand: an event long over, with nothing left to join or watch, would only crowd the results
(its page stays in the archive and the sitemap).
"""

from datetime import datetime, time, timedelta

from django.db.models import Min, Q
from django.utils import timezone
from django.utils.formats import date_format

from ala_site.search import SearchKind, register

from .models import Event


def _events():
    now = timezone.now()
    return Event.objects.published().filter(Q(ends_at__gt=now) | Q(on_demand_until__gte=timezone.localdate(now)))


def _next_change(now):
    """When `_events` or a hit's line next changes by the clock: an event ending (it is listed "on
    demand", or leaves) or, for one over, the end of its recordings' last day. One query."""
    today = timezone.localdate(now)
    found = Event.objects.published().aggregate(
        end=Min("ends_at", filter=Q(ends_at__gt=now)),
        on_demand=Min("on_demand_until", filter=Q(ends_at__lte=now, on_demand_until__gte=today)),
    )
    on_demand_end = found["on_demand"] and timezone.make_aware(
        datetime.combine(found["on_demand"] + timedelta(days=1), time.min)
    )
    return min((moment for moment in (found["end"], on_demand_end) if moment), default=None)


def _meta(event):
    when = date_format(timezone.localtime(event.starts_at), "N j, Y")
    if event.ends_at <= timezone.now():
        when = f"{when} (recording on demand)"
    return f"{event.get_kind_display()} · {when}"


register(
    SearchKind(
        key="events",
        label="Events",
        queryset=_events,
        fields={"A": ("title",), "B": ("summary",), "C": ("description", "organiser")},
        section=("events:list", "See upcoming events"),
        date_field="starts_at",
        snippet=lambda event: event.summary,
        meta=_meta,
        next_change=_next_change,
        order=20,
    )
)
