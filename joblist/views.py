"""The public board: search and filter the live ads, and one ad's page with its JSON-LD."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from ala_site import page_cache
from ala_site.templatetags.site_tags import json_ld

from .forms import JobSearchForm
from .models import JobPosting, end_of_day

PAGE_SIZE = 20
# The board counts, ranks and lists at most this many matches: past it, the count alone would read
# tens of thousands of ads on a big board (see README, "JobLIST: search benchmark"), and nobody
# pages through fifty pages of jobs rather than narrowing the search.
MATCH_LIMIT = 1000
# The public sees an ad once it is published; an ad that has ended keeps its page, with a banner.
PUBLIC_STATES = (JobPosting.Status.PUBLISHED, JobPosting.Status.EXPIRED)


class BoardSearchForm(JobSearchForm):
    """The search form as the board shows it: "best match" joins the orders, for keyword searches."""

    ORDERS = [("relevance", "Best match"), *JobSearchForm.ORDERS]
    CONTROL_CLASSES = {"q": "form-control", "min_salary": "form-control"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].choices = self.ORDERS
        self.fields["order"].help_text = "Without keywords, the best match is the newest first."
        self.fields["q"].widget.attrs.update(type="search", placeholder="e.g. children's librarian")
        self.fields["min_salary"].widget.attrs.update(inputmode="numeric")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = self.CONTROL_CLASSES.get(name, "form-select")

    def describe_fields(self):
        """Tie each control to its help text and, once checked, its error (aria-describedby)."""
        for name, field in self.fields.items():
            described_by = [f"id_{name}-help"] if field.help_text else []
            if self.is_bound and name in self.errors:
                described_by.insert(0, f"id_{name}-error")
                field.widget.attrs["aria-invalid"] = "true"
            if described_by:
                field.widget.attrs["aria-describedby"] = " ".join(described_by)

    def chosen_order(self):
        """The order the list shows as chosen: "best match" unless newest or salary was asked for."""
        asked = self.data.get("order", "")
        return asked if asked in dict(JobSearchForm.ORDERS) else "relevance"

    @staticmethod
    def board_order(chosen, criteria):
        """The order the board sorts by: the best match needs keywords, else it is the newest first."""
        return "newest" if chosen == "relevance" and not criteria.get("q") else chosen


class CappedPaginator(Paginator):
    """Pages of at most `limit` items, counted with a LIMITed subquery that stops at `limit` + 1.

    `counted` is what to count (the matches, without an order or a ranking to compute); `capped`
    says there are more than `limit`, and the pages then cover the first `limit` items.
    """

    def __init__(self, object_list, per_page, *, limit, counted, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit
        self.counted = counted

    @cached_property
    def _count_to_limit(self):
        return self.counted.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self):
        return min(self._count_to_limit, self.limit)

    @property
    def capped(self):
        return self._count_to_limit > self.limit


def board_page(criteria, order, page_number, now=None):
    """The board's page of postings for these criteria in this order, from a CappedPaginator.

    `manage.py joblist_search_benchmark` times this.
    """
    live = JobPosting.objects.visible(now or timezone.now())
    matches = live.matching(criteria)
    if order == "relevance" and criteria.get("q"):
        filters = {name: value for name, value in criteria.items() if name != "q"}
        postings = live.matching(filters).best_match_first(criteria["q"], among=MATCH_LIMIT)
    elif order == "salary":
        postings = matches.best_paid()
    else:
        postings = matches.newest()
    paginator = CappedPaginator(postings.for_board(), PAGE_SIZE, limit=MATCH_LIMIT, counted=matches)
    return paginator.get_page(page_number)


def changes_at(now, *moments):
    """The soonest of `moments` after `now` (None when none is): when a page rendered at `now` changes."""
    return min((moment for moment in moments if moment is not None and moment > now), default=None)


def _query_string(criteria, order):
    """The board's query string for these criteria (only valid values), e.g. for page links.

    The order goes in only when it is not what these criteria get by default.
    """
    default = "relevance" if criteria.get("q") else "newest"
    keep_order = order != default and (order != "relevance" or criteria.get("q"))
    params = {**criteria, **({"order": order} if keep_order else {})}
    return urlencode({key: value for key, value in params.items() if value not in (None, "")})


@require_safe
@page_cache.shared_page
def board(request):
    data = request.GET.copy()
    data.pop("page", None)
    form = BoardSearchForm(data if data else None)
    criteria = form.criteria()
    chosen = form.chosen_order()
    order = form.board_order(chosen, criteria)
    form.describe_fields()
    now = timezone.now()
    page = board_page(criteria, order, request.GET.get("page"), now)
    if not request.user.is_authenticated:  # a page the cache may share (signed-in pages never are)
        # It changes when an ad appears or leaves, and its "posted … ago" labels at midnight.
        page_cache.expires_at(changes_at(now, JobPosting.objects.next_change(now), end_of_day(timezone.localdate(now))))

    # The list shows the order chosen (a value it does not know shows as the default, best match).
    if form.is_bound:
        form.data = form.data.copy()
        form.data["order"] = chosen
    labels = {name: form.fields[name].label for name in JobSearchForm.CRITERIA}
    # Each filter in use, with the board's address without it: the empty state offers these.
    removable = []
    for name in criteria:
        rest = _query_string({key: value for key, value in criteria.items() if key != name}, order)
        removable.append({"label": labels[name], "url": f"?{rest}" if rest else reverse("joblist:board")})
    context = {
        "form": form,
        "criteria": criteria,
        "order": order,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "query": _query_string(criteria, order),
        "filtered": bool(criteria),
        "removable": removable,
    }
    return render(request, "joblist/board.html", context)


# One ad --------------------------------------------------------------------------------------


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def _posting_json_ld(posting):
    """schema.org JobPosting with what search engines require for a job listing."""
    employer = posting.employer
    organization = {"@type": "Organization", "name": posting.employer_name}
    if employer.website:
        organization["sameAs"] = employer.website
    if employer.image_rendition:
        organization["logo"] = settings.SITE_URL + employer.image_rendition.url
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html + posting.requirements_html,
        "datePosted": timezone.localtime(posting.published_at).isoformat(),
        "hiringOrganization": organization,
        "employmentType": posting.employment_type,
        "directApply": False,
        "url": settings.SITE_URL + posting.get_absolute_url(),
    }
    if posting.valid_through:
        data["validThrough"] = timezone.localtime(posting.valid_through).isoformat()
    if posting.workplace == JobPosting.Workplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "US"}
    else:
        address = {"@type": "PostalAddress", "addressRegion": posting.state, "addressCountry": "US"}
        if posting.city:
            address["addressLocality"] = posting.city
        data["jobLocation"] = {"@type": "Place", "address": address}
    if posting.salary_min is not None or posting.salary_max is not None:
        value = {"@type": "QuantitativeValue", "unitText": posting.salary_period.upper()}
        if posting.salary_min is not None:
            value["minValue"] = _number(posting.salary_min)
        if posting.salary_max is not None:
            value["maxValue"] = _number(posting.salary_max)
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": "USD", "value": value}
    return json_ld(data)


@require_safe
@page_cache.shared_page
def detail(request, pk, slug=""):
    posting = get_object_or_404(JobPosting.objects.select_related("employer"), pk=pk, status__in=PUBLIC_STATES)
    now = timezone.now()
    if posting.published_at is None or posting.published_at > now:
        raise Http404("No such job.")
    if slug != posting.slug:
        return redirect(posting, permanent=True)
    ended = posting.has_ended(now)
    # The ad ends (a banner, no structured data) when its run or deadline day does; its age moves at midnight.
    page_cache.expires_at(changes_at(now, posting.valid_through, end_of_day(timezone.localdate(now))))
    context = {
        "posting": posting,
        "employer": posting.employer,
        "ended": ended,
        # Search engines want an ended job's structured data gone; the page itself says noindex.
        "json_ld": "" if ended else _posting_json_ld(posting),
    }
    return render(request, "joblist/detail.html", context)
