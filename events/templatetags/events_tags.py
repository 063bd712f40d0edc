"""The events app's parts of the landing page: the featured event in the hero, "Upcoming eLearning"."""

from django import template
from django.utils import timezone

from ala_site.sections import hero_slide_source, next_change, section_tag

from ..models import Event

register = template.Library()

# The seed's carousel shows nine events; "See all eLearning" leads to the rest.
UPCOMING_SHOWN = 9

# A badge for the kind, after the "eLearning" badge every event carries; an eCourse is the
# eLearning kind itself, so it has that badge alone (as on the association's page).
KIND_BADGES = {
    Event.Kind.WEBINAR: "Webinar",
    Event.Kind.WORKSHOP: "Workshop",
    Event.Kind.VIRTUAL_EVENT: "Virtual event",
}


def featured_events():
    """The upcoming featured events: the hero shows them, so the eLearning list leaves them out."""
    return list(Event.objects.upcoming().featured())


def on_demand_note(event):
    """The summary, and how long the recordings stay up, as the seed's hero says it."""
    if not event.on_demand_until:
        return event.summary
    return f"{event.summary}\n\nOn-demand access to sessions through {event.on_demand_until:%B %Y}."


# Django imports every app's template tag modules when the template engine starts, which is
# before any page renders the hero, so the source is registered in time.
@hero_slide_source
def featured_event_slides():
    events = featured_events()
    slides = [
        {
            "title": event.title,
            "body": on_demand_note(event),
            "cta_label": "Register Now!",
            "cta_url": event.get_absolute_url(),
            "image_rendition": event.image_rendition,
            "image_alt": event.image_alt,
            "rendition_width": event.rendition_width,
            "rendition_height": event.rendition_height,
        }
        for event in events
    ]
    # A featured event leaves the hero when it ends.
    return {"slides": slides, "cache_until": next_change(*(event.ends_at for event in events))}


def date_badge(event):
    """Day and month of the start, or of the start and the end when it runs over several days.

    In the association's timezone, the one the whole site shows dates in.
    """
    starts, ends = timezone.localtime(event.starts_at), timezone.localtime(event.ends_at)
    return {"starts": starts, "ends": ends if ends.date() != starts.date() else None}


@section_tag(register, "events", "events/_home_section.html")
def upcoming_elearning():
    events = list(Event.objects.upcoming().filter(is_featured=False)[:UPCOMING_SHOWN])
    upcoming = [
        {
            "event": event,
            "date": date_badge(event),
            "badges": ["eLearning", *([KIND_BADGES[event.kind]] if event.kind in KIND_BADGES else [])],
            "where": event.platform or event.venue or event.get_attendance_display(),
        }
        for event in events
    ]
    # An event leaves the list when it ends, and the next one takes its place.
    return {"upcoming": upcoming, "cache_until": next_change(*(event.ends_at for event in events))}
