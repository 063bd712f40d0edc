from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ala_site.models import SiteSettings
from ala_site.sitemaps import RowsSitemap, newest, newest_in

from .models import BookResume, CensorshipYear, ChallengedBook, ChallengeReport


class CensorshipPagesSitemap(Sitemap):
    """The hub, the data, the résumé directory and the report form (people search for how to report
    a challenge; the form shows no report, only the site's own text)."""

    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["censorship:hub", "censorship:data", "censorship:resume_list", "censorship:report"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self._changed[item]

    @cached_property
    def _changed(self):
        """When what each page shows last changed, in five queries for the four. All rows count,
        not only the published ones: taking a year or a résumé down changes the pages too."""
        figures = newest(newest_in(CensorshipYear.objects.all()), newest_in(ChallengedBook.objects.all()))
        resumes = newest_in(BookResume.objects.all())
        reports = newest_in(ChallengeReport.objects.consented(), "created_at")
        return {
            "censorship:hub": newest(figures, resumes),  # the latest year's figures and books, the résumé count
            "censorship:data": newest(figures, reports),  # every year's, and the figures counted from reports
            "censorship:resume_list": resumes,
            "censorship:report": newest_in(SiteSettings.objects.all()),
        }


class BookResumeSitemap(RowsSitemap):
    changefreq = "monthly"
    priority = 0.6
    model = BookResume
    url_name = "censorship:resume_detail"

    def rows(self):
        return BookResume.objects.published()
