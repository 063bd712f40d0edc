"""The shopping cart, kept in the session as product ids and quantities only.

Prices, titles and stock are always read from the database, so nothing the browser
sends can change what a buyer pays.
"""

from dataclasses import dataclass
from decimal import Decimal

from .models import MAX_QUANTITY, Product

SESSION_KEY = "store.cart"
MAX_LINES = 100


class CartError(Exception):
    """A change the cart refuses; the message is written for the buyer."""


@dataclass
class CartLine:
    product: Product
    quantity: int
    unit_price: Decimal

    @property
    def total(self):
        return self.unit_price * self.quantity

    @property
    def stock_problem(self):
        return self.product.stock_problem(self.quantity)


class Cart:
    def __init__(self, request):
        self.session = request.session
        self.user = request.user
        self.items = self._read(self.session.get(SESSION_KEY))
        self._lines = None
        self.dropped = 0  # items that left the cart because they are no longer on sale

    @staticmethod
    def _read(raw):
        """Keep only well-formed entries: {"<product id>": <quantity 1..MAX>}."""
        items = {}
        if isinstance(raw, dict):
            for key, quantity in raw.items():
                if str(key).isdigit() and isinstance(quantity, int) and 1 <= quantity <= MAX_QUANTITY:
                    items[str(key)] = quantity
        return items

    def _save(self):
        self.session[SESSION_KEY] = self.items
        self.session.modified = True
        self._lines = None

    def __len__(self):
        return len(self.items)

    def quantity_of(self, product):
        return self.items.get(str(product.pk), 0)

    def add(self, product, quantity):
        self.set(product, self.quantity_of(product) + quantity, adding=True)

    def set(self, product, quantity, adding=False):
        if quantity > MAX_QUANTITY:
            already = self.quantity_of(product)
            extra = f" You already have {already} in your cart." if adding and already else ""
            raise CartError(f"You can buy at most {MAX_QUANTITY} of one item per order.{extra}")
        problem = product.stock_problem(quantity)
        if problem:
            already = self.quantity_of(product)
            extra = f" You already have {already} in your cart." if adding and already else ""
            raise CartError(problem + extra)
        if str(product.pk) not in self.items and len(self.items) >= MAX_LINES:
            raise CartError(f"Your cart holds at most {MAX_LINES} different items. Check out first, then shop on.")
        self.items[str(product.pk)] = quantity
        self._save()

    def remove(self, product_id):
        removed = self.items.pop(str(product_id), None) is not None
        if removed:
            self._save()
        return removed

    def clear(self):
        self.items = {}
        self._save()

    def lines(self):
        """The cart's lines with current prices, in one query. Items no longer on sale leave the cart."""
        if self._lines is None:
            products = (
                Product.objects.published().filter(pk__in=[int(key) for key in self.items]).order_by("title", "pk")
            )
            lines = [
                CartLine(product, self.items[str(product.pk)], product.price_for(self.user)) for product in products
            ]
            if len(lines) != len(self.items):
                self.dropped = len(self.items) - len(lines)
                self.items = {str(line.product.pk): line.quantity for line in lines}
                self._save()
            self._lines = lines
        return self._lines

    @property
    def total(self):
        return sum((line.total for line in self.lines()), Decimal("0.00"))

    @property
    def count(self):
        return sum(self.items.values())
