"""RSS of the newest jobs on the board (/joblist/feed/): one query, however many postings exist."""

from html import unescape

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ala_site import page_cache

from .models import JobPosting

FEED_SIZE = 20
SUMMARY_WORDS = 60


def job_line(posting):
    """“Title - Employer - City, ST”, as the landing page lists jobs."""
    return " - ".join(part for part in (posting.title, posting.employer_name, posting.location) if part)


class LatestJobsFeed(Feed):
    title = "ALA JobLIST: newest jobs"
    description = "The newest jobs in libraries and information science posted on ALA JobLIST."

    def link(self):
        return reverse("joblist:board")

    def items(self):
        now = timezone.now()
        # The feed is a shared page (joblist/alert_urls.py): it changes when an ad appears or leaves.
        page_cache.expires_at(JobPosting.objects.next_change(now))
        # employer_name is copied onto the posting, so no join; the long text stays in the database.
        return (
            JobPosting.objects.visible(now)
            .newest()
            .only("pk", "slug", "title", "employer_name", "city", "state", "description_html", "published_at")
            [:FEED_SIZE]
        )  # fmt: skip

    def item_title(self, posting):
        return job_line(posting)

    def item_description(self, posting):
        # Plain text from the sanitised HTML: the feed reader gets no markup from an ad.
        text = " ".join(unescape(strip_tags(posting.description_html)).split())
        return Truncator(text).words(SUMMARY_WORDS)

    def item_link(self, posting):
        return posting.get_absolute_url()

    def item_pubdate(self, posting):
        return posting.published_at

    def item_guid(self, posting):
        # Stable across a changed title (and so slug) or host: the row's own id.
        return f"{settings.SITE_URL}/joblist/#job-{posting.pk}"

    item_guid_is_permalink = False
