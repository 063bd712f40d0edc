"""The landing page's "Shop ALA" section."""

from django import template

from ala_site.sections import section_tag

from ..models import Product

register = template.Library()

HIGHLIGHTS = 4


@section_tag(register, "store", "store/_home_section.html")
def store_highlights():
    products = Product.objects.featured().select_related("category").order_by("order", "title")[:HIGHLIGHTS]
    return {"products": list(products)}


@register.filter
def usd(value):
    """A price as US dollars: 1234.5 -> $1,234.50."""
    if value in (None, ""):
        return ""
    return f"${value:,.2f}"
