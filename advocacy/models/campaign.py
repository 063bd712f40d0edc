"""The "Show Up for Libraries" campaign: actions grouped by the time they take."""

from django.db import models

from ala_site.models import TrackedModel
from ala_site.validators import validate_link

__all__ = ["CampaignAction"]


class CampaignActionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)


class CampaignAction(TrackedModel):
    """One thing a supporter can do, shown under the time it takes."""

    class TimeNeeded(models.TextChoices):
        # Stored as the order the page shows them in, so sorting by the field sorts the groups.
        FIVE_MINUTES = "05", "5 minutes"
        TEN_MINUTES = "10", "10 minutes"
        MORE = "99", "More time"

    title = models.CharField(max_length=120)
    summary = models.TextField("short text", max_length=400, help_text="One or two sentences: what to do and why.")
    link_url = models.CharField(
        "link",
        max_length=500,
        validators=[validate_link],
        help_text="A path on this site (/advocacy/alerts/) or https://…",
    )
    link_label = models.CharField(
        "link text", max_length=60, help_text="What the button says, e.g. “Email your members of Congress”."
    )
    time_needed = models.CharField("time it takes", max_length=2, choices=TimeNeeded.choices)
    order = models.PositiveSmallIntegerField(default=0, help_text="Lower numbers come first within their group.")
    is_published = models.BooleanField("published", default=True)

    objects = CampaignActionQuerySet.as_manager()
    cache_sections = ("advocacy_campaign",)

    class Meta:
        ordering = ["time_needed", "order", "pk"]
        verbose_name = "campaign action"

    def __str__(self):
        return self.title
