"""The site-wide search page, `/search/?q=...&kind=...&page=...` (the query itself: ala_site/search.py)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from .search import SearchResults, kinds, search_session

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


@require_safe
def search(request):
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
