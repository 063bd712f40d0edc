"""What of advocacy the site search finds: news articles and press releases that are out (see ala_site/search.py)."""

from django.utils import timezone
from django.utils.formats import date_format

from ala_site.search import SearchKind, register

from .models import Article


def _meta(article):
    return f"{article.get_kind_display()} · {date_format(timezone.localtime(article.publish_at), 'N j, Y')}"


register(
    SearchKind(
        key="news",
        label="News",
        queryset=lambda: Article.objects.visible(),
        fields={"A": ("title",), "B": ("summary",), "C": ("body",)},
        section=("news:list", "Read the latest news"),
        date_field="publish_at",
        snippet=lambda article: article.summary,
        meta=_meta,
        next_change=lambda now: Article.objects.next_publication(now),
        order=10,
    )
)
