"""The public censorship pages: the hub, the data with its charts and CSV, and the book résumés.

The confidential report form has its own views (censorship/report_urls.py).
"""

import csv
from importlib.util import find_spec
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from ala_site import page_cache
from ala_site.templatetags.site_tags import json_ld

from .charts import bar_chart
from .forms import ResumeFilterForm
from .models import BookResume, CensorshipYear, ChallengedBook

PAGE_SIZE = 24
# Shown on the hub: the latest year's list, as the association publishes its top ten.
HUB_TOP_BOOKS = 10


def _published_years(with_books=False):
    """The published years, oldest first; with their most-challenged books in one more query."""
    years = CensorshipYear.objects.published().order_by("year")
    if with_books:
        books = ChallengedBook.objects.select_related("resume").order_by("rank", "title")
        years = years.prefetch_related(Prefetch("challenged_books", queryset=books))
    return list(years)


@require_safe
@page_cache.shared_page
def hub(request):
    years = _published_years()
    latest = years[-1] if years else None
    top_books = []
    if latest is not None:
        top_books = list(
            ChallengedBook.objects.filter(year=latest)
            .select_related("resume")
            .order_by("rank", "title")[:HUB_TOP_BOOKS]
        )
    context = {
        "latest": latest,
        "top_books": top_books,
        "resume_count": BookResume.objects.published().count(),
    }
    return render(request, "censorship/hub.html", context)


# Censorship data ----------------------------------------------------------------------------


def report_figures():
    """Figures counted from the reports people filed, where they consented to disclosure.

    censorship.report_stats.consented_report_counts() (the report work's) gives each group's count:
    small years and kinds of library pooled into an "other" row of at least five, a small kind of
    reason as None, shown as "fewer than 5". None when nothing is to show.
    """
    if find_spec("censorship.report_stats") is None:
        return None
    from . import report_stats

    figures = report_stats.consented_report_counts()
    tables = [
        ("by-year", "Reports by the year of the challenge", "Year", figures.get("by_year", {})),
        ("by-reason", "Reports by the reasons given", "Reason given", figures.get("by_reason", {})),
        ("by-institution", "Reports by kind of library", "Kind of library", figures.get("by_institution_type", {})),
    ]
    tables = [
        {"id": key, "caption": caption, "group": group, "rows": list(rows.items())}
        for key, caption, group, rows in tables
        if rows
    ]
    return {"tables": tables, "minimum": getattr(report_stats, "MINIMUM_GROUP", 5)} if tables else None


@require_safe
@page_cache.shared_page
def data(request):
    if request.GET.get("format") == "csv":
        return data_csv(request)
    years = _published_years(with_books=True)
    rows = [(year.year, year.attempts, year.unique_titles) for year in years]
    context = {
        "years": years,
        "years_with_notes": [year for year in reversed(years) if year.notes.strip()],
        "attempts_chart": bar_chart(
            "attempts-chart",
            "Attempts to restrict access to library materials, by year",
            [(year, attempts) for year, attempts, _titles in rows],
            "attempts to restrict access",
        ),
        "titles_chart": bar_chart(
            "titles-chart",
            "Unique titles challenged, by year",
            [(year, titles) for year, _attempts, titles in rows],
            "unique titles challenged",
        ),
        "years_with_books": [year for year in reversed(years) if year.challenged_books.all()],
        "report_figures": report_figures(),
    }
    return render(request, "censorship/data.html", context)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """Text a spreadsheet will show as text: a cell starting like a formula gets a leading quote."""
    value = str(value)
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def _csv_response(filename, header, rows):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([value if isinstance(value, int) else csv_safe(value) for value in row])
    return response


@require_safe
@page_cache.shared_page
def data_csv(request):
    """Every published year's figures (the most-challenged books have their own file)."""
    years = _published_years()
    return _csv_response(
        "censorship-data.csv",
        ["year", "attempts to restrict access", "unique titles challenged"],
        [(year.year, year.attempts, year.unique_titles) for year in years],
    )


@require_safe
@page_cache.shared_page
def books_csv(request):
    years = reversed(_published_years(with_books=True))
    rows = [
        (
            year.year,
            book.rank,
            book.title,
            book.author,
            "" if book.challenges is None else book.challenges,
            book.reasons,
        )
        for year in years
        for book in year.challenged_books.all()
    ]
    return _csv_response(
        "most-challenged-books.csv", ["year", "rank", "title", "author", "challenges", "reasons given"], rows
    )


# Book résumés -------------------------------------------------------------------------------


@require_safe
@page_cache.shared_page
def resume_list(request):
    form = ResumeFilterForm(request.GET)
    resumes, chosen = form.apply(BookResume.objects.published())
    page = Paginator(resumes, PAGE_SIZE).get_page(request.GET.get("page"))
    query = urlencode({key: value for key, value in chosen.items() if value})
    context = {
        "form": form,
        "chosen": chosen,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "query": query,
        "filtered": bool(query),
    }
    return render(request, "censorship/resume_list.html", context)


def _resume_json_ld(resume):
    url = settings.SITE_URL + resume.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "Book",
        "name": resume.title,
        "author": {"@type": "Person", "name": resume.author},
        "description": resume.summary,
        "url": url,
    }
    if resume.format == BookResume.Format.GRAPHIC_NOVEL:
        data["bookFormat"] = "https://schema.org/GraphicNovel"
    if resume.illustrator:
        data["illustrator"] = {"@type": "Person", "name": resume.illustrator}
    if resume.isbn:
        data["isbn"] = resume.isbn
    if resume.image_rendition:
        data["image"] = settings.SITE_URL + resume.image_rendition.url
    if resume.publisher:
        data["publisher"] = {"@type": "Organization", "name": resume.publisher}
    if resume.publication_year:
        data["datePublished"] = str(resume.publication_year)
    if resume.age_min is not None or resume.age_max is not None:
        # schema.org's form: "14-18", or "16-" for 16 and up.
        data["typicalAgeRange"] = f"{resume.age_min or 0}-{'' if resume.age_max is None else resume.age_max}"
    awards = [str(recognition) for recognition in resume.recognitions.all()]
    if awards:
        data["award"] = awards
    return json_ld(data)


@require_safe
@page_cache.shared_page
def resume_detail(request, slug):
    resume = get_object_or_404(
        BookResume.objects.prefetch_related(
            "reviews",
            "recognitions",
            "retentions",
            "resources",
            Prefetch("challenge_listings", ChallengedBook.objects.select_related("year").order_by("-year__year")),
        ),
        slug=slug,
    )
    if not resume.is_published and not request.user.is_staff:
        raise Http404("No such book résumé.")
    context = {
        "resume": resume,
        "listings": [listing for listing in resume.challenge_listings.all() if listing.year.is_published],
        "json_ld": _resume_json_ld(resume),
    }
    return render(request, "censorship/resume_detail.html", context)
