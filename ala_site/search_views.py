"""The site-wide search page, `/search/?q=...&kind=...&page=...` (the query itself: ala_site/search.py)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from . import page_cache, sections
from .search import SearchResults, clean_query, kinds, search_session

PAGE_SIZE = 20


def _sections():
    """Each searchable part of the site, linked, for the empty state (a part without its page yet is left out)."""
    links = []
    for kind in kinds():
        if not kind.section:
            continue
        url_name, text = kind.section
        try:
            links.append({"url": reverse(url_name), "text": text, "label": kind.label})
        except NoReverseMatch:
            continue
    return links


def _announce_clock_changes():
    """Keep a shared results page no longer than the soonest moment a kind's hits change by the clock
    (an ad's run ending, a scheduled article appearing, an event ending): the kinds' `next_change`.

    Most searches are asked once, so the moment is not worked out per page: it is kept like a
    landing-page section (ala_site/sections.py, which announces it to the page cache), renewed when
    a row of those kinds is saved (their models' sections) and when the moment passes. A search
    then pays no query for it, only a key in the sections' one cache read.
    """
    timed = [kind for kind in kinds() if kind.next_change is not None]
    if not timed:
        return
    depends_on = tuple(sorted({name for kind in timed for name in kind.queryset().model.cache_sections}))

    def soonest():
        now = timezone.now()
        moments = [kind.next_change(now) for kind in timed]
        return {"cache_until": min((moment for moment in moments if moment is not None), default=None)}

    sections.section_data("search-clock", depends_on, soonest)


@require_safe
@page_cache.shared_page
def search(request):
    if clean_query(request.GET.get("q", "")) and not request.user.is_authenticated:
        # Before the search runs: a moment passing meanwhile then keeps the page out of the cache.
        _announce_clock_changes()
    with search_session():
        results = SearchResults(request.GET.get("q", ""), request.GET.get("kind", ""))
        paginator = Paginator(results, PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        hits = list(page.object_list)
    kind_key = results.kind.key if results.kind else ""
    filters = [
        {
            "key": kind.key,
            "label": kind.label,
            "count": results.counts.get(kind.key, 0),
            "capped": results.capped.get(kind.key, False),
            "url": "?" + urlencode({"q": results.query, "kind": kind.key}),
            "current": kind.key == kind_key,
        }
        for kind in kinds()
    ]
    context = {
        "query": results.query,
        "results": results,
        "kind": results.kind,
        "filters": filters,
        "all_url": "?" + urlencode({"q": results.query}),
        "total_everywhere": results.total_everywhere,
        "page": page,
        "hits": hits,
        "is_capped": results.is_capped,
        "rank_candidates": results.rank_candidates,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "pagination_query": urlencode(
            {key: value for key, value in (("q", results.query), ("kind", kind_key)) if value}
        ),
        "sections": _sections(),
        "kind_labels": [kind.label for kind in kinds()],
    }
    return render(request, "ala_site/search.html", context)
