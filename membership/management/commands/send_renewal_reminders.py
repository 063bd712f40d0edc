"""Email a signed renewal link 30 and 7 days before a membership expires.

Run daily (see the README). Each reminder is sent at most once per term: the term
records when it went, so running the command twice in a day sends nothing twice,
and a missed day is caught up (a membership 29 days from expiry still gets its
30-day reminder).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ala_site.emails import send_templated_email
from membership import tokens
from membership.models import Membership, MembershipTerm

# (days before expiry, field on the term, first day of the window in days from today)
REMINDERS = [(30, "reminded_30_at", 8), (7, "reminded_7_at", 0)]


class Command(BaseCommand):
    help = "Send renewal reminders 30 and 7 days before memberships expire."

    def handle(self, *args, **options):
        today = timezone.localdate()
        sent = 0
        for days, field, window_start in REMINDERS:
            memberships = Membership.objects.current(today).filter(
                expires_on__gte=today + timedelta(days=window_start), expires_on__lte=today + timedelta(days=days)
            )
            for membership in memberships.select_related("user", "membership_type"):
                with transaction.atomic():
                    # The latest started term: the reminder is about the year that ends last.
                    term = (
                        MembershipTerm.objects.select_for_update()
                        .filter(membership=membership, status=MembershipTerm.Status.STARTED)
                        .order_by("-ends_on")
                        .first()
                    )
                    if term is None or getattr(term, field) is not None:
                        continue
                    setattr(term, field, timezone.now())
                    term.save(update_fields=[field])
                    send_templated_email(
                        "membership/email/renewal_reminder",
                        {
                            "membership": membership,
                            "days_left": (membership.expires_on - today).days,
                            "renew_link": settings.SITE_URL + tokens.renew_url(membership),
                        },
                        membership.user.email,
                    )
                    sent += 1
        self.stdout.write(f"Sent {sent} renewal reminder{'s' if sent != 1 else ''}.")
