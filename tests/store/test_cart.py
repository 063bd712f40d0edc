from decimal import Decimal

import pytest

from store.cart import SESSION_KEY

from .factories import ProductFactory
from .helpers import messages, text

pytestmark = pytest.mark.django_db


def add(client, product, quantity=1, **extra):
    pk = product if isinstance(product, (int, str)) else product.pk
    return client.post("/store/cart/add/", {"product": pk, "quantity": quantity, **extra}, follow=True)


def cart_of(client):
    return client.session.get(SESSION_KEY, {})


def test_add_change_and_remove(client):
    poster = ProductFactory(title="READ Your Way Poster", price=Decimal("18.00"))
    response = add(client, poster, 2)
    assert response.redirect_chain[-1][0] == "/store/cart/"
    assert "Added 2 × “READ Your Way Poster” to your cart." in messages(response)
    page = text(response)
    assert "READ Your Way Poster" in page
    assert "Total $36.00" in page
    assert cart_of(client) == {str(poster.pk): 2}

    add(client, poster, 1)
    assert cart_of(client) == {str(poster.pk): 3}

    response = client.post("/store/cart/update/", {"product": poster.pk, "quantity": 5}, follow=True)
    assert "Updated “READ Your Way Poster”: 5 in your cart." in messages(response)
    assert "Total $90.00" in text(response)

    response = client.post("/store/cart/remove/", {"product": poster.pk}, follow=True)
    assert "Removed the item from your cart." in messages(response)
    assert "Your cart is empty." in text(response)
    assert cart_of(client) == {}


def test_cart_keeps_only_ids_and_quantities_and_prices_come_from_the_database(client):
    poster = ProductFactory(price=Decimal("18.00"))
    add(client, poster, 1, price="0.01", unit_price="0.01")
    assert cart_of(client) == {str(poster.pk): 1}
    poster.price = Decimal("19.00")
    poster.save()
    assert "Total $19.00" in text(client.get("/store/cart/"))


def test_member_pays_member_price_in_cart(client, member):
    poster = ProductFactory(price=Decimal("20.00"), member_price=Decimal("18.00"))
    client.force_login(member)
    add(client, poster, 2)
    assert "Total $36.00" in text(client.get("/store/cart/"))


@pytest.mark.parametrize(
    "quantity, message",
    [
        ("0", "Enter a quantity of at least 1."),
        ("-3", "Enter a quantity of at least 1."),
        ("100", "You can buy at most 99 of one item per order."),
        ("99999999999999999999999", "You can buy at most 99 of one item per order."),
        ("two", "Enter the quantity as a whole number, like 2."),
        ("1e3", "Enter the quantity as a whole number, like 2."),
        ("", "Enter a quantity."),
        ("NaN", "Enter the quantity as a whole number, like 2."),
    ],
)
def test_bad_quantity_when_adding_is_explained_next_to_the_field(client, quantity, message):
    poster = ProductFactory()
    response = client.post("/store/cart/add/", {"product": poster.pk, "quantity": quantity})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'aria-invalid="true"' in html
    assert cart_of(client) == {}


@pytest.mark.parametrize("quantity", ["0", "-1", "500", "lots", ""])
def test_bad_quantity_when_changing_is_explained_next_to_the_line(client, quantity):
    poster = ProductFactory(title="READ Your Way Poster")
    add(client, poster, 2)
    response = client.post("/store/cart/update/", {"product": poster.pk, "quantity": quantity})
    assert response.status_code == 400
    html = response.content.decode()
    assert f'id="cart-{poster.pk}-quantity-error"' in html
    assert cart_of(client) == {str(poster.pk): 2}


@pytest.mark.parametrize("product_id", ["999999", "abc", "", "-1", "1 OR 1=1", "99999999999999999999999"])
def test_tampered_product_id_is_refused(client, product_id):
    ProductFactory()
    response = add(client, product_id)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == "/store/"
    assert any("not on sale" in m or "Choose a product" in m for m in messages(response))
    assert cart_of(client) == {}
    response = client.post("/store/cart/update/", {"product": product_id, "quantity": 1}, follow=True)
    assert "That item is not in your cart any more." in messages(response)
    response = client.post("/store/cart/remove/", {"product": product_id}, follow=True)
    assert response.status_code == 200


def test_unpublished_product_cannot_be_added(client):
    draft = ProductFactory(is_published=False)
    response = add(client, draft)
    assert "Sorry, that product is not on sale." in messages(response)
    assert cart_of(client) == {}


def test_product_unpublished_after_adding_leaves_the_cart_with_a_message(client):
    poster = ProductFactory()
    add(client, poster)
    poster.is_published = False
    poster.save()
    response = client.get("/store/cart/")
    assert "An item in your cart is no longer on sale, so we removed it." in messages(response)
    assert cart_of(client) == {}


def test_more_than_the_stock_is_refused(client):
    poster = ProductFactory(title="Last posters", stock=3)
    response = client.post("/store/cart/add/", {"product": poster.pk, "quantity": 4})
    assert response.status_code == 400
    assert "Only 3 of “Last posters” left in stock." in text(response)
    add(client, poster, 2)
    response = client.post("/store/cart/add/", {"product": poster.pk, "quantity": 2})
    assert "Only 3 of “Last posters” left in stock. You already have 2 in your cart." in text(response)
    response = client.post("/store/cart/update/", {"product": poster.pk, "quantity": 4})
    assert response.status_code == 400
    assert "Only 3 of “Last posters” left in stock." in text(response)
    assert cart_of(client) == {str(poster.pk): 2}


def test_sold_out_product_cannot_be_added(client):
    poster = ProductFactory(title="Gone", stock=0)
    response = client.post("/store/cart/add/", {"product": poster.pk, "quantity": 1})
    assert "“Gone” is sold out." in text(response)


def test_unlimited_stock(client):
    download = ProductFactory(stock=None)
    add(client, download, 99)
    assert cart_of(client) == {str(download.pk): 99}


def test_honeypot_rejects_the_submission(client):
    poster = ProductFactory()
    response = client.post("/store/cart/add/", {"product": poster.pk, "quantity": 1, "website": "http://spam"})
    assert response.status_code == 400
    assert "leave the last field empty" in text(response)
    assert cart_of(client) == {}


def test_cart_forms_need_post_and_csrf(client):
    poster = ProductFactory()
    assert client.get("/store/cart/add/").status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/store/cart/add/", {"product": poster.pk, "quantity": 1}).status_code == 403


def test_garbage_in_the_session_cart_is_ignored(client):
    poster = ProductFactory()
    session = client.session
    session[SESSION_KEY] = {str(poster.pk): 2, "x": 1, "5": "many", "6": -1, "7": 10**9}
    session.save()
    response = client.get("/store/cart/")
    assert response.status_code == 200
    assert poster.title in text(response)


def test_cart_page_has_labelled_quantities(client):
    poster = ProductFactory(title="READ Your Way Poster")
    add(client, poster)
    html = client.get("/store/cart/").content.decode()
    assert f'<label class="form-label" for="cart-{poster.pk}-quantity">Quantity' in html
    assert "Leave this empty" in html
