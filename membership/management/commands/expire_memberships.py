"""Mark memberships whose expiry date has passed as expired. Run daily (see the README).

`user.is_member` already answers from the dates, so this keeps the stored status,
the admin's filters and exports in step with the clock.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from membership.models import Membership


class Command(BaseCommand):
    help = "Mark lapsed memberships as expired."

    def handle(self, *args, **options):
        count = Membership.objects.lapsed(timezone.localdate()).update(
            status=Membership.Status.EXPIRED, updated_at=timezone.now()
        )
        self.stdout.write(f"Marked {count} membership{'s' if count != 1 else ''} expired.")
