"""How other apps sell through the store. The store imports none of them; they import this.

    from store.api import PayableLine, start_checkout, items_in
    from store.signals import order_paid, order_payment_failed, order_refunded

1. Make the thing being paid for (a membership term, a registration, a job ad, a donation) in a
   pending state, then send the buyer to the checkout with one line for it:

       line = PayableLine(kind="dues", description="Individual Type I dues, one year",
                          unit_price=Decimal("125.00"), item=term)
       return start_checkout(request, [line], success_url=reverse("membership:account"),
                             buyer={"name": user.get_full_name(), "email": user.email})

   The lines wait in the session (server-side, so the buyer cannot change a price); the buyer
   enters billing details at /store/checkout/, an Order is made with the lines frozen, and they pay.
   `buyer` is the name and email the app already has (typed on its form, or the account's): the
   checkout starts with them, so nobody is asked twice (WCAG 3.3.7).
   After paying they land on `success_url` (a path on this site), or else on the order page. The
   success page is the app's own and says what was bought, so the store adds no "order is paid"
   message over it; it should also say what happened when the payment is still pending or failed
   (a buyer may come back to it later).

2. Listen for the outcome and fulfil what you sold (each signal: sender=Order, order=order):

       @receiver(order_paid)
       def activate(sender, order, **kwargs):
           for term in items_in(order, MembershipTerm):
               term.mark_paid()

   `order_paid` is sent once per order, inside the transaction that marks it paid, to each
   receiver in its own savepoint: the order stays paid whatever a receiver does. A receiver that
   raises has its own changes rolled back and is recorded for staff (FulfilmentFailure, in admin)
   and retried later, by staff or by `manage.py retry_fulfilments`: make receivers idempotent.

Kinds of lines: OrderLine.Kind (dues, event_fee, job_ad, donation, other); "product" lines come
from the store's own cart. Orders of a person: `Order.objects.filter(user=user)`; a link to an
order that works for guests: `order.get_link()`.
"""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import get_random_string
from django.utils.http import url_has_allowed_host_and_scheme

from .models import MAX_QUANTITY, Order, OrderLine
from .signals import order_paid, order_payment_failed, order_refunded

__all__ = [
    "Kind",
    "Order",
    "PayableLine",
    "items_in",
    "order_paid",
    "order_payment_failed",
    "order_refunded",
    "start_checkout",
]

Kind = OrderLine.Kind
SESSION_KEY = "store.direct"
MAX_PENDING = 5  # direct checkouts kept per session; the oldest is dropped


@dataclass(frozen=True)
class PayableLine:
    """One thing to pay for. `item` is the selling app's saved model instance (or None)."""

    kind: str
    description: str
    unit_price: Decimal
    quantity: int = 1
    item: models.Model | None = None

    def validated(self):
        """The line as plain data for the session; a ValueError names what is wrong."""
        if self.kind not in Kind.values or self.kind == Kind.PRODUCT:
            allowed = ", ".join(value for value in Kind.values if value != Kind.PRODUCT)
            raise ValueError(f"PayableLine kind must be one of {allowed} (products go through the cart).")
        description = " ".join(str(self.description).split())
        if not description or len(description) > 300:
            raise ValueError("PayableLine description must be 1 to 300 characters.")
        try:
            unit_price = Decimal(self.unit_price).quantize(Decimal("0.01"))
        except (InvalidOperation, TypeError, ValueError):
            raise ValueError(f"PayableLine unit_price must be a Decimal, not {self.unit_price!r}.") from None
        if not unit_price.is_finite() or unit_price < 0 or unit_price >= Decimal("10000000"):
            raise ValueError(f"PayableLine unit_price {self.unit_price!r} is out of range.")
        if (
            not isinstance(self.quantity, int)
            or isinstance(self.quantity, bool)
            or not 1 <= self.quantity <= MAX_QUANTITY
        ):
            raise ValueError(f"PayableLine quantity must be a whole number from 1 to {MAX_QUANTITY}.")
        data = {"kind": self.kind, "description": description, "unit_price": str(unit_price), "quantity": self.quantity}
        if self.item is not None:
            if not isinstance(self.item, models.Model) or self.item.pk is None:
                raise ValueError("PayableLine item must be a saved model instance.")
            data["content_type"] = ContentType.objects.get_for_model(self.item).pk
            data["object_id"] = self.item.pk
        return data


BUYER_FIELDS = {"name": Order._meta.get_field("name").max_length, "email": Order._meta.get_field("email").max_length}


def _validated_buyer(buyer):
    """The buyer's known details as plain strings for the session; a ValueError names what is wrong."""
    if buyer is None:
        return {}
    if not isinstance(buyer, dict) or set(buyer) - set(BUYER_FIELDS):
        raise ValueError(f"buyer must be a dict with at most the keys {', '.join(BUYER_FIELDS)}.")
    data = {}
    for key, max_length in BUYER_FIELDS.items():
        value = buyer.get(key) or ""
        if not isinstance(value, str) or len(value.strip()) > max_length:
            raise ValueError(f"buyer {key} must be text of at most {max_length} characters.")
        if value.strip():
            data[key] = value.strip()
    return data


def start_checkout(request, lines, *, success_url=None, buyer=None):
    """Put `lines` (PayableLine) in the session and return the redirect to the checkout page.

    `success_url` is a path on this site where the buyer goes after paying. `buyer` is
    {"name": ..., "email": ...} as far as the app knows them (blank values are left out): the
    checkout form starts with them. Raises ValueError for lines that cannot be sold, or a malformed
    buyer (the selling app validates its own input first).
    """
    lines = list(lines)
    if not lines:
        raise ValueError("start_checkout needs at least one line.")
    data = [line.validated() for line in lines]
    buyer_data = _validated_buyer(buyer)
    if sum(Decimal(line["unit_price"]) * line["quantity"] for line in data) <= 0:
        raise ValueError("start_checkout needs something to pay: the total is zero.")
    if success_url and not (
        success_url.startswith("/") and url_has_allowed_host_and_scheme(success_url, allowed_hosts=None)
    ):
        raise ValueError("success_url must be a path on this site, like /membership/account/.")
    pending = request.session.get(SESSION_KEY)
    pending = dict(pending) if isinstance(pending, dict) else {}
    while len(pending) >= MAX_PENDING:
        pending.pop(next(iter(pending)))
    key = get_random_string(12)
    pending[key] = {"lines": data, "success_url": success_url or "", "buyer": buyer_data}
    request.session[SESSION_KEY] = pending
    return redirect(f"{reverse('store:checkout')}?pending={key}")


def pending_checkout(request, key):
    """The direct checkout `key` of this session, or None."""
    pending = request.session.get(SESSION_KEY)
    if not isinstance(pending, dict) or not isinstance(key, str):
        return None
    found = pending.get(key)
    return found if isinstance(found, dict) and found.get("lines") else None


def forget_checkout(request, key):
    pending = request.session.get(SESSION_KEY)
    if isinstance(pending, dict) and key in pending:
        pending = dict(pending)
        del pending[key]
        request.session[SESSION_KEY] = pending


def items_in(order, model):
    """The instances of `model` that the order's lines pay for, in one query."""
    content_type = ContentType.objects.get_for_model(model)
    ids = [line.object_id for line in order.lines.all() if line.content_type_id == content_type.pk]
    return list(model._default_manager.filter(pk__in=ids)) if ids else []
