"""What the store tells the apps that sell through it, and how it hears from the payment provider.

Selling apps connect receivers; each signal is sent with `sender=Order` and `order=<Order>`:

    from store.signals import order_paid

    @receiver(order_paid)
    def fulfil(sender, order, **kwargs):
        for term in items_in(order, MembershipTerm):  # store.api.items_in
            term.mark_paid()

- `order_paid`: the order was paid (online or recorded by staff). Sent once per order, inside the
  transaction that marks it paid: a receiver that raises rolls the marking back, so the payment
  provider's repeated callback tries again later.
- `order_payment_failed`: a payment was declined, or an item sold out before payment completed.
- `order_refunded`: staff refunded the order (or the provider reported a refund).
"""

from decimal import Decimal

from django.conf import settings
from django.core import checks
from django.db.models import F
from django.dispatch import Signal
from payments import PaymentStatus

order_paid = Signal()
order_payment_failed = Signal()
order_refunded = Signal()


def payment_status_changed(sender, instance, **kwargs):
    """django-payments reports a payment's new status; move the order along (idempotently)."""
    payment = instance
    order = payment.order
    if payment.status == PaymentStatus.CONFIRMED:
        if Decimal(str(payment.captured_amount or 0)) <= 0:
            # Some providers (the dummy one) confirm without recording the amount captured.
            type(payment).objects.filter(pk=payment.pk).update(captured_amount=F("total"))
            payment.captured_amount = payment.total
        order.mark_paid()
    elif payment.status in (PaymentStatus.REJECTED, PaymentStatus.ERROR):
        order.mark_failed()
    elif payment.status == PaymentStatus.REFUNDED:
        order.mark_refunded()


def check_payment_settings(app_configs, **kwargs):
    """`manage.py check --deploy`: the dummy provider lets anyone mark their own order paid."""
    if settings.PAYMENT_VARIANT == "dummy":
        return [
            checks.Warning(
                "Payments use the dummy provider, which lets buyers mark their own orders paid.",
                hint="Set PAYMENT_VARIANT=stripe and STRIPE_SECRET_KEY (see ala_site/settings.py).",
                id="store.W001",
            )
        ]
    return []
