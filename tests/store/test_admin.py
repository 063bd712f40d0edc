from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail

from store.models import FulfilmentFailure, Order, Payment, Product
from tests.factories import StaffFactory, UserFactory

from .factories import CategoryFactory, ProductFactory, order_for
from .helpers import text

pytestmark = pytest.mark.django_db


@pytest.fixture
def store_staff(client):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name="Store staff"))
    client.force_login(user)
    return user


def test_store_staff_group_manages_the_catalogue_but_cannot_forge_orders():
    codenames = set(Group.objects.get(name="Store staff").permissions.values_list("codename", flat=True))
    assert {
        "add_product",
        "change_product",
        "delete_product",
        "add_category",
        "view_order",
        "change_order",
    } <= codenames
    assert not codenames & {"add_order", "delete_order", "change_orderline", "delete_payment"}


def test_admin_pages_answer(client, store_staff):
    product = ProductFactory(category=CategoryFactory())
    order = order_for(product)
    payment = Payment.objects.create(order=order, variant="dummy", currency="USD", total=order.total)
    failure = FulfilmentFailure.objects.create(order=order, receiver="app.receivers.fulfil", error="RuntimeError")
    for url in [
        "/admin/store/product/",
        "/admin/store/product/add/",
        f"/admin/store/product/{product.pk}/change/",
        "/admin/store/category/",
        "/admin/store/order/",
        f"/admin/store/order/{order.pk}/change/",
        "/admin/store/order/?status__exact=pending",
        f"/admin/store/order/?q={order.reference}",
        f"/admin/store/order/?q={order.email}",
        "/admin/store/order/?needs_staff=payment",
        "/admin/store/order/?needs_staff=fulfilment",
        "/admin/store/payment/",
        f"/admin/store/payment/{payment.pk}/change/",
        "/admin/store/fulfilmentfailure/",
        f"/admin/store/fulfilmentfailure/{failure.pk}/change/",
    ]:
        assert client.get(url).status_code == 200, url
    listing = client.get(f"/admin/store/order/?q={order.reference}").content.decode()
    assert order.reference in listing


def test_staff_add_a_product_and_it_shows_in_the_store(client, store_staff):
    response = client.post(
        "/admin/store/product/add/",
        {
            "title": "Banned Books Week Poster",
            "slug": "banned-books-week-poster",
            "format": "print",
            "short_description": "Celebrate the freedom to read.",
            "description": "",
            "price": "16.00",
            "member_price": "14.40",
            "currency": "USD",
            "stock": "",
            "image_alt": "",
            "is_published": "on",
            "order": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    product = Product.objects.get(slug="banned-books-week-poster")
    assert product.updated_by == store_staff
    assert product.stock is None
    assert client.get("/store/banned-books-week-poster/").status_code == 200


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"member_price": "20.00"}, "member_price"),
        ({"slug": "cart"}, "slug"),
        ({"price": "-1"}, "price"),
        ({"price": "0"}, "price"),
    ],
)
def test_product_admin_validation(client, store_staff, changes, field):
    data = {
        "title": "Poster",
        "slug": "poster",
        "format": "print",
        "short_description": "A poster.",
        "price": "16.00",
        "currency": "USD",
        "order": "0",
        **changes,
    }
    response = client.post("/admin/store/product/add/", data)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors


def test_feature_and_publish_actions(client, store_staff):
    products = [ProductFactory(is_featured=False, is_published=False) for _ in range(2)]
    ids = [p.pk for p in products]
    client.post("/admin/store/product/", {"action": "publish", "_selected_action": ids})
    client.post("/admin/store/product/", {"action": "feature", "_selected_action": ids})
    assert Product.objects.featured().count() == 2
    assert "Shop ALA" in client.get("/").content.decode()


def bulk(client, action, orders, **confirmation):
    """Run a bulk action on the order list; with `confirmation` (the reason, …) answer its confirmation page too."""
    data = {"action": action, "_selected_action": [order.pk for order in orders]}
    if confirmation:
        data.update(confirm="yes", **confirmation)
    return client.post("/admin/store/order/", data, follow=True)


