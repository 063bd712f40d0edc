"""Time the board's typical searches over many postings, and show whether the search index is used.

Run it on a scratch database: it adds the demo's generated postings (joblist.demo.seed's volume)
to the database it runs on. See README, "JobLIST: search benchmark".
"""

import re
import statistics
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from joblist import demo
from joblist.forms import describe_criteria
from joblist.models import AD_RUN_DAYS, JobPosting
from joblist.views import MATCH_LIMIT, PAGE_SIZE, board_page

SEARCH_INDEX = "joblist_search_vector_gin"
INDEX_IN_PLAN = re.compile(r"Index (?:Only )?Scan (?:Backward )?(?:using|on) (\w+)")

# Typical board searches: (criteria, order), order as the board picks it (best match for keywords).
SEARCHES = [
    ({"q": "library"}, "relevance"),  # a word nearly every ad has: the worst case for ranking
    ({"q": "librarian"}, "relevance"),
    ({"q": "teen programs"}, "relevance"),
    ({"q": '"legal research"'}, "relevance"),
    ({"q": "metadata -teen", "library_type": "academic"}, "relevance"),
    ({"q": "archivist", "state": "ND"}, "relevance"),
    ({"q": "librarian", "workplace": "remote", "min_salary": 60000}, "relevance"),
    ({"q": "numismatics"}, "relevance"),  # no match
    ({"state": "IL", "category": "librarian"}, "newest"),
    ({"min_salary": 60000}, "salary"),
    ({}, "newest"),
]


def percentile(times, fraction):
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class Command(BaseCommand):
    help = (
        "Ensure N generated postings exist (the demo's generator, bulk-created), refresh the search "
        "vectors, then run typical board searches (keywords and filters) several times each and print "
        "the median and 95th percentile time of a board page (its count and its rows), and on PostgreSQL "
        f"whether the GIN index {SEARCH_INDEX} is used. On SQLite it measures the simple word match. "
        "Adds rows to the database it runs on: use a scratch database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=100_000, help="Generated postings to have (default 100000).")
        parser.add_argument("--repeat", type=int, default=10, help="Runs of each search (default 10).")
        parser.add_argument(
            "--live",
            type=int,
            default=None,
            help="Keep only this many generated ads on the board; move the others back up to five years, "
            "expired, as a board's history (default: all on the board, the worst case for search).",
        )

    def handle(self, *args, rows, repeat, live, **options):
        if rows < 0 or repeat < 1 or (live is not None and live < 0):
            raise CommandError("--rows and --live must be 0 or more, --repeat at least 1.")
        postgres = connection.vendor == "postgresql"
        started = time.perf_counter()
        demo.seed(volume=rows, log=lambda line: self.stdout.write(line))
        if live is not None:
            self._keep_live(live)
        if postgres:
            JobPosting.objects.filter(search_vector=None).refresh_search_vectors()
            with connection.cursor() as cursor:
                # Fresh statistics for the planner; outside a transaction also the steady state a
                # table reaches in production (autovacuum), without the bulk load's dead rows.
                vacuum = "" if connection.in_atomic_block else "VACUUM "
                cursor.execute(f"{vacuum}ANALYZE joblist_jobposting")
        self.stdout.write(f"Ready in {time.perf_counter() - started:.1f} s.")

        total, visible = JobPosting.objects.count(), JobPosting.objects.visible().count()
        if postgres:
            self.stdout.write(f"PostgreSQL full-text search: {total:,} postings, {visible:,} on the board.")
        else:
            self.stdout.write(
                f"{connection.vendor}: measures the simple word match (no full-text index): "
                f"{total:,} postings, {visible:,} on the board."
            )
        self.stdout.write(
            f"Each search {repeat} times; times are one board page (its count, which stops past "
            f"{MATCH_LIMIT:,}, and its {PAGE_SIZE} rows).\n"
        )
        header = f"{'search':<58} {'matches':>8} {'median':>9} {'p95':>9}"
        self.stdout.write(header + ("  GIN  other indexes in the page's plan" if postgres else ""))
        for criteria, order in SEARCHES:
            self.stdout.write(self._measure(criteria, order, repeat, postgres))

    def _keep_live(self, live):
        """All but the `live` newest generated ads become expired ads of the past five years."""
        now = timezone.now()
        generated = JobPosting.objects.filter(
            apply_url__startswith=demo.GENERATED_APPLY_URL, status=JobPosting.Status.PUBLISHED
        ).newest()
        batch = []
        for posting in generated.only("pk", "published_at")[live:].iterator(chunk_size=2000):
            posting.published_at = now - timedelta(days=AD_RUN_DAYS + 1 + posting.pk % (5 * 365))
            posting.expires_at = posting.published_at + timedelta(days=AD_RUN_DAYS)
            posting.status = JobPosting.Status.EXPIRED
            batch.append(posting)
            if len(batch) == 2000:
                JobPosting.objects.bulk_update(batch, ["published_at", "expires_at", "status"])
                batch = []
        JobPosting.objects.bulk_update(batch, ["published_at", "expires_at", "status"])

    def _measure(self, criteria, order, repeat, postgres):
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            page = board_page(criteria, order, 1)
            list(page.object_list)
            times.append((time.perf_counter() - start) * 1000)
        # The exact number of matches, counted once outside the timing (the board stops counting at
        # MATCH_LIMIT and says "more than").
        matches = JobPosting.objects.visible().matching(criteria).count()
        label = f"{describe_criteria(criteria)}, {order}"[:58]
        line = f"{label:<58} {matches:>8,} {statistics.median(times):>6.1f} ms {percentile(times, 0.95):>6.1f} ms"
        if postgres:
            paginator = page.paginator
            counting = paginator.counted.order_by().values("pk")[: paginator.limit + 1]
            plans = page.object_list.explain() + counting.explain()
            indexes = sorted(set(INDEX_IN_PLAN.findall(plans)))
            others = ", ".join(name for name in indexes if name != SEARCH_INDEX) or "-"
            gin = ("yes" if SEARCH_INDEX in indexes else "NO") if criteria.get("q") else "n/a"
            line += f"  {gin:<4} {others}"
        return line
