from decimal import Decimal

import factory
from django.utils.text import slugify

from store.models import Category, Order, OrderLine, Product


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.name))


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    title = factory.Sequence(lambda n: f"Poster {n:03d}")
    slug = factory.LazyAttribute(lambda obj: slugify(obj.title))
    short_description = "A poster that celebrates reading."
    description = "Printed on heavy paper."
    price = Decimal("18.00")
    stock = 10
    is_published = True


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    name = "Ana Reader"
    email = factory.Sequence(lambda n: f"buyer{n}@example.org")
    address_line1 = "1 Library Lane"
    city = "Chicago"
    region = "IL"
    postal_code = "60601"
    total = Decimal("0.00")


class ProductLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    kind = OrderLine.Kind.PRODUCT
    product = factory.SubFactory(ProductFactory)
    description = factory.LazyAttribute(lambda obj: obj.product.title)
    unit_price = factory.LazyAttribute(lambda obj: obj.product.price)
    quantity = 1


def order_for(product, quantity=1, **kwargs):
    """A pending order for `quantity` of `product`, with its total."""
    order = OrderFactory(total=product.price * quantity, **kwargs)
    ProductLineFactory(order=order, product=product, quantity=quantity)
    return order
