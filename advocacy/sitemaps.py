from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

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
        """When what the page lists last changed (the form has no such moment)."""
        if item == "news:list":
            return Article.objects.visible().aggregate(newest=Max("updated_at"))["newest"]
        if item == "advocacy:story_list":
            return Story.objects.public().aggregate(newest=Max("moderated_at"))["newest"]
        return None
