"""A GIN index for the site search (PostgreSQL only; nothing on SQLite).

It indexes the very weighted tsvector the search filters on (advocacy/search.py), so the planner
uses it; tests/ala_site/test_search.py checks with EXPLAIN that it does. Change both together.
"""

from django.db import migrations

from ala_site.search import index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0002_advocacy_staff_group"),
    ]

    operations = [
        index_operation(
            "advocacy", "article", "advocacy_article_search_gin", {"A": ("title",), "B": ("summary",), "C": ("body",)}
        ),
    ]
