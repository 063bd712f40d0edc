"""Membership's panel on the admin index (registered from MembershipConfig.ready(); see ala_site.dashboard).

- Expiring within ``EXPIRING_WITHIN`` days: current memberships (as ``Membership.objects.current()``:
  active and not past their expiry date) that end by then; the people to remind.
- Lapsed this month: memberships whose expiry date fell this month before today and that were
  not renewed (a renewal moves the date on), whether or not the nightly job has marked them
  expired yet. Cancelled memberships have no expiry date and never count.
"""

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from ala_site import dashboard

from .models import Membership

EXPIRING_WITHIN = 30  # days


def membership_lines(request):
    today = timezone.localdate()
    until = today + timedelta(days=EXPIRING_WITHIN)
    month_start = today.replace(day=1)
    lapsed_statuses = [Membership.Status.ACTIVE, Membership.Status.EXPIRED]
    expiring = Q(status=Membership.Status.ACTIVE, expires_on__gte=today, expires_on__lte=until)
    lapsed = Q(status__in=lapsed_statuses, expires_on__gte=month_start, expires_on__lt=today)
    counts = Membership.objects.aggregate(
        expiring=Count("pk", filter=expiring),
        lapsed=Count("pk", filter=lapsed),
    )
    return [
        dashboard.Line(
            f"Expiring within {EXPIRING_WITHIN} days",
            counts["expiring"],
            dashboard.changelist_url(
                Membership, status__exact=Membership.Status.ACTIVE, expires_on__gte=today, expires_on__lte=until
            ),
        ),
        dashboard.Line(
            "Lapsed this month",
            counts["lapsed"],
            dashboard.changelist_url(
                Membership, status__in=lapsed_statuses, expires_on__gte=month_start, expires_on__lt=today
            ),
        ),
    ]


def register():
    dashboard.register(
        dashboard.Panel(
            key="memberships",
            title="Memberships",
            permission="membership.view_membership",
            items=membership_lines,
            order=30,
        )
    )
