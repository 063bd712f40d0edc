from decimal import Decimal

import pytest

from store import demo
from store.models import Product

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_has_the_home_pages_products(client):
    demo.seed(log=lambda *args: None)
    demo.seed(log=lambda *args: None)
    assert Product.objects.count() == len(demo.PRODUCTS)
    featured = {p.title: p.price for p in Product.objects.featured()}
    assert featured == {
        "Serving the Underserved: Strategies for Inclusive Community Engagement": Decimal("64.99"),
        "Vintage ALA: Pencil Recycled Tote Bag": Decimal("20.49"),
        "The Civil Rights Movement (Discover and Learn with the Library of Congress series)": Decimal("19.99"),
        "READ Your Way Poster": Decimal("18.00"),
    }
    for product in Product.objects.all():
        assert product.member_price < product.price
        assert product.image_rendition and product.image_alt
    assert Product.objects.filter(format="digital", stock__isnull=True).exists()
    page = client.get("/").content.decode()
    assert "Shop ALA" in page and "$64.99" in page


def test_seed_volume_adds_generated_products_once():
    demo.seed(volume=30, log=lambda *args: None)
    demo.seed(volume=30, log=lambda *args: None)
    assert Product.objects.filter(slug__startswith="generated-product-").count() == 30
