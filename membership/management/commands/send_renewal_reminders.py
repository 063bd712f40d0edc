"""Email a signed renewal link 30 and 7 days before a membership expires.

Run daily (see the README). Each reminder is sent at most once per term: the term
records when it went, so running the command twice in a day sends nothing twice,
and a missed day is caught up (a membership 29 days from expiry still gets its
30-day reminder).

Reminders go through the email queue (ala_site.emails) like every other email: the
command renders and queues them, the worker sends and retries, so a mail server that
is down loses none and never stops the run halfway.
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
    help = "Queue renewal reminders 30 and 7 days before memberships expire."

    def handle(self, *args, **options):
        today = timezone.localdate()
        queued = 0
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
                    # Queued in the transaction that marks the term: with the database queue the
                    # mark and the email commit together, so neither is kept without the other.
                    send_templated_email(
                        "membership/email/renewal_reminder",
                        {
                            "membership": membership,
                            "days_left": (membership.expires_on - today).days,
                            "renew_link": settings.SITE_URL + tokens.renew_url(membership),
                        },
                        membership.user.email,
                    )
                    queued += 1
        self.stdout.write(f"Queued {queued} renewal reminder{'s' if queued != 1 else ''}.")
