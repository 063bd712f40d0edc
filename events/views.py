"""The public calendar: the list of events, one event's page, and the iCalendar feeds.

Registration views (owned by the registration work) follow at the end of this file.
"""

import re
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_safe

from ala_site import page_cache
from ala_site.templatetags.site_tags import json_ld

from .models import Event, EventTypePrice

PAGE_SIZE = 12
PRICES = {"free": "Free", "paid": "Paid"}
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ATTENDANCE_MODES = {
    Event.Attendance.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Event.Attendance.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Event.Attendance.MIXED: "https://schema.org/MixedEventAttendanceMode",
}
ORGANISATION = "American Library Association"
ZONE_LABEL = settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ") + " time"


def _month_range(value):
    """The month a YYYY-MM value names, as aware start and end in the association's time zone."""
    match = MONTH.match(value or "")
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if year < 1900 or year > 9998:
        return None
    zone = timezone.get_current_timezone()
    start = datetime(year, month, 1, tzinfo=zone)
    following = datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, following


def _next_month_start(now):
    """When this month ends in the association's time zone (the month filter's choices move on)."""
    today = timezone.localdate(now)
    return _month_range(f"{today.year:04d}-{today.month:02d}")[1]


@require_safe
@page_cache.shared_page
def event_list(request, when=None):
    when = when or ("past" if request.GET.get("when") == "past" else "upcoming")
    now = timezone.now()
    events = Event.objects.past(now) if when == "past" else Event.objects.upcoming(now)
    if not request.user.is_authenticated:  # a page the cache may share (signed-in pages never are)
        # An event ending moves from the upcoming list to the past one; the month filter moves on monthly.
        page_cache.expires_at(Event.objects.next_change(now))
        page_cache.expires_at(_next_month_start(now))
    kinds = Event.Kind.choices
    kind = request.GET.get("kind", "")
    if kind not in Event.Kind.values:
        kind = ""
    if kind:
        events = events.filter(kind=kind)
    price = request.GET.get("price", "")
    if price not in PRICES:
        price = ""
    if price == "free":
        events = events.filter(member_price=0, non_member_price=0)
    elif price == "paid":
        events = events.filter(Q(member_price__gt=0) | Q(non_member_price__gt=0))
    month = request.GET.get("month", "")
    month_range = _month_range(month)
    if month_range is None:
        month = ""
    else:
        # Any event under way in that month: an eCourse spanning it counts.
        events = events.filter(starts_at__lt=month_range[1], ends_at__gt=month_range[0])
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {key: value for key, value in (("kind", kind), ("month", month), ("price", price)) if value}
    context = {
        "when": when,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "kinds": kinds,
        "kind": kind,
        "kind_label": dict(kinds).get(kind, ""),
        "prices": list(PRICES.items()),
        "price": price,
        "month": month,
        "month_label": date_format(month_range[0], "F Y") if month_range else "",
        "months": _month_choices(month, month_range, past=when == "past", now=now),
        "zone_label": ZONE_LABEL,
        "filtered": bool(query),
        "query": "&".join(f"{key}={value}" for key, value in query.items()),
    }
    return render(request, "events/list.html", context)


def _month_choices(chosen, chosen_range, count=12, past=False, now=None):
    """This month and the next eleven (the archive: the last two years, newest first), for the
    month filter; a month chosen outside them stays listed."""
    today = timezone.localdate(now)
    year, month = today.year, today.month
    choices = []
    for _ in range(count * 2 if past else count):
        start = datetime(year, month, 1)
        choices.append((f"{year:04d}-{month:02d}", date_format(start, "F Y")))
        if past:
            year, month = year - (month == 1), (month - 2) % 12 + 1
        else:
            year, month = year + (month == 12), month % 12 + 1
    if chosen and chosen not in dict(choices):
        choices.insert(0, (chosen, date_format(chosen_range[0], "F Y")))
    return choices


# One event ----------------------------------------------------------------------------------


def _visible_event(request, slug):
    type_prices = Prefetch("type_prices", EventTypePrice.objects.select_related("membership_type"))
    event = get_object_or_404(Event.objects.prefetch_related(type_prices), slug=slug)
    if not event.is_published and not request.user.is_staff:
        raise Http404("No such event.")
    return event


