"""The JobLIST panel on the admin index (registered from JoblistConfig.ready(); see ala_site.dashboard):
ads waiting for review, and ads whose run ends within a week."""

from django.db.models import Count, Q

from ala_site import dashboard

from .models import JobPosting

Status = JobPosting.Status


def posting_lines(request):
    now = dashboard.now()
    waiting = {"status__exact": Status.PENDING}
    ending = {"status__exact": Status.PUBLISHED, "expires_at__gt": now, "expires_at__lte": now + dashboard.SOON}
    counts = JobPosting.objects.aggregate(
        waiting=Count("pk", filter=Q(**waiting)),
        ending=Count("pk", filter=Q(**ending)),
    )
    url = dashboard.changelist_url
    return [
        dashboard.Line("Ads waiting for review", counts["waiting"], url(JobPosting, **waiting)),
        dashboard.Line("Ads ending in the next 7 days", counts["ending"], url(JobPosting, **ending)),
    ]


def register():
    dashboard.register(
        dashboard.Panel(
            key="joblist",
            title="JobLIST",
            # Reviewing is changing an ad: the panel shows to those who may do the work.
            permission="joblist.change_jobposting",
            items=posting_lines,
            order=45,
        )
    )
