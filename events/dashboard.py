"""The events panel on the admin index (registered from EventsConfig.ready(); see ala_site.dashboard).

For staff who see events: events starting within a week, registrations waiting for payment, and
people on a waitlist.
"""

from datetime import timedelta

from django.db.models import Count, Q

from ala_site import dashboard

from .models import Event, Registration

SOON = timedelta(days=7)


def event_lines(request):
    now = dashboard.now()
    soon = Q(is_published=True, starts_at__gte=now, starts_at__lt=now + SOON)
    upcoming = Q(ends_at__gt=now)
    # One query: the join repeats events, hence the distinct event count.
    counts = Event.objects.aggregate(
        starting=Count("pk", filter=soon, distinct=True),
        pending=Count("registrations", filter=upcoming & Q(registrations__status=Registration.Status.PENDING)),
        waiting=Count("registrations", filter=upcoming & Q(registrations__status=Registration.Status.WAITLISTED)),
    )
    return [
        dashboard.Line(
            "Starting in the next 7 days",
            counts["starting"],
            dashboard.changelist_url(Event, is_published__exact=True, starts_at__gte=now, starts_at__lt=now + SOON),
        ),
        dashboard.Line(
            "Registrations awaiting payment",
            counts["pending"],
            dashboard.changelist_url(Registration, status__exact=Registration.Status.PENDING, event_when="upcoming"),
        ),
        dashboard.Line(
            "People on a waitlist",
            counts["waiting"],
            dashboard.changelist_url(Registration, status__exact=Registration.Status.WAITLISTED, event_when="upcoming"),
        ),
    ]


def register():
    dashboard.register(
        dashboard.Panel(key="events", title="Events", permission="events.view_event", items=event_lines, order=40)
    )
