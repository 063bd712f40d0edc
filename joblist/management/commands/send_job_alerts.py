"""Email job seekers the new matches of their saved searches: run it daily (see README, JobLIST).

One email per saved search (not one per person listing all of them): each email's one-click
unsubscribe (the List-Unsubscribe header) then stops exactly the search it came from, and a person
with one busy search and one quiet one gets only the news there is.

Nothing is sent twice. A search's `last_sent_at` moves to the newest sent job's `published_at` in
the same transaction that queues its email, through a conditional update (compare and set): of two
runs that overlap, only the one that still sees the old value sends; the other skips the search.
"""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ala_site.emails import send_templated_email_on_commit
from joblist.alert_links import unsubscribe_url
from joblist.alert_views import board_url
from joblist.forms import describe_criteria
from joblist.models import SavedSearch

MAX_JOBS_PER_EMAIL = 25


def send_alert(search, now):
    """Queue the email of `search`'s new matches; False when there are none or another run sent them."""
    matches = search.new_matches(now)
    jobs = list(matches[:MAX_JOBS_PER_EMAIL])
    if not jobs:
        return False
    total = len(jobs) if len(jobs) < MAX_JOBS_PER_EMAIL else matches.count()
    with transaction.atomic():
        claimed = SavedSearch.objects.filter(pk=search.pk, is_active=True, last_sent_at=search.last_sent_at).update(
            last_sent_at=jobs[0].published_at
        )
        if not claimed:
            return False
        unsubscribe = unsubscribe_url(search)
        context = {
            "search": search,
            "description": describe_criteria(search.criteria),
            "jobs": jobs,
            "total": total,
            "more": total - len(jobs),
            "board_path": board_url(search.criteria),
            "unsubscribe_link": unsubscribe,
        }
        send_templated_email_on_commit(
            "joblist/email/job_alert",
            context,
            [search.user.email],
            headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        )
    return True


class Command(BaseCommand):
    help = (
        "Email each active saved job search's new matches (jobs published since its last email) to its "
        "owner, one email per search, and print how many were queued. Safe to run twice or in parallel."
    )

    def handle(self, *args, **options):
        now = timezone.now()
        searches = (
            SavedSearch.objects.filter(is_active=True, user__is_active=True)
            .exclude(user__email="")
            .select_related("user")
            .order_by("pk")
        )
        sent = sum(send_alert(search, now) for search in searches.iterator(chunk_size=500))
        plural = "" if sent == 1 else "s"
        self.stdout.write(f"{sent} job alert email{plural} queued.")
