"""The commerce kernel: the catalogue, orders whose lines are anything payable, and payments.

An order line is a product of the catalogue or an item another app sells through the store
(dues, an event fee, a job ad, a donation): see api.py. Prices are copied onto the lines when
the order is made, so later price changes never alter an order. When an order's state changes
the store sends a signal (signals.py) that the selling app listens to.
"""

from .catalogue import (
    CURRENCY,
    CURRENCY_CHOICES,
    MAX_QUANTITY,
    MONEY,
    RESERVED_SLUGS,
    Category,
    Product,
    ProductQuerySet,
    money,
)
from .fulfilment import FulfilmentFailure
from .history import OrderEvent
from .orders import REFERENCE_ALPHABET, Order, OrderLine, Payment, new_reference

__all__ = [
    "CURRENCY",
    "CURRENCY_CHOICES",
    "MAX_QUANTITY",
    "MONEY",
    "REFERENCE_ALPHABET",
    "RESERVED_SLUGS",
    "Category",
    "FulfilmentFailure",
    "Order",
    "OrderEvent",
    "OrderLine",
    "Payment",
    "Product",
    "ProductQuerySet",
    "money",
    "new_reference",
]
