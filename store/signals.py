"""What the store tells the apps that sell through it, and how it hears from the payment provider.

Selling apps connect receivers; each signal is sent with `sender=Order` and `order=<Order>`:

    from store.signals import order_paid

    @receiver(order_paid)
    def fulfil(sender, order, **kwargs):
        for term in items_in(order, MembershipTerm):  # store.api.items_in
            term.mark_paid()

- `order_paid`: the order was paid (online or recorded by staff). Sent once per order, inside the
  transaction that marks it paid, to each receiver in its own savepoint: the order is paid whatever
  a receiver does. A receiver that raises has its own changes rolled back and is recorded as a
  FulfilmentFailure that staff see in admin and retry ("Retry fulfilment", or
  `manage.py retry_fulfilments`), so receivers must be idempotent.
- `order_payment_failed`: a payment was declined, or an item sold out before payment completed (not sent
  when an item was already paid for in another order: that order keeps it).
- `order_refunded`: staff refunded the order (or the provider reported a refund, or withdrew the
  payment that paid it).
- `describe_refund`: staff are about to refund the order and the confirmation page asks each app
  what that will undo. A receiver returns a list of sentences (or one sentence) about its own
  lines, e.g. "The membership year Jun 1, 2027 – May 31, 2028 of Ana Reader is withdrawn.", and
  changes nothing.
"""

import logging
import time
from decimal import Decimal

from django.conf import settings
from django.core import checks
from django.db import DatabaseError
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone
from payments import PaymentError, PaymentStatus

logger = logging.getLogger(__name__)

order_paid = Signal()
order_payment_failed = Signal()
order_refunded = Signal()
describe_refund = Signal()


# How often a confirmed payment is applied to its order before it is left for staff, and the
# pause between tries: long enough for a busy SQLite writer or a PostgreSQL deadlock to clear.
APPLY_ATTEMPTS = 3
APPLY_PAUSE = 0.2


def payment_status_changed(sender, instance, **kwargs):
    """django-payments reports a payment's new status; move the order along (idempotently)."""
    payment = instance
    settlement = type(payment).objects.filter(pk=payment.pk).values_list("settlement", flat=True).first()
    if payment.status == PaymentStatus.CONFIRMED:
        if Decimal(str(payment.captured_amount or 0)) <= 0:
            # Some providers (the dummy one) confirm without recording the amount captured.
            type(payment).objects.filter(pk=payment.pk).update(captured_amount=F("total"))
            payment.captured_amount = payment.total
        apply_payment(payment)
    elif payment.status == PaymentStatus.PREAUTH:
        apply_payment(payment)
    elif payment.status in (PaymentStatus.REJECTED, PaymentStatus.ERROR, PaymentStatus.CANCELLED):
        if settlement == payment.Settlement.PAID_ORDER:
            # Never unpaid automatically: providers' callbacks arrive out of order, and a failed
            # attempt reported after the success would take a paid order from its buyer. Staff check.
            payment.set_settlement(
                payment.Settlement.CHECK,
                f"Reported {payment.get_status_display().lower()} after it paid the order: check with the "
                "provider; refund the order if the money was not taken.",
            )
            logger.warning("Payment %s paid order %s and is now %s", payment.pk, payment.order, payment.status)
        elif payment.status != PaymentStatus.CANCELLED:
            payment.order.mark_failed()
    elif payment.status == PaymentStatus.REFUNDED and settlement == payment.Settlement.PAID_ORDER:
        # Only the payment that paid the order refunds it; a stray one refunded leaves it alone.
        payment.order.mark_refunded()
    elif payment.status == PaymentStatus.REFUNDED and settlement == payment.Settlement.REFUND_DUE:
        # Refunded at the provider (its dashboard): nothing is due any more.
        payment.set_settlement(payment.Settlement.REFUNDED, payment.settlement_note, refunded_at=timezone.now())


def apply_payment(payment):
    """Mark the order of a confirmed payment paid; never lose the payment if that fails.

    A database error (SQLite busy beyond its timeout, a PostgreSQL deadlock) is retried, each time
    in a fresh transaction (a savepoint when the caller holds one). If it still fails, the payment is
    flagged "not applied" for staff (admin: Payments) and `manage.py retry_fulfilments` applies it;
    the pay page never starts another payment meanwhile. Returns True when the order is paid by it.
    """
    if payment.status == PaymentStatus.PREAUTH:
        # The store sells nothing on approval: an authorised payment is captured at once, and its
        # confirmation comes back through payment_status_changed; released if the order cannot take
        # it any more. One that can be neither is left for staff.
        order = type(payment.order).objects.get(pk=payment.order_id)
        settlement = type(payment).objects.filter(pk=payment.pk).values_list("settlement", flat=True).get()
        try:
            # Authorised again after it paid the order (3-D Secure, callbacks out of order): it is
            # still the order's money, so it is captured (applying it again changes nothing).
            if order.is_payable or settlement == payment.Settlement.PAID_ORDER:
                payment.capture()
            else:
                payment.release()
        except (PaymentError, NotImplementedError, ValueError, OSError) as error:
            logger.exception("Could not capture payment %s", payment.pk)
            payment.set_settlement(payment.Settlement.NOT_APPLIED, f"Authorised but not captured: {error}")
            return False
        return payment.settlement == payment.Settlement.PAID_ORDER
    order = payment.order
    error = None
    for attempt in range(APPLY_ATTEMPTS):
        if attempt:
            time.sleep(APPLY_PAUSE * attempt)
        try:
            order.mark_paid(payment=payment)
        except DatabaseError as problem:
            error = problem
            logger.warning("Applying payment %s to order %s failed (try %d)", payment.pk, order, attempt + 1)
            continue
        except Exception as problem:  # a bug must not lose the payment either
            error = problem
            break
        return payment.settlement == payment.Settlement.PAID_ORDER
    logger.error("Payment %s is confirmed but order %s could not be updated", payment.pk, order, exc_info=error)
    try:
        payment.set_settlement(payment.Settlement.NOT_APPLIED, f"The order could not be updated: {error}")
    except DatabaseError:
        logger.critical("Payment %s of order %s is confirmed but not applied, and not flagged", payment.pk, order)
    return False


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
