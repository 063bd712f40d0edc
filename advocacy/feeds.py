from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone

from ala_site import page_cache

from .models import Article

FEED_SIZE = 20


class NewsFeed(Feed):
    title = "ALA News"
    description = "News and press releases from the American Library Association."

    def link(self):
        return reverse("news:list")

    def items(self):
        now = timezone.now()
        # The feed is a shared page (advocacy/news_urls.py): a scheduled article joins it at its time.
        page_cache.expires_at(Article.objects.next_publication(now))
        return Article.objects.visible(now).defer("body", "body_html")[:FEED_SIZE]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_categories(self, article):
        return [article.get_kind_display()]

    def item_guid(self, article):
        # Stable across a changed slug or host: the row's own id.
        return f"{settings.SITE_URL}/news/#article-{article.pk}"

    item_guid_is_permalink = False