def test_record_offline_payment_and_refund_actions(client, store_staff, django_capture_on_commit_callbacks):
    poster = ProductFactory(stock=5)
    order = order_for(poster, quantity=2)
    asked = bulk(client, "record_offline_payment", [order])
    assert "Record an offline payment: 1 order" in text(asked)
    assert order.reference in text(asked)
    with django_capture_on_commit_callbacks(execute=True):
        response = bulk(client, "record_offline_payment", [order], method="cheque", reference="1042", reason="Paid")
    assert f"Recorded the payment of {order.reference} ($36.00, Cheque, ref. 1042)." in text(response)
    order.refresh_from_db()
    assert (order.status, order.payment_method, order.handled_by) == ("paid", "offline", store_staff)
    assert len(mail.outbox) == 1
    response = bulk(client, "record_offline_payment", [order])
    assert f"Order {order.reference} is paid already" in text(response)
    response = bulk(client, "refund", [order], reason="Returned")
    assert f"Refunded {order.reference} ($36.00)." in text(response)
    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert len(mail.outbox) == 1


def test_refund_and_restock_puts_the_items_back(client, store_staff):
    poster = ProductFactory(stock=5)
    order = order_for(poster, quantity=2)
    order.mark_paid()
    poster.refresh_from_db()
    assert poster.stock == 3

    response = bulk(client, "refund_and_restock", [order], reason="Returned unopened")

    assert f"Refunded {order.reference} ($36.00) and put its items back in stock." in text(response)
    poster.refresh_from_db()
    assert poster.stock == 5


def test_staff_who_may_only_view_orders_cannot_refund(client):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(viewer)
    order = order_for(ProductFactory())
    order.mark_paid()

    response = bulk(client, "refund", [order], reason="Trying")

    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert response.status_code == 200
    assert "Refund:" not in text(response)  # no confirmation page: the action is not theirs


def test_orders_cannot_be_added_or_deleted_in_admin(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    order = order_for(ProductFactory(price=Decimal("5.00")))
    assert client.get("/admin/store/order/add/").status_code == 403
    assert client.get(f"/admin/store/order/{order.pk}/delete/").status_code == 403


def test_refund_and_restock_puts_back_only_what_was_taken(client, store_staff):
    counted = ProductFactory(title="Counted poster", stock=5)
    unlimited = ProductFactory(title="Print on demand", stock=None)
    order = order_for(counted, quantity=2)
    order.lines.create(kind="product", product=unlimited, description=unlimited.title, unit_price=1, quantity=3)
    order.mark_paid()
    # Staff start counting the print-on-demand product after the sale.
    Product.objects.filter(pk=unlimited.pk).update(stock=10)

    bulk(client, "refund_and_restock", [order], reason="Returned")

    assert Product.objects.get(pk=counted.pk).stock == 5
    assert Product.objects.get(pk=unlimited.pk).stock == 10  # it gave nothing, so it gets nothing back


def test_each_line_records_what_it_took_from_stock_and_a_restock_gives_it_back_once(store_staff):
    counted = ProductFactory(stock=5)
    unlimited = ProductFactory(stock=None)
    order = order_for(counted, quantity=2)
    order.lines.create(kind="product", product=unlimited, description=unlimited.title, unit_price=1, quantity=3)
    order.mark_paid()
    assert dict(order.lines.values_list("product", "stock_taken")) == {counted.pk: 2, unlimited.pk: 0}

    order.restock()
    order.restock()

    assert Product.objects.get(pk=counted.pk).stock == 5
    assert set(order.lines.values_list("stock_taken", flat=True)) == {0}


def test_the_product_form_shows_its_image_once_under_one_label(admin_client):
    import re

    from tests.ala_site.test_images import png

    product = ProductFactory(image=png(1200, 600), image_alt="A poster")

    page = admin_client.get(f"/admin/store/product/{product.pk}/change/").content.decode()

    assert len(re.findall(r"<label[^>]*>Image:</label>", page)) == 1
    assert page.count(product.image_rendition.url) == 1
