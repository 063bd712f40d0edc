"""Indexes in the order of the news list and of the published stories.

The news list's index began with `is_published`, which SQLite cannot use as a key (Django writes
the condition as a bare boolean): it read and sorted every article. A partial index on the list's
order serves both databases. The stories' index held `publish_consent` between the status and the
date, so the list sorted every approved story; a partial index over the published stories (the
list's condition) in the list's order replaces it.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0003_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="article",
            name="advocacy_ar_is_publ_f6ad4b_idx",
        ),
        migrations.RemoveIndex(
            model_name="story",
            name="advocacy_st_status_96d687_idx",
        ),
        migrations.AddIndex(
            model_name="article",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["publish_at", "id"],
                name="advocacy_article_listed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="story",
            index=models.Index(
                condition=models.Q(("publish_consent", True), ("status", "approved")),
                fields=["moderated_at", "id"],
                name="advocacy_story_public_idx",
            ),
        ),
    ]
