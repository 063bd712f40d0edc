"""A GIN index for the site search (PostgreSQL only; nothing on SQLite).

It indexes the very weighted tsvector the search filters on (store/search.py), so the planner uses it;
tests/ala_site/test_search.py checks with EXPLAIN that it does. Change both together.
"""

from django.db import migrations

from ala_site.search import index_operation


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0008_backfill_order_history"),
    ]

    operations = [
        index_operation(
            "store",
            "product",
            "store_product_search_gin",
            {"A": ("title",), "B": ("short_description",), "C": ("description",)},
        ),
    ]
