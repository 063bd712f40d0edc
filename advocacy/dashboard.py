"""What waits for advocacy staff, on the admin index."""

from django.db.models import Count, Q

from ala_site import dashboard

from .models import AdvocacyAlert, Story


def story_lines(request):
    waiting = Q(status=Story.Status.SUBMITTED)
    counts = Story.objects.aggregate(waiting=Count("pk", filter=waiting))
    return [
        dashboard.Line(
            "Stories waiting for moderation",
            counts["waiting"],
            dashboard.changelist_url(Story, status__exact=Story.Status.SUBMITTED),
        )
    ]


def alert_lines(request):
    Status = AdvocacyAlert.Status
    counts = AdvocacyAlert.objects.aggregate(
        drafts=Count("pk", filter=Q(status=Status.DRAFT)),
        sending=Count("pk", filter=Q(status=Status.SENDING)),
    )
    return [
        dashboard.Line(
            "Alerts drafted, not sent yet",
            counts["drafts"],
            dashboard.changelist_url(AdvocacyAlert, status__exact=Status.DRAFT),
        ),
        dashboard.Line(
            "Alerts being sent",
            counts["sending"],
            dashboard.changelist_url(AdvocacyAlert, status__exact=Status.SENDING),
        ),
    ]


def register():
    dashboard.register(
        dashboard.Panel(
            key="advocacy-alerts",
            title="Advocacy alerts",
            permission="advocacy.change_advocacyalert",
            items=alert_lines,
            order=46,
        )
    )
    dashboard.register(
        dashboard.Panel(
            key="advocacy-stories",
            title="Library stories",
            permission="advocacy.change_story",
            items=story_lines,
            order=47,
        )
    )
