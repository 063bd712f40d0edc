"""What of JobLIST the site search finds: the ads on the board now (see ala_site/search.py).

`JobPosting.objects.visible()` only, so a draft, an ad waiting for review, a rejected or an
expired ad is never found. On PostgreSQL the search reads the posting's stored, GIN-indexed
`search_vector` (title A, employer B, city, description and requirements C), kept by the model.
"""

from django.utils import timezone
from django.utils.formats import date_format

from ala_site.search import SearchKind, plain_text, register

from .models import JobPosting


def _meta(posting):
    parts = [posting.employer_name, posting.location]
    if posting.published_at:
        parts.append(f"posted {date_format(timezone.localtime(posting.published_at), 'N j, Y')}")
    return " · ".join(part for part in parts if part)


register(
    SearchKind(
        key="jobs",
        label="Jobs",
        queryset=lambda: JobPosting.objects.visible(),
        fields={"A": ("title",), "B": ("employer_name",), "C": ("city", "description", "requirements")},
        vector_field="search_vector",
        section=("joblist:board", "Browse JobLIST"),
        date_field="published_at",
        snippet=lambda posting: plain_text(posting.description_html),
        meta=_meta,
        next_change=lambda now: JobPosting.objects.next_change(now),
        order=30,
    )
)
