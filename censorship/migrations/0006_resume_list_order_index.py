"""The résumé list's order (title) as a partial index over published résumés.

The former index began with `is_published`, which SQLite cannot use as a key (Django writes the
condition as a bare boolean), and PostgreSQL sorted every résumé for a deep page (OFFSET): both
now walk the index in title order and stop after the page.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("censorship", "0005_intellectual_freedom_content"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="bookresume",
            name="censorship__is_publ_513431_idx",
        ),
        migrations.AddIndex(
            model_name="bookresume",
            index=models.Index(
                condition=models.Q(("is_published", True)), fields=["title", "id"], name="censorship_resume_listed_idx"
            ),
        ),
    ]
