from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Article


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
