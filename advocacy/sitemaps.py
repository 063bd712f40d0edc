from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from ala_site.models import SiteSettings
from ala_site.sitemaps import newest_in

from .models import Article, Story


class NewsSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Article.objects.visible().defer("body", "body_html").order_by("pk")

    def lastmod(self, article):
        return article.updated_at


class StoryPagesSitemap(Sitemap):
    """The news list and the stories pages (articles have NewsSitemap)."""

    changefreq = "daily"
    priority = 0.7
    url_names = ["news:list", "advocacy:story_list", "advocacy:story_new"]

    def items(self):
        return self.url_names

    def location(self, item):
        return reverse(item)

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
