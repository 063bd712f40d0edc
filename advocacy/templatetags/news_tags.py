"""The landing page's "Share Your Library's Story with Congress" and "News Around ALA" sections."""

from django import template

from ala_site.sections import section_tag

from ..models import Article, Story

register = template.Library()

LATEST_SHOWN = 3


@section_tag(register, "stories", "advocacy/_stories_home_section.html")
def library_stories():
    return {"has_public_stories": Story.objects.public().exists()}


@section_tag(register, "news", "news/_home_section.html")
def latest_news():
    articles = list(Article.objects.visible().only("title", "slug", "summary", "publish_at")[:LATEST_SHOWN])
    # A scheduled article takes its place on the landing page at its publish time.
    return {"articles": articles, "cache_until": Article.objects.next_publication()}
