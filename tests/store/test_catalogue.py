from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import StaffFactory
from tests.sitemap_utils import sitemap_paths

from .factories import CategoryFactory, ProductFactory
from .helpers import h1s, json_ld, product_titles, text

pytestmark = pytest.mark.django_db


def test_catalogue_lists_published_products_with_prices(client):
    ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"), member_price=Decimal("16.20"))
    ProductFactory(title="Hidden draft", is_published=False)
    response = client.get("/store/")
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    assert product_titles(response) == ["READ Your Way Poster"]
    page = text(response)
    assert "$18.00" in page
    assert "Members pay $16.20" in page


def test_catalogue_filters_by_category(client):
    posters = CategoryFactory(name="Posters")
    books = CategoryFactory(name="Books")
    ProductFactory(title="A poster", category=posters)
    ProductFactory(title="A book", category=books)
    response = client.get("/store/?category=books")
    assert product_titles(response) == ["A book"]
    assert "ALA Store: Books" in text(response)


def test_unknown_category_is_not_found(client):
    assert client.get("/store/?category=no-such-thing").status_code == 404


@pytest.mark.parametrize(
    "sort, expected",
    [
        ("title", ["Apple", "Mango", "Zebra"]),
        ("price", ["Mango", "Zebra", "Apple"]),
        ("-price", ["Apple", "Zebra", "Mango"]),
        ("newest", ["Mango", "Apple", "Zebra"]),
        ("nonsense", ["Zebra", "Apple", "Mango"]),  # unknown sort: the shop's own order
    ],
)
def test_catalogue_sorts(client, sort, expected):
    now = timezone.now()
    for order, (title, price, age) in enumerate([("Zebra", "20.00", 3), ("Apple", "30.00", 2), ("Mango", "10.00", 1)]):
        product = ProductFactory(title=title, price=Decimal(price), order=order)
        type(product).objects.filter(pk=product.pk).update(created_at=now - timezone.timedelta(days=age))
    assert product_titles(client.get(f"/store/?sort={sort}")) == expected


def test_catalogue_paginates_and_survives_bad_page_numbers(client):
    for n in range(30):
        ProductFactory(title=f"Poster {n:02d}")
    first = client.get("/store/?sort=title")
    assert product_titles(first)[0] == "Poster 00"
    assert len(product_titles(first)) == 12
    assert "Showing 1–12 of 30 products." in text(first)
    last = client.get("/store/?sort=title&page=3")
    assert product_titles(last)[-1] == "Poster 29"
    for page in ["abc", "-1", "0", "99999999999999999999", "1.5", ""]:
        response = client.get(f"/store/?sort=title&page={page}")
        assert response.status_code == 200, page
        assert product_titles(response) in (product_titles(first), product_titles(last))
    assert product_titles(client.get("/store/?sort=title&page=999")) == product_titles(last)
    assert 'href="?sort=title&amp;page=2"' in client.get("/store/?sort=title").content.decode()


def test_catalogue_empty_states(client):
    assert "The store has no products on sale right now." in text(client.get("/store/"))
    CategoryFactory(name="Bookmarks")
    assert "There is nothing in Bookmarks right now." in text(client.get("/store/?category=bookmarks"))


def test_product_page_has_json_ld_and_open_graph(client, settings):
    category = CategoryFactory(name="Posters")
    product = ProductFactory(
        title="READ Your Way Poster", category=category, price=Decimal("18.00"), stock=0, short_description="<Reading>"
    )
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert len(h1s(response)) == 1
    [data] = [block for block in json_ld(response) if block.get("@type") == "Product"]
    assert data["name"] == "READ Your Way Poster"
    assert data["description"] == "<Reading>"
    assert data["offers"]["price"] == "18.00"
    assert data["offers"]["priceCurrency"] == "USD"
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert data["url"] == f"{settings.SITE_URL}/store/read-your-way-poster/"
    html = response.content.decode()
    assert "<Reading>" not in html  # escaped everywhere, including inside the JSON-LD
    assert '<meta property="og:type" content="product">' in html
    assert '<meta property="og:title" content="READ Your Way Poster">' in html
    assert '<meta property="product:price:amount" content="18.00">' in html
    assert "Sold out" in text(response)
    assert "Add to cart" not in text(response)


def test_product_image_gets_a_rendition_once(client, tmp_path):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (2000, 1000), "#123456").save(buffer, format="PNG")
    product = ProductFactory(image=SimpleUploadedFile("big.png", buffer.getvalue()), image_alt="A navy poster")
    assert product.image_rendition.width == 800
    name = product.image_rendition.name
    product.title = "Renamed"
    product.save()
    assert product.image_rendition.name == name  # not rendered again
    response = client.get(product.get_absolute_url())
    assert f'src="{product.image_rendition.url}" alt="A navy poster"' in response.content.decode()


def test_unpublished_product_is_not_found_except_for_staff(client):
    product = ProductFactory(is_published=False)
    assert client.get(product.get_absolute_url()).status_code == 404
    client.force_login(StaffFactory())
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    assert "This product is not published" in text(response)


def test_member_sees_member_price(client, member):
    product = ProductFactory(price=Decimal("20.00"), member_price=Decimal("18.00"))
    client.force_login(member)
    page = text(client.get(product.get_absolute_url()))
    assert "$18.00" in page
    assert "member price" in page


def test_landing_page_shows_featured_products(client):
    ProductFactory(
        title="READ Your Way Poster", price=Decimal("18.00"), is_featured=True, short_description="All reading"
    )
    ProductFactory(title="Not featured", is_featured=False)
    ProductFactory(title="Featured but hidden", is_featured=True, is_published=False)
    page = text(client.get("/"))
    assert "Shop ALA" in page
    assert "Browse the ALA Store" in page
    assert "READ Your Way Poster" in page
    assert "All reading" in page
    assert "Price $18.00" in page
    assert "Not featured" not in page
    assert "Featured but hidden" not in page


def test_landing_section_refreshes_when_a_product_changes(client):
    product = ProductFactory(title="Old title", is_featured=True)
    assert "Old title" in text(client.get("/"))
    product.title = "New title"
    product.save()
    assert "New title" in text(client.get("/"))


def test_landing_page_has_no_store_section_without_featured_products(client):
    ProductFactory(is_featured=False)
    assert "Shop ALA" not in text(client.get("/"))


def test_sitemap_lists_published_products(client):
    shown = ProductFactory(title="Shown")
    hidden = ProductFactory(title="Hidden", is_published=False)
    paths = sitemap_paths(client)
    assert shown.get_absolute_url() in paths
    assert hidden.get_absolute_url() not in paths


def test_querysets():
    featured = ProductFactory(is_featured=True)
    ProductFactory(is_featured=True, is_published=False)
    plain = ProductFactory()
    from store.models import Product

    assert set(Product.objects.published()) == {featured, plain}
    assert list(Product.objects.featured()) == [featured]
