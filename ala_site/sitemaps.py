from datetime import datetime
from functools import cached_property
from html import escape
from urllib.parse import quote, urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS
from django.views.decorators.http import require_safe

from . import page_cache


def newest(*moments):
    """The latest of these moments, leaving out the Nones (None if all are)."""
    return max((moment for moment in moments if moment is not None), default=None)


def newest_in(queryset, *fields):
    """The latest value of any of `fields` (default `updated_at`) in `queryset`, in one query."""
    fields = fields or ("updated_at",)
    found = queryset.order_by().aggregate(**{f"newest_{index}": Max(field) for index, field in enumerate(fields)})
    return newest(*found.values())


class SiteUrlMixin:
    """Locations on SITE_URL's scheme and host, as the pages' canonical and og:url links are.

    Without the sites framework, Django's sitemap takes both from the request, so a sitemap
    fetched by an internal address or over plain HTTP behind the proxy would list other URLs
    than the pages name as canonical.
    """

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc


def on_site_url(sitemaps):
    """The sitemap sections (name -> Sitemap class) with their locations on SITE_URL."""
    return {
        name: type(section.__name__, (SiteUrlMixin, section), {"__module__": section.__module__})
        for name, section in sitemaps.items()
    }


def _clock_bounds_the_page(sections):
    """A cached sitemap is kept no longer than the next moment one of its sections changes by
    the clock alone (an article's publish time, a job ad's end): sections say when with
    `next_change()`."""
    for section in sections:
        if hasattr(section, "next_change"):
            page_cache.expires_at(section().next_change())


@require_safe
@page_cache.shared_page
def index(request, sitemaps):
    """/sitemap.xml: Django's sitemap index, one entry per page of each section, each with its
    section's `lastmod`, and every location on SITE_URL (Django's index takes the host from the
    request: the sections' `get_domain` is not asked)."""
    _clock_bounds_the_page(sitemaps.values())
    response = sitemap_views.index(request, sitemaps)
    site = urlsplit(settings.SITE_URL)
    for entry in response.context_data["sitemaps"]:
        entry.location = urlsplit(entry.location)._replace(scheme=site.scheme, netloc=site.netloc).geturl()
    return response


class UrlsetTemplate:
    """Writes what Django's sitemap.xml template writes (each entry's location, lastmod as the
    local date, changefreq, priority, alternates; the same XML but for whitespace), in Python:
    for 5,000 entries the template took about 540 ms, most of a page's time, this about 20 ms
    (measured on the loaded two-core build machine)."""

    def render(self, context=None, request=None):
        zone = timezone.get_current_timezone()
        parts = [
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
        ]
        for url in context["urlset"]:
            parts.append(f"<url><loc>{escape(url['location'])}</loc>")
            if url["lastmod"]:
                parts.append(f"<lastmod>{local_date(url['lastmod'], zone).isoformat()}</lastmod>")
            if url["changefreq"]:
                parts.append(f"<changefreq>{escape(url['changefreq'])}</changefreq>")
            if url["priority"]:
                parts.append(f"<priority>{escape(url['priority'])}</priority>")
            for alternate in url["alternates"]:
                parts.append(
                    f'<xhtml:link rel="alternate" hreflang="{escape(alternate["lang_code"])}"'
                    f' href="{escape(alternate["location"])}"/>'
                )
            parts.append("</url>\n")
        parts.append("</urlset>\n")
        return "".join(parts)


def local_date(moment, zone):
    """The day of `moment` in `zone` (the site's, as the template's date filter gives it)."""
    if not isinstance(moment, datetime):
        return moment
    if timezone.is_aware(moment):
        return moment.astimezone(zone).date()
    return moment.date()


@require_safe
@page_cache.shared_page
def section(request, sitemaps, section):
    """/sitemap-<section>.xml?p=N: one page of a section (404 for an unknown section or page)."""
    if section in sitemaps:
        _clock_bounds_the_page([sitemaps[section]])
    return sitemap_views.sitemap(request, sitemaps, section=section, template_name=UrlsetTemplate())


# Stand-ins for a URL's arguments, reversed once to find where each value goes: digits only, so
# that every converter the project's detail pages use (int, slug, str) accepts them.
_MARKS = ("7301986245", "7302986245", "7303986245")


def url_format(url_name, arity):
    """The path of `url_name` as a %-format with one %s per argument, from one reverse() (None if
    the stand-ins do not come out once each, unchanged)."""
    if arity > len(_MARKS):
        return None
    path = reverse(url_name, args=_MARKS[:arity]).replace("%", "%%")
    if any(path.count(mark) != 1 for mark in _MARKS[:arity]):
        return None
    for mark in _MARKS[:arity]:
        path = path.replace(mark, "%s")
    return path


class RowsSitemap(Sitemap):
    """A section with one entry per row of `model`, `limit` to a page (?p=2, ?p=3...).

    Built for volume: the rows are read as plain values, only the columns the entries need
    (`url_fields` for the location, `lastmod_fields` for the date), in primary-key order (its
    index serves each page's LIMIT/OFFSET); the location comes from one reverse() per page, the
    arguments filled into it (5,000 reverse() took about 340 ms, filling them 3 ms). Subclasses
    give `rows()`, the listed rows.
    """

    limit = 5000  # entries to a sitemap page (the protocol allows 50,000 and 50 MB)
    model = None
    url_name = None
    url_fields = ("slug",)  # the URL's arguments, in order
    lastmod_fields = ("updated_at",)  # an entry's lastmod is the newest of these

    def rows(self):
        raise NotImplementedError

    def items(self):
        fields = dict.fromkeys(("pk", *self.url_fields, *self.lastmod_fields))
        return self.rows().order_by("pk").values(*fields)

    def url_args(self, row):
        return [row[field] for field in self.url_fields]

    @cached_property
    def _url_format(self):
        return url_format(self.url_name, len(self.url_fields))

    def location(self, row):
        args = self.url_args(row)
        if self._url_format is None:
            return reverse(self.url_name, args=args)
        return self._url_format % tuple(quote(str(arg), safe=RFC3986_SUBDELIMS + "~:@") for arg in args)

    def lastmod(self, row):
        return newest(*(row[field] for field in self.lastmod_fields))

    def get_latest_lastmod(self):
        """When the section last changed, for the index: the newest entry, or any row's edit (a
        row taken down changes the section too, and its edit time says when), in two queries."""
        return newest(newest_in(self.model.objects.all()), newest_in(self.rows(), *self.lastmod_fields))


class StaticPagesSitemap(Sitemap):
    """The site's fixed pages, by URL name; apps with such pages add their names here.

    Each page's `lastmod` is when the content it shows last changed: the newest `updated_at`
    among the models named for it ("app_label.Model", looked up by name so ala_site imports
    no app's models).
    """

    changefreq = "daily"
    priority = 1.0
    url_names = {
        "home": ("ala_site.SiteSettings", "ala_site.Promo", "ala_site.NavLink", "ala_site.QuickLink"),
        "membership:types": ("membership.MembershipType",),
        "membership:join": ("membership.MembershipType",),
        "donate": ("ala_site.SiteSettings",),
        "store:catalogue": ("store.Product", "store.Category"),
    }

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return newest(*(newest_in(apps.get_model(label).objects.all()) for label in self.url_names[item]))
