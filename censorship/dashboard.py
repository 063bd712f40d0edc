"""What waits for Intellectual Freedom staff, on the admin index (see ala_site.dashboard).

The panel asks for the dedicated permission as well as "change challenge report", so no other
staff group learns even how many reports arrive.
"""

from django.db.models import Count, Q

from ala_site import dashboard


def report_lines(request):
    from .models import ChallengeReport

    Status = ChallengeReport.Status
    counts = ChallengeReport.objects.aggregate(
        new=Count("pk", filter=Q(status=Status.NEW)),
        in_review=Count("pk", filter=Q(status=Status.IN_REVIEW)),
    )
    return [
        dashboard.Line(
            "New reports waiting", counts["new"], dashboard.changelist_url(ChallengeReport, status__exact=Status.NEW)
        ),
        dashboard.Line(
            "Reports in review",
            counts["in_review"],
            dashboard.changelist_url(ChallengeReport, status__exact=Status.IN_REVIEW),
        ),
    ]


def register():
    dashboard.register(
        dashboard.Panel(
            key="challenge_reports",
            title="Challenge reports",
            permission=("censorship.access_challenge_reports", "censorship.change_challengereport"),
            items=report_lines,
            order=35,
        )
    )
