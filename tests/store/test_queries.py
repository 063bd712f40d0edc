"""Catalogue and cart pages cost the same number of queries however many products and lines exist."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ala_site import page_cache
from store.cart import SESSION_KEY
from store.demo import _cover_card

from .factories import CategoryFactory, ProductFactory

pytestmark = pytest.mark.django_db

# For a visitor: the session, then categories, the count and one page of products.
CATALOGUE_BUDGET = 4
# The session, then every product in the cart in one query.
CART_BUDGET = 2


def queries(client, url):
    client.get(url)  # warm the caches that every page shares (site settings, sections)
    page_cache.bump()  # it may have stored the whole page too: renew it, so the counted request renders
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), captured


def make_products(count, **kwargs):
    category = CategoryFactory()
    return [ProductFactory(category=category, **kwargs) for _ in range(count)]


@pytest.mark.parametrize("url", ["/store/", "/store/?sort=price&page=2", "/"])
def test_catalogue_query_count_does_not_grow(client, url):
    make_products(25, member_price=None)
    few, _ = queries(client, url)
    make_products(25)
    many, captured = queries(client, url)
    assert few == many, [q["sql"] for q in captured]
    assert many <= CATALOGUE_BUDGET, [q["sql"] for q in captured]


def test_catalogue_query_count_for_a_member(client, member):
    client.force_login(member)
    make_products(5, member_price=1)
    few, _ = queries(client, "/store/")
    make_products(45, member_price=1)
    many, captured = queries(client, "/store/")
    assert few == many, [q["sql"] for q in captured]


def fill(client, products):
    session = client.session
    session[SESSION_KEY] = {str(product.pk): 2 for product in products}
    session.save()


def test_cart_query_count_does_not_grow(client):
    fill(client, make_products(5))
    few, _ = queries(client, "/store/cart/")
    fill(client, make_products(50))
    many, captured = queries(client, "/store/cart/")
    assert few == many, [q["sql"] for q in captured]
    assert many <= CART_BUDGET, [q["sql"] for q in captured]


def test_checkout_page_query_count_does_not_grow(client):
    fill(client, make_products(5))
    few, _ = queries(client, "/store/checkout/")
    fill(client, make_products(50))
    many, captured = queries(client, "/store/checkout/")
    assert few == many, [q["sql"] for q in captured]


def test_product_page_query_count(client):
    product = make_products(1)[0]
    count, captured = queries(client, product.get_absolute_url())
    assert count <= 2, [q["sql"] for q in captured]  # the product, the session


def test_catalogue_gives_image_sizes_without_opening_image_files(client, monkeypatch):
    product = ProductFactory(image_alt="A poster")
    product.image.save("poster.png", _cover_card("A poster", "#0b2e59"), save=True)
    opened = []
    monkeypatch.setattr("django.core.files.images.get_image_dimensions", lambda *a, **k: opened.append(a))

    response = client.get("/store/")

    assert f'width="{product.rendition_width}" height="{product.rendition_height}"' in response.content.decode()
    assert product.rendition_width <= 960 and product.rendition_height > 0
    assert opened == []
