"""The news list (news and press releases) and one article's page."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from ala_site import page_cache
from ala_site.templatetags.site_tags import json_ld

from .models import Article

PAGE_SIZE = 10
ORGANISATION = "American Library Association"
# The list's filter by kind, with the plural labels the list heading uses.
KINDS = [(Article.Kind.NEWS, "News"), (Article.Kind.PRESS_RELEASE, "Press releases")]


@require_safe
@page_cache.shared_page
def article_list(request):
    now = timezone.now()
    articles = Article.objects.visible(now)
    if not request.user.is_authenticated:  # a page the cache may share (signed-in pages never are)
        page_cache.expires_at(Article.objects.next_publication(now))  # a scheduled article joins the list
    kind = request.GET.get("kind", "")
    if kind not in Article.Kind.values:
        kind = ""
    if kind:
        articles = articles.filter(kind=kind)
    # The body is not shown in the list: leave the longest columns out of the query.
    articles = articles.defer("body", "body_html")
    page = Paginator(articles, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "ellipsis": Paginator.ELLIPSIS,
        "kinds": KINDS,
        "kind": kind,
        "kind_label": dict(KINDS).get(kind, ""),
        "query": f"kind={kind}" if kind else "",
    }
    return render(request, "news/list.html", context)


def _organisation():
    return {"@type": "Organization", "name": ORGANISATION, "url": settings.SITE_URL + "/"}


def article_json_ld(article):
    url = settings.SITE_URL + article.get_absolute_url()
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],  # search engines cut headlines past 110 characters
        "description": article.summary,
        "datePublished": timezone.localtime(article.publish_at).isoformat(),
        # A scheduled article edited before it appeared was modified no earlier than its publication.
        "dateModified": timezone.localtime(max(article.updated_at, article.publish_at)).isoformat(),
        "author": _organisation(),
        "publisher": _organisation(),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
    }
    if article.image_rendition:
        data["image"] = [settings.SITE_URL + article.image_rendition.url]
    return json_ld(data)


# A scheduled or draft article is a 404 for the public (never stored), and a published one's page
# does not change by the clock: no moment to announce.
@require_safe
@page_cache.shared_page
def article_detail(request, slug):
    article = get_object_or_404(Article, slug=slug)
    if not article.is_visible and not request.user.is_staff:
        raise Http404("No such article.")
    context = {"article": article, "json_ld": article_json_ld(article)}
    return render(request, "news/detail.html", context)
