"""Censorship data: the association's figures per year and the most-challenged books of each year.

Staff type the published figures in admin (the demo seeds them from the association's reports);
the data page draws its charts and its CSV from these rows.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from ala_site.models import TrackedModel

__all__ = ["CensorshipYear", "ChallengedBook"]


class CensorshipYearQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CensorshipYear(TrackedModel):
    """One year's published figures, from reports filed by library workers and from news stories."""

    year = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    attempts = models.PositiveIntegerField(
        "attempts to restrict access", help_text="Attempts to restrict access to library materials and services."
    )
    unique_titles = models.PositiveIntegerField("unique titles challenged")
    notes = models.TextField(
        blank=True,
        help_text="Plain text shown under the year's figures, e.g. who initiated the challenges. "
        "Blank lines start new paragraphs.",
    )
    is_published = models.BooleanField("published", default=True)

    objects = CensorshipYearQuerySet.as_manager()
    cache_sections = ("censorship",)

    class Meta:
        ordering = ["year"]
        verbose_name = "censorship figures for a year"
        verbose_name_plural = "censorship figures per year"

    def __str__(self):
        return str(self.year)


class ChallengedBook(TrackedModel):
    """A book on a year's list of most-challenged books, with the reasons its challengers gave."""

    year = models.ForeignKey(CensorshipYear, on_delete=models.CASCADE, related_name="challenged_books")
    rank = models.PositiveSmallIntegerField(help_text="1 for the most challenged; titles may share a rank.")
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=200)
    challenges = models.PositiveIntegerField("number of challenges", null=True, blank=True)
    reasons = models.CharField(
        "reasons given",
        max_length=500,
        help_text="As the challengers stated them, e.g. “claimed to be sexually explicit”.",
    )
    resume = models.ForeignKey(
        "censorship.BookResume",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="challenge_listings",
        verbose_name="book résumé",
        help_text="The title's book résumé, if there is one; its page links to it.",
    )

    cache_sections = ("censorship",)

    class Meta:
        ordering = ["-year__year", "rank", "title"]
        verbose_name = "most-challenged book"
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="censorship_challengedbook_once_a_year"),
        ]

    def __str__(self):
        return f"{self.title} ({self.year})"
