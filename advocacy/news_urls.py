from django.urls import path
from django.views.decorators.http import require_safe

from ala_site import page_cache

from . import news_views
from .feeds import NewsFeed

app_name = "news"

urlpatterns = [
    path("", news_views.article_list, name="list"),
    # Above the slug route, so an article's slug never hides the feed.
    path("feed/", require_safe(page_cache.shared_page(NewsFeed())), name="feed"),
    path("<slug:slug>/", news_views.article_detail, name="detail"),
]
