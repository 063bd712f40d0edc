"""The board's newest-first index begins with the status.

PostgreSQL walked the former (published_at, id) index and checked the status on each row; SQLite,
having no statistics, preferred joblist_visible_idx for its status and sorted every live ad to
show a page (about 100 ms at 10,000 ads). Both now walk this one in the board's order. The name
stays: tests and the README refer to it.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("joblist", "0003_board_filter_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="jobposting",
            name="joblist_newest_idx",
        ),
        migrations.AddIndex(
            model_name="jobposting",
            index=models.Index(fields=["status", "-published_at", "-id"], name="joblist_newest_idx"),
        ),
    ]
