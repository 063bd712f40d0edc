"""Send every advocacy alert that staff started sending, in batches: run it every few minutes.

Each subscriber gets each alert once, however often this runs and whether or not the admin's
background task is sending the same alert at the same time (see AdvocacyAlert.send_batch).
"""

from django.core.management.base import BaseCommand, CommandError

from advocacy.models import AdvocacyAlert
from advocacy.models.alerts import BATCH_SIZE


class Command(BaseCommand):
    help = "Queue the emails of advocacy alerts being sent, in batches, until every recipient has theirs."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=f"Emails per transaction (default {BATCH_SIZE})."
        )

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        for alert in AdvocacyAlert.objects.sending().order_by("send_started_at", "pk"):
            sent = alert.send_all(size=batch_size)
            plural = "s" if sent != 1 else ""
            self.stdout.write(f"“{alert.subject}”: {sent} email{plural} queued; {alert.get_status_display().lower()}.")
