"""An index for each order of the store catalogue (store.views.SORTS), over published products only.

Without them every request sorted every published product to show twelve, and a deep page
(OFFSET) sorted them all again: at 10,000 products 25 ms for page 1 and 99 ms for page 800 on
PostgreSQL, 5 and 42 ms on SQLite. With them both databases walk the index in the page's order and
stop after the page, and count the published products from the smallest index.
"""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0009_search_index"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["order", "title", "id"],
                name="store_product_listed_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["category", "order", "title", "id"],
                name="store_product_category_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_published", True)), fields=["title", "id"], name="store_product_title_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_published", True)),
                fields=["price", "title", "id"],
                name="store_product_price_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="product",
            index=models.Index(
                condition=models.Q(("is_published", True)), fields=["created_at", "id"], name="store_product_newest_idx"
            ),
        ),
    ]
