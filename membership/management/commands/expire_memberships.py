"""Keep memberships in step with the calendar. Run daily (see the README).

Marks memberships whose expiry date has passed as expired, and switches the type of a
membership whose renewal to another type began today.

`user.is_member` already answers from the dates, so this keeps the stored status,
the admin's filters and exports in step with the clock.
"""

from django.core.management.base import BaseCommand
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from membership.models import Membership, MembershipTerm


class Command(BaseCommand):
    help = "Mark lapsed memberships as expired and switch types whose new year began."

    def handle(self, *args, **options):
        today = timezone.localdate()
        count = Membership.objects.lapsed(today).update(status=Membership.Status.EXPIRED, updated_at=timezone.now())
        self.stdout.write(f"Marked {count} membership{'s' if count != 1 else ''} expired.")

        current_term = MembershipTerm.objects.filter(
            membership=OuterRef("pk"), status=MembershipTerm.Status.STARTED, starts_on__lte=today, ends_on__gte=today
        )
        switched = (
            Membership.objects.annotate(term_type=Subquery(current_term.values("membership_type")[:1]))
            .exclude(term_type=None)
            .exclude(membership_type=F("term_type"))
        )
        for membership in switched:
            membership.sync_with_terms()
        self.stdout.write(f"Switched the type of {len(switched)} renewed membership(s).")