def _event_json_ld(event):
    url = settings.SITE_URL + event.get_absolute_url()
    online = {"@type": "VirtualLocation", "url": url}
    place = {
        "@type": "Place",
        "name": event.venue or event.address,
        "address": {"@type": "PostalAddress", "streetAddress": event.address},
    }
    location = {
        Event.Attendance.ONLINE: online,
        Event.Attendance.IN_PERSON: place,
        Event.Attendance.MIXED: [place, online],
    }[event.attendance]
    now = timezone.now()
    availability = "https://schema.org/InStock" if event.registration_is_open(now) else "https://schema.org/SoldOut"
    offers = [
        {
            "@type": "Offer",
            "name": name,
            "price": str(price),
            "priceCurrency": "USD",
            "url": url,
            "availability": availability,
            **({"validFrom": event.registration_opens_at.isoformat()} if event.registration_opens_at else {}),
        }
        for name, price in (("Members", event.member_price), ("Non-members", event.non_member_price))
    ]
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": ATTENDANCE_MODES[event.attendance],
        "location": location,
        "offers": offers,
        "organizer": {
            "@type": "Organization",
            "name": f"{event.organiser}, {ORGANISATION}" if event.organiser else ORGANISATION,
            "url": settings.SITE_URL + "/",
        },
        "url": url,
    }
    if event.image_rendition:
        data["image"] = settings.SITE_URL + event.image_rendition.url
    return json_ld(data)


@require_safe
@page_cache.shared_page
def event_detail(request, slug):
    event = _visible_event(request, slug)
    now = timezone.now()
    page_cache.expires_at(event.next_change(now))
    context = {
        "event": event,
        "now": now,
        "is_past": event.ends_at <= now,
        "is_under_way": event.starts_at <= now < event.ends_at,
        "same_day": timezone.localdate(event.starts_at) == timezone.localdate(event.ends_at),
        "type_prices": list(event.type_prices.all()),
        "zone_label": ZONE_LABEL,
        "json_ld": _event_json_ld(event),
    }
    return render(request, "events/detail.html", context)


# iCalendar ----------------------------------------------------------------------------------


def _host():
    return settings.SITE_URL.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]


def _ical_event(event, host, stamp):
    """One VEVENT; its UID names the row, so an edited event replaces itself in subscribed calendars."""
    url = settings.SITE_URL + event.get_absolute_url()
    item = icalendar.Event()
    item.add("uid", f"event-{event.pk}@{host}")
    item.add("dtstamp", stamp)
    item.add("dtstart", event.starts_at)
    item.add("dtend", event.ends_at)
    item.add("summary", event.title)
    item.add("description", f"{event.summary}\n\nDetails and registration: {url}")
    item.add("url", url)
    updated = event.updated_at or event.created_at
    item.add("last-modified", updated)
    item.add("created", event.created_at)
    # Calendars apply an update only when SEQUENCE grows: seconds since creation always do.
    item.add("sequence", max(0, int((updated - event.created_at).total_seconds())))
    if event.attendance == Event.Attendance.ONLINE:
        item.add("location", event.platform or "Online")
    else:
        where = ", ".join(part for part in (event.venue, event.address) if part)
        if event.attendance == Event.Attendance.MIXED and event.platform:
            where = f"{where} (and online: {event.platform})"
        item.add("location", where)
    item.add("categories", [event.get_kind_display()])
    item.add("status", "CONFIRMED")
    item.add("transp", "OPAQUE")
    return item


def _calendar(events, name=None):
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{ORGANISATION}//Events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        # Subscribers refresh about twice a day.
        calendar.add("refresh-interval", timedelta(hours=12), parameters={"value": "DURATION"})
        calendar.add("x-published-ttl", "PT12H")
    host, stamp = _host(), timezone.now()
    for event in events:
        calendar.add_component(_ical_event(event, host, stamp))
    return calendar


def event_ical_bytes(event):
    """One event as an .ics file's bytes (the registration confirmation attaches it)."""
    return _calendar([event]).to_ical()


def _ics_response(calendar, filename):
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
@page_cache.shared_page
def event_ics(request, slug):
    event = _visible_event(request, slug)
    return _ics_response(_calendar([event]), f"{event.slug}.ics")


@require_safe
@page_cache.shared_page
def calendar_feed(request):
    now = timezone.now()
    page_cache.expires_at(Event.objects.next_change(now))  # an event leaves the feed when it ends
    calendar = _calendar(Event.objects.upcoming(now), name=f"{ORGANISATION} events")
    response = _ics_response(calendar, "ala-events.ics")
    # A subscription is read in place, not saved as a file.
    response["Content-Disposition"] = 'inline; filename="ala-events.ics"'
    return response
