"""A GIN index for the site search (PostgreSQL only; nothing on SQLite).

It indexes the very weighted tsvector the search filters on (censorship/search.py), so the planner uses it;
tests/ala_site/test_search.py checks with EXPLAIN that it does. Change both together.
"""

from django.db import migrations

from ala_site.search import index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("censorship", "0003_intellectual_freedom_staff"),
    ]

    operations = [
        index_operation(
            "censorship",
            "bookresume",
            "censorship_resume_search_gin",
            {"A": ("title", "author"), "B": ("summary", "subtitle", "illustrator"), "C": ("synopsis",)},
        ),
    ]
