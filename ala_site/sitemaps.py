from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse


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
        "donate": ("ala_site.SiteSettings",),
        "store:catalogue": ("store.Product", "store.Category"),
    }

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return newest(*(newest_in(apps.get_model(label).objects.all()) for label in self.url_names[item]))
