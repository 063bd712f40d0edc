import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from store import demo
from store.models import Product
from tests.html_utils import visible_text

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


def test_store_demo_texts_do_not_age(client):
    """Five years on, the store's demo texts name no past year but the association's founding."""
    with time_machine.travel(datetime(2031, 2, 10, 12, tzinfo=ZoneInfo(settings.TIME_ZONE))):
        demo.seed(log=lambda *args: None)
        pages = [client.get("/store/")] + [client.get(product.get_absolute_url()) for product in Product.objects.all()]

    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        main = visible_text(html[html.index('<main id="main"') : html.index("</main>")])  # not the footer's ©
        years = {int(year) for year in re.findall(r"\b(1[89]\d\d|20\d\d)\b", main)}
        assert years <= {1876} | set(range(2030, 2040)), years
