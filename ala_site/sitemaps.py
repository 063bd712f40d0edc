from django.apps import apps
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse


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
        changed = [
            apps.get_model(label).objects.aggregate(newest=Max("updated_at"))["newest"]
            for label in self.url_names[item]
        ]
        return max((moment for moment in changed if moment is not None), default=None)
