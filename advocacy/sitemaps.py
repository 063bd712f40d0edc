from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ala_site.models import SiteSettings
from ala_site.sitemaps import RowsSitemap, newest_in

from .models import Article, Story


class NewsSitemap(RowsSitemap):
    """The articles published; one scheduled ahead appears, and is dated, at its publish time."""

    changefreq = "monthly"
    priority = 0.6
    model = Article
    url_name = "news:detail"
    lastmod_fields = ("updated_at", "publish_at")

    def rows(self):
        return Article.objects.visible()

    def next_change(self):
        return Article.objects.next_publication()


class StoryPagesSitemap(Sitemap):
    """The news list and the stories pages (articles have NewsSitemap)."""

    changefreq = "daily"
    priority = 0.7
    url_names = ["news:list", "advocacy:story_list", "advocacy:story_new"]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)

    def next_change(self):
        return Article.objects.next_publication()  # the news list's lastmod

    def lastmod(self, item):
        """When what the page shows last changed.

        An article scheduled ahead appears at its publish time, after its last edit; a story
        leaves the list when staff change their decision, so every moderation counts. The
        form shows only the site's name from the site settings.
        """
        if item == "news:list":
            return newest_in(Article.objects.visible(), "updated_at", "publish_at")
        if item == "advocacy:story_list":
            return newest_in(Story.objects.exclude(moderated_at=None), "moderated_at")
        return newest_in(SiteSettings.objects.all())
