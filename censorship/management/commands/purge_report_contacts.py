"""Blank reporters' contact details on challenge reports past the retention period.

Run daily (see the README): a report received more than REPORT_CONTACT_RETENTION_DAYS ago keeps
everything but its reporter's name, email and phone. Each removal is recorded on the report as a
note ("Retention") with the time, and the report's "contact details removed" date is set.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from censorship.models import ChallengeReport


class Command(BaseCommand):
    help = "Remove reporters' contact details from challenge reports older than REPORT_CONTACT_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count the reports due without changing them.")

    def handle(self, *args, dry_run=False, **options):
        days = settings.REPORT_CONTACT_RETENTION_DAYS
        due = ChallengeReport.objects.contact_expired().order_by("pk")
        if dry_run:
            self.stdout.write(f"{due.count()} report(s) have contact details older than {days} days.")
            return
        removed = 0
        for report in due.iterator():
            report.remove_contact(
                reason=f"The reporter's contact details were removed {days} days after the report arrived (retention)."
            )
            removed += 1
        self.stdout.write(f"Removed the contact details from {removed} report(s) older than {days} days.")
