"""Record the expired state of ads whose run is over: run it hourly (see README, JobLIST)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from ala_site import page_cache, sections
from joblist.models import JobPosting


class Command(BaseCommand):
    help = (
        "Mark published ads whose 30-day run is over as expired, and print how many. The board already "
        "hides them from the moment their run ends (visibility is computed from the dates), so this only "
        "records the state for employers and staff; running it late or twice changes nothing else. An ad "
        "whose application deadline passed is hidden by the board the same way but keeps its published "
        "state until its run ends, when this command records it."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        # One UPDATE: two overlapping runs cannot both count an ad, and a re-run finds nothing.
        expired = JobPosting.objects.run_over(now).update(status=JobPosting.Status.EXPIRED, updated_at=now)
        if expired:
            # update() sends no signal: renew what shows an ad's state (the board hid them already).
            sections.bump(*JobPosting.cache_sections)
            page_cache.bump()
        plural = "" if expired == 1 else "s"
        self.stdout.write(f"{expired} ad{plural} marked expired.")
