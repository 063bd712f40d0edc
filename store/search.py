"""What of the store the site search finds: the products the catalogue shows (see ala_site/search.py)."""

from ala_site.search import SearchKind, register

from .models import Product


def _products():
    return Product.objects.published().select_related("category")


def _meta(product):
    parts = [product.get_format_display()]
    if product.category_id:
        parts.append(product.category.name)
    parts.append(f"${product.price}")
    return " · ".join(parts)


register(
    SearchKind(
        key="store",
        label="Store",
        queryset=_products,
        fields={"A": ("title",), "B": ("short_description",), "C": ("description",)},
        section=("store:catalogue", "Browse the store"),
        date_field="updated_at",
        snippet=lambda product: product.short_description,
        meta=_meta,
        order=40,
    )
)
