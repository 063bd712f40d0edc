from functools import cached_property

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ala_site.sitemaps import RowsSitemap, newest, newest_in

from .models import BookResume, CensorshipYear, ChallengedBook, ChallengeReport


class CensorshipPagesSitemap(Sitemap):
    """The hub, the data and the résumé directory (the report form is not a page to index)."""

    changefreq = "weekly"
    priority = 0.7

    def items(self):
        return ["censorship:hub", "censorship:data", "censorship:resume_list"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return self._changed[item]

    @cached_property
    def _changed(self):
        """When what each page shows last changed, in four queries for the three. All rows count,
        not only the published ones: taking a year or a résumé down changes the pages too."""
        figures = newest(newest_in(CensorshipYear.objects.all()), newest_in(ChallengedBook.objects.all()))
        resumes = newest_in(BookResume.objects.all())
        reports = newest_in(ChallengeReport.objects.consented(), "created_at")
        return {
            "censorship:hub": newest(figures, resumes),  # the latest year's figures and books, the résumé count
            "censorship:data": newest(figures, reports),  # every year's, and the figures counted from reports
            "censorship:resume_list": resumes,
        }


class BookResumeSitemap(RowsSitemap):
    changefreq = "monthly"
    priority = 0.6
    model = BookResume
    url_name = "censorship:resume_detail"

    def rows(self):
        return BookResume.objects.published()
