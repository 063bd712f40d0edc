"""News articles and press releases, written by staff in admin.

An article is visible when it is published and its publish time has come, computed at query time:
an article scheduled for tomorrow appears by itself then, with no job to run.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from ala_site.models import ImageModel, TrackedModel
from ala_site.richtext import MARKDOWN_HELP, RichTextMixin

__all__ = ["Article"]

# Addresses under /news/ that are pages of their own, so no article may take them as its slug.
RESERVED_SLUGS = {"feed"}


class ArticleQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Published and past its publish time, newest first."""
        now = now or timezone.now()
        return self.filter(is_published=True, publish_at__lte=now).order_by("-publish_at", "-pk")

    def next_publication(self, now=None):
        """When the next scheduled article appears (None if none is scheduled)."""
        now = now or timezone.now()
        upcoming = self.filter(is_published=True, publish_at__gt=now)
        return upcoming.aggregate(first=models.Min("publish_at"))["first"]


class Article(RichTextMixin, ImageModel, TrackedModel):
    class Kind(models.TextChoices):
        NEWS = "news", "News"
        PRESS_RELEASE = "press_release", "Press release"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True, help_text="The article's address: /news/<slug>/.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.NEWS)
    summary = models.CharField(
        max_length=300, help_text="One or two sentences for lists, the feed and the landing page."
    )
    body = models.TextField(help_text=MARKDOWN_HELP)
    body_html = models.TextField(editable=False, blank=True)
    publish_at = models.DateTimeField(
        "published", default=timezone.now, help_text="The article appears at this time; set a later one to schedule it."
    )
    is_published = models.BooleanField("published", default=True, help_text="Untick to keep it as a draft.")

    objects = ArticleQuerySet.as_manager()
    cache_sections = ("news",)
    rich_text_fields = {"body": "body_html"}
    IMAGE_FOLDER = "news"

    class Meta:
        ordering = ["-publish_at", "-pk"]
        # The list's order among published articles, so any page of it walks the index (partial:
        # SQLite cannot use a bare boolean as an index key).
        indexes = [
            models.Index(
                fields=["publish_at", "id"], condition=models.Q(is_published=True), name="advocacy_article_listed_idx"
            )
        ]
        verbose_name = "news article"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:detail", args=[self.slug])

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError({"slug": f"/news/{self.slug}/ is another page: choose another slug."})

    @property
    def is_visible(self):
        return self.is_published and self.publish_at <= timezone.now()
