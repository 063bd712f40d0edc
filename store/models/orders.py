"""Orders whose lines are anything payable, and their payments (django-payments)."""

import logging
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from payments import PaymentError, PaymentStatus, PurchasedItem
from payments.core import get_base_url
from payments.models import BasePayment

from ala_site import page_cache
from ala_site.emails import send_templated_email
from ala_site.models import SiteSettings

from .. import signals
from .catalogue import CURRENCY, CURRENCY_CHOICES, MONEY, Product
from .fulfilment import fulfil
from .history import OrderEvent

logger = logging.getLogger(__name__)

REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # no 0/O, 1/I/L or U: easy to read out on the phone


def new_reference():
    return "ALA-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class Order(models.Model):
    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"
        REFUNDED = "refunded", "Refunded"
        CANCELLED = "cancelled", "Cancelled"

    class Failure(models.TextChoices):
        NONE = "", "—"
        PAYMENT = "payment", "Payment not accepted"
        STOCK = "stock", "Sold out before payment"
        PAID_ELSEWHERE = "duplicate", "Already paid for in another order"

    class Method(models.TextChoices):
        NONE = "", "—"
        ONLINE = "online", "Online"
        OFFLINE = "offline", "Recorded by staff (cheque, invoice, phone)"

    class OfflineMethod(models.TextChoices):
        NONE = "", "—"
        CHEQUE = "cheque", "Cheque"
        TRANSFER = "transfer", "Invoice / bank transfer"
        PHONE = "phone", "Card by phone, taken by staff"
        CASH = "cash", "Cash"

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    name = models.CharField(max_length=150)
    email = models.EmailField()
    address_line1 = models.CharField("address", max_length=200)
    address_line2 = models.CharField("address line 2", max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField("state or region", max_length=100, blank=True)
    postal_code = models.CharField("ZIP or postal code", max_length=20)
    country = models.CharField(max_length=100, default="United States")
    currency = models.CharField(max_length=3, choices=CURRENCY_CHOICES, default=CURRENCY)
    total = models.DecimalField(**MONEY, default=Decimal("0.00"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    failure = models.CharField(max_length=10, choices=Failure.choices, blank=True, default=Failure.NONE)
    status_message = models.CharField(max_length=500, blank=True, help_text="Shown to the buyer on the order page.")
    payment_method = models.CharField(max_length=10, choices=Method.choices, blank=True, default=Method.NONE)
    offline_method = models.CharField(
        "paid by", max_length=10, choices=OfflineMethod.choices, blank=True, default=OfflineMethod.NONE, editable=False
    )
    payment_reference = models.CharField(
        max_length=100,
        blank=True,
        editable=False,
        help_text="Of a payment recorded by staff: the cheque number, invoice or transfer reference.",
    )
    success_url = models.CharField(
        max_length=500, blank=True, editable=False, help_text="Where the buyer goes after paying (apps' checkouts)."
    )
    staff_note = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    receipt_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.reference

    def save(self, *args, **kwargs):
        if not self._state.adding:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            super().save(*args, **kwargs)
            self.record(OrderEvent.Kind.CREATED, by=self.user, amount=self.total, at=self.created_at)

    def record(self, kind, *, by=None, reason="", amount=None, detail="", **fields):
        """Add an event to the order's history (call it inside the transaction that makes the change)."""
        return OrderEvent.objects.create(
            order=self, kind=kind, by=by, reason=reason.strip(), amount=amount, detail=detail[:1000], **fields
        )

    @property
    def payment_method_detail(self):
        """How the order was paid, as staff and the membership pages show it: "Cheque, ref. 1042"."""
        if self.payment_method != self.Method.OFFLINE or not self.offline_method:
            return self.get_payment_method_display() if self.payment_method else ""
        reference = f", ref. {self.payment_reference}" if self.payment_reference else ""
        return f"{self.get_offline_method_display()}{reference}"

    # Links -------------------------------------------------------------------------------

    def get_absolute_url(self):
        """The order page for its signed-in owner (guests need get_link())."""
        return reverse("store:order", args=[self.reference])

    @property
    def access_token(self):
        return signing.Signer(salt="store.order").signature(self.reference)

    def token_is_valid(self, token):
        return bool(token) and constant_time_compare(str(token), self.access_token)

    def get_link(self):
        """The order page with the signed token that lets a guest in (used in emails)."""
        return f"{self.get_absolute_url()}?token={self.access_token}"

    def get_pay_link(self):
        return f"{reverse('store:order_pay', args=[self.reference])}?token={self.access_token}"

    def can_be_seen_by(self, request):
        user = request.user
        if user.is_authenticated and self.user_id == user.pk:
            return True
        return self.token_is_valid(request.GET.get("token"))

    # State -------------------------------------------------------------------------------

    @property
    def is_payable(self):
        """The buyer may pay (again): waiting, or the last payment was not accepted."""
        return self.status == self.Status.PENDING or (
            self.status == self.Status.FAILED and self.failure == self.Failure.PAYMENT
        )

    @property
    def is_refundable(self):
        """Money was taken: a paid order, or one whose items sold out while it was being paid."""
        return self.status == self.Status.PAID or (
            self.status == self.Status.FAILED and self.failure == self.Failure.STOCK
        )

    def received_payment(self):
        """A payment taken for this payable order that has not paid it yet (its marking failed), or None.

        While there is one the buyer is never asked to pay again.
        """
        if not self.is_payable:
            return None
        return (
            self.payments.filter(
                status__in=[PaymentStatus.CONFIRMED, PaymentStatus.PREAUTH],
                settlement__in=[Payment.Settlement.NONE, Payment.Settlement.NOT_APPLIED],
            )
            .order_by("created")
            .first()
        )

    @property
    def awaits_payment(self):
        """The buyer may start a payment now: the order is payable and no payment is already in hand."""
        return self.is_payable and self.received_payment() is None

    def payment_notes(self):
        """What the order page tells the buyer about payments beyond the order's own status."""
        notes = []
        for payment in self.payments.filter(
            settlement__in=[Payment.Settlement.REFUND_DUE, Payment.Settlement.REFUNDED]
        ):
            amount = f"${payment.total}"
            if payment.settlement == Payment.Settlement.REFUND_DUE:
                notes.append(
                    f"We received a payment of {amount} that this order cannot take; it will be refunded to you."
                )
            else:
                when = format_date(timezone.localtime(payment.refunded_at), "F j, Y") if payment.refunded_at else ""
                notes.append(f"A payment of {amount} was refunded to you{' on ' + when if when else ''}.")
        if self.is_payable:
            if self.received_payment() is not None:
                notes.append("We received your payment and are completing your order; you will not be charged again.")
            elif self.status == self.Status.PENDING:
                last = self.payments.order_by("-created", "-pk").first()
                if last is not None and last.status in (
                    PaymentStatus.WAITING,
                    PaymentStatus.INPUT,
                    PaymentStatus.CANCELLED,
                    PaymentStatus.REFUNDED,
                ):
                    notes.append("Your last payment was not completed; nothing was charged.")
        return notes

    def _locked(self):
        return type(self).objects.select_for_update().get(pk=self.pk)

    def mark_paid(
        self, *, by=None, method=Method.ONLINE, note="", payment=None, reason="", offline_method="", reference=""
    ):
        """Record the payment: lower stock, fulfil (`order_paid`), send the receipt. Returns True when paid now.

        Safe to call any number of times (payment providers repeat their callbacks): only the first
        call on a payable order does anything. Stock is checked and lowered under row locks in one
        transaction; if an item sold out meanwhile the order fails instead and nothing is oversold.

        What another app sells (a job ad, a registration, a membership term) is paid for once: its
        rows are locked in the same transaction, and if another order already paid for one of them
        (the buyer opened the checkout twice) this order fails (Failure.PAID_ELSEWHERE) and nothing
        is fulfilled. `order_payment_failed` is not sent then: the item itself is paid, by the other
        order, and an app that undoes its item on that signal would undo the other order's purchase.

        `payment` is the confirmed online payment being applied. If the order cannot take it
        (cancelled, refunded, sold out, already paid for elsewhere, or paid by another payment) the
        payment is flagged "refund due" for staff: money taken is never kept silently.

        A payment recorded by staff (method OFFLINE) on an order whose items sold out or were paid
        for in another order changes nothing: staff are told (payment_problems()), and the money
        they hold is not the site's to turn into a failure.
        """
        with transaction.atomic():
            order = self._locked()
            if payment is not None:
                settlement = (
                    Payment.objects.select_for_update().filter(pk=payment.pk).values_list("settlement", flat=True)
                )
                if settlement.get() in (Payment.Settlement.PAID_ORDER, *Payment.Settlement.closed()):
                    self.refresh_from_db()
                    return False  # a repeated callback
            if not order.is_payable:
                if payment is not None:
                    order._flag_refund_due(
                        payment, f"Confirmed while the order was {order.get_status_display().lower()}."
                    )
                self.refresh_from_db()
                return False
            needed = order.product_quantities()
            # Lock in primary-key order, so two buyers of the same items never deadlock.
            products = list(Product.objects.select_for_update().filter(pk__in=needed).order_by("pk"))
            problems = [p.stock_problem(needed[p.pk]) for p in products]
            problems = [problem for problem in problems if problem]
            # After the products, in the same order every time: two payments for one item wait for
            # each other here, and the second sees the first's order paid.
            order._lock_items()
            paid_elsewhere = order.paid_elsewhere()
            if (problems or paid_elsewhere) and method == self.Method.OFFLINE:
                self.refresh_from_db()
                return False
            if paid_elsewhere:
                already = "; ".join(
                    f"“{line.description}” was already paid for in order {other.reference}"
                    for line, other in paid_elsewhere
                )
                refund = "this payment will be refunded" if payment else "any payment taken will be refunded"
                order.status = self.Status.FAILED
                order.failure = self.Failure.PAID_ELSEWHERE
                ending = f"; {refund}."  # kept whole however long the descriptions are
                order.status_message = already[: 500 - len(ending)] + ending
                order.save(update_fields=["status", "failure", "status_message", "updated_at"])
                order.record(
                    OrderEvent.Kind.FAILED,
                    amount=payment.total if payment is not None else None,
                    detail=f"{already}.",
                )
                if payment is not None:
                    others = list(dict.fromkeys(other.reference for _, other in paid_elsewhere))
                    order._flag_refund_due(
                        payment,
                        f"What it pays for was already paid for in order{'s' if len(others) > 1 else ''} "
                        f"{', '.join(others)}.",
                    )
                paid = False
            elif problems:
                order.status = self.Status.FAILED
                order.failure = self.Failure.STOCK
                order.status_message = (
                    " ".join(problems) + " We could not complete this order; any payment taken will be refunded."
                )[:500]
                order.save(update_fields=["status", "failure", "status_message", "updated_at"])
                order.record(
                    OrderEvent.Kind.FAILED,
                    amount=payment.total if payment is not None else None,
                    detail=" ".join(problems),
                )
                if payment is not None:
                    order._flag_refund_due(payment, "An item sold out before the payment was confirmed.")
                signals.order_payment_failed.send(sender=type(self), order=order)
                paid = False
            else:
                counted = [product.pk for product in products if product.stock is not None]
                for product in products:
                    if product.stock is not None:
                        Product.objects.filter(pk=product.pk).update(stock=F("stock") - needed[product.pk])
                if counted:
                    # update() sends no signal, and the catalogue and product pages show the stock.
                    page_cache.bump()
                    transaction.on_commit(page_cache.bump)
                # What was taken, line by line, is what a refund with restock may put back.
                order.lines.filter(product__in=counted).update(stock_taken=F("quantity"))
                order.status = self.Status.PAID
                order.failure = self.Failure.NONE
                order.status_message = ""
                order.payment_method = method
                order.paid_at = timezone.now()
                if method == self.Method.OFFLINE:
                    order.offline_method = offline_method
                    order.payment_reference = reference.strip()[:100]
                if by is not None:
                    order.handled_by = by
                if note:
                    order.staff_note = "\n".join(filter(None, [order.staff_note, note]))
                order.save()
                if method == self.Method.OFFLINE:
                    order.record(
                        OrderEvent.Kind.OFFLINE_PAYMENT,
                        by=by,
                        reason=reason or note,
                        amount=order.total,
                        detail=order.payment_method_detail,
                        at=order.paid_at,
                    )
                else:
                    order.record(
                        OrderEvent.Kind.PAID,
                        by=by,
                        reason=reason,
                        amount=payment.total if payment is not None else order.total,
                        detail=f"Payment #{payment.pk} ({payment.variant})" if payment is not None else "",
                        at=order.paid_at,
                    )
                if payment is not None:
                    payment.set_settlement(Payment.Settlement.PAID_ORDER)
                # The order is paid whatever a receiver does: each runs in its own savepoint and
                # one that raises is recorded for staff and retried (FulfilmentFailure).
                fulfil(order)
                transaction.on_commit(order.send_receipt)
                paid = True
            # A payment still open at the provider could charge the buyer a second time.
            transaction.on_commit(order.cancel_open_payments, robust=True)
        self.refresh_from_db()
        return paid

    def _flag_refund_due(self, payment, reason):
        """`payment` took money this order cannot take: staff refund it (admin: Payments, refund due)."""
        payment.set_settlement(Payment.Settlement.REFUND_DUE, reason)
        detail = f"Payment #{payment.pk} ({payment.variant}): {reason}"
        self.record(OrderEvent.Kind.REFUND_DUE, amount=payment.total, detail=detail)
        logger.warning("Payment %s of order %s is due a refund: %s", payment.pk, self.reference, reason)

    def cancel_open_payments(self):
        """Cancel the payments still open at the provider, so the buyer cannot pay them any more.

        A provider that cannot cancel leaves the payment open; if it is paid after all, mark_paid
        flags it "refund due".
        """
        for payment in self.payments.filter(status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT]):
            if payment.variant not in settings.PAYMENT_VARIANTS:
                continue
            try:
                payment.cancel()
            except (PaymentError, NotImplementedError, ValueError, OSError):
                logger.warning("Could not cancel payment %s of order %s", payment.pk, self.reference, exc_info=True)

    def product_quantities(self):
        """{product id: quantity} over the order's product lines."""
        needed = {}
        for product_id, quantity in self.lines.filter(product__isnull=False).values_list("product_id", "quantity"):
            needed[product_id] = needed.get(product_id, 0) + quantity
        return needed

    def _item_lines(self):
        """The lines for what other apps sold (their items), not the store's own products."""
        return self.lines.exclude(kind=OrderLine.Kind.PRODUCT).filter(
            content_type__isnull=False, object_id__isnull=False
        )

    def _lock_items(self):
        """Lock the rows of the order's items, by content type then primary key (inside mark_paid's transaction).

        On PostgreSQL a second payment for the same item waits here until the first commits; SQLite's
        IMMEDIATE transactions already hold the write lock from BEGIN.
        """
        wanted = {}
        for content_type_id, object_id in self._item_lines().values_list("content_type_id", "object_id"):
            wanted.setdefault(content_type_id, set()).add(object_id)
        for content_type_id in sorted(wanted):
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is None:  # its app was removed: nothing left to lock
                continue
            rows = model._base_manager.select_for_update().filter(pk__in=wanted[content_type_id]).order_by("pk")
            list(rows.values_list("pk", flat=True))

    def paid_elsewhere(self):
        """[(line, other order)] for each item line that another, paid order already paid for.

        Only a PAID order counts: a refunded one gave the money back (the item may be bought again),
        and a failed one never delivered it.
        """
        lines = list(self._item_lines())
        if not lines:
            return []
        same_item = Q()
        for line in lines:
            same_item |= Q(content_type_id=line.content_type_id, object_id=line.object_id)
        first_paid = {}
        for other in (
            OrderLine.objects.filter(same_item, order__status=self.Status.PAID)
            .exclude(order_id=self.pk)
            .select_related("order")
            .order_by("order__paid_at", "order_id")
        ):
            first_paid.setdefault((other.content_type_id, other.object_id), other.order)
        return [
            (line, first_paid[(line.content_type_id, line.object_id)])
            for line in lines
            if (line.content_type_id, line.object_id) in first_paid
        ]

    def payment_problems(self):
        """Why this order cannot be paid now, checked without locks: sold out, or paid for in another order.

        mark_paid() checks both again under locks; this is for the pay page and staff.
        """
        already = [
            f"“{line.description}” was already paid for in order {other.reference}."
            for line, other in self.paid_elsewhere()
        ]
        return already + self.stock_problems()

    def stock_problems(self):
        """What is no longer in stock, checked without locks: a courtesy before taking payment.

        mark_paid() checks again under locks, so a race is still never oversold.
        """
        needed = self.product_quantities()
        products = Product.objects.filter(pk__in=needed).order_by("pk")
        return [problem for product in products if (problem := product.stock_problem(needed[product.pk]))]

    def cancel_if_sold_out(self):
        """Cancel a payable order whose items sold out or were paid for in another order, before the buyer
        is charged. Returns the problems."""
        problems = self.payment_problems()
        if problems:
            with transaction.atomic():
                order = self._locked()
                if order.is_payable:
                    order.status = self.Status.CANCELLED
                    order.status_message = (" ".join(problems) + " The order is cancelled; nothing was charged.")[:500]
                    order.save(update_fields=["status", "status_message", "updated_at"])
                    order.record(OrderEvent.Kind.CANCELLED, detail=" ".join(problems))
            self.refresh_from_db()
            if self.status == self.Status.CANCELLED:
                self.cancel_open_payments()
        return problems

    def record_offline_payment(self, *, by, method="", reference="", reason="", note=""):
        """Staff recorded a payment made outside the site (cheque, invoice, phone, cash). Returns True when paid now.

        `method` is an OfflineMethod and `reference` the cheque number or transfer reference.
        False when the order is not payable (paid, refunded, cancelled), an item sold out or what it
        pays for was paid for in another order (payment_problems() says which); then nothing changes.
        The order's leftover online payments are cancelled, as for any payment.
        """
        return self.mark_paid(
            by=by, method=self.Method.OFFLINE, note=note, reason=reason, offline_method=method, reference=reference
        )

    def mark_failed(self, message="Your payment was not accepted. You can try again."):
        """The payment was declined. Only a waiting order fails; a paid one is never downgraded."""
        with transaction.atomic():
            order = self._locked()
            if order.status != self.Status.PENDING:
                self.refresh_from_db()
                return False
            order.status = self.Status.FAILED
            order.failure = self.Failure.PAYMENT
            order.status_message = message[:500]
            order.save(update_fields=["status", "failure", "status_message", "updated_at"])
            order.record(OrderEvent.Kind.FAILED, detail=message)
            signals.order_payment_failed.send(sender=type(self), order=order)
        self.refresh_from_db()
        return True

    def mark_refunded(self, *, by=None, restock=False, reason=""):
        """Refund the order: online payments go back through their provider; `order_refunded` is sent.

        Returns False when there is nothing to refund (never paid, or already refunded).
        With `restock`, what the order took from stock goes back (goods returned unused).
        Raises PaymentError when a provider refuses; the transaction then undoes everything.
        """
        with transaction.atomic():
            order = self._locked()
            if not order.is_refundable:
                self.refresh_from_db()
                return False
            order.status = self.Status.REFUNDED
            order.refunded_at = timezone.now()
            if by is not None:
                order.handled_by = by
            order.save()
            detail = []
            if restock:
                put_back = order.restock()
                if put_back:
                    detail.append("Back in stock: " + ", ".join(put_back) + ".")
            refunded = Decimal("0.00")
            for payment in order.payments.filter(status=PaymentStatus.CONFIRMED):
                if payment.variant in settings.PAYMENT_VARIANTS:
                    amount = payment.captured_amount or payment.total  # the refund lowers captured_amount
                    payment.refund_through_provider(by=by)
                    refunded += amount
                    detail.append(f"${amount} refunded through {payment.variant} (payment #{payment.pk}).")
            if order.payment_method == self.Method.OFFLINE:
                refunded += order.total
                detail.append(f"Paid offline ({order.payment_method_detail}): returned to the buyer by staff.")
            order.record(
                OrderEvent.Kind.REFUNDED,
                by=by,
                reason=reason,
                amount=refunded or order.total,
                detail=" ".join(detail),
                at=order.refunded_at,
            )
            signals.order_refunded.send(sender=type(self), order=order)
        self.refresh_from_db()
        return True

    def refund_effects(self, *, restock):
        """What refunding the order would do, in sentences for the confirmation page; changes nothing."""
        effects = []
        for payment in self.payments.filter(status=PaymentStatus.CONFIRMED).order_by("created", "pk"):
            amount = payment.captured_amount or payment.total
            if payment.variant in settings.PAYMENT_VARIANTS:
                effects.append(f"${amount} goes back to the buyer through {payment.variant} (payment #{payment.pk}).")
            else:
                effects.append(
                    f"Payment #{payment.pk} of ${amount} went through {payment.variant}, which this site no longer "
                    "uses: refund it at the provider yourself."
                )
        if self.payment_method == self.Method.OFFLINE:
            effects.append(
                f"The ${self.total} paid offline ({self.payment_method_detail}) is not sent back by the site: "
                "return it to the buyer yourself."
            )
        for line in self.lines.filter(product__isnull=False).select_related("product"):
            if line.stock_taken and restock:
                effects.append(
                    f"{line.stock_taken} × “{line.description}” go back in stock "
                    f"({line.product.stock} now, {line.product.stock + line.stock_taken} after)."
                    if line.product.stock is not None
                    else f"{line.stock_taken} × “{line.description}” were taken from stock, which is no longer "
                    "counted: nothing goes back."
                )
            elif line.stock_taken:
                effects.append(f"{line.stock_taken} × “{line.description}” stay out of stock.")
            elif restock:
                effects.append(f"“{line.description}” took nothing from stock: nothing goes back.")
        for receiver, answer in signals.describe_refund.send_robust(sender=type(self), order=self):
            if isinstance(answer, Exception):
                logger.error(
                    "describe_refund receiver %r failed for order %s", receiver, self.reference, exc_info=answer
                )
                effects.append(
                    "One of the site's apps could not say what this refund undoes in it; "
                    "it is still told of the refund."
                )
            elif isinstance(answer, str):
                effects.append(answer)
            elif answer:
                effects.extend(str(sentence) for sentence in answer)
        return effects

    def offline_payment_effects(self):
        """What recording an offline payment would do, for the confirmation page; changes nothing."""
        effects = [f"The order becomes paid (${self.total})."]
        needed = self.product_quantities()
        for product in Product.objects.filter(pk__in=needed, stock__isnull=False).order_by("pk"):
            effects.append(f"{needed[product.pk]} × “{product.title}” are taken from stock ({product.stock} now).")
        if self.lines.filter(product__isnull=True).exists():
            effects.append(
                "What the order pays for (membership, registration, …) is delivered as for an online payment."
            )
        if not self.receipt_sent_at:
            effects.append(f"A receipt is emailed to {self.email}.")
        open_attempts = self.payments.filter(status__in=[PaymentStatus.WAITING, PaymentStatus.INPUT]).count()
        if open_attempts:
            effects.append(
                f"{open_attempts} unfinished online payment{'s' if open_attempts > 1 else ''} "
                f"{'are' if open_attempts > 1 else 'is'} cancelled, so the buyer cannot pay twice."
            )
        return effects

    def restock(self):
        """Put back what this order took from stock, and only that (a product counted later gains nothing).

        Returns what went back, as "2 × “Poster”" per line.
        """
        lines = self.lines.filter(stock_taken__gt=0)
        put_back = []
        for line in lines:
            if Product.objects.filter(pk=line.product_id, stock__isnull=False).update(
                stock=F("stock") + line.stock_taken
            ):
                put_back.append(f"{line.stock_taken} × “{line.description}”")
        lines.update(stock_taken=0)
        if put_back:
            # update() sends no signal, and the catalogue and product pages show the stock.
            page_cache.bump()
            transaction.on_commit(page_cache.bump)
        return put_back

    # Receipt -----------------------------------------------------------------------------

    def send_receipt(self):
        """Email the receipt, once per order (a second call sends nothing). Returns True when sent."""
        claimed = (
            type(self).objects.filter(pk=self.pk, receipt_sent_at__isnull=True).update(receipt_sent_at=timezone.now())
        )
        if not claimed:
            return False
        context = {"order": self, "lines": list(self.lines.all()), "site_settings": SiteSettings.current()}
        try:
            send_templated_email("store/email/receipt", context, self.email)
        except Exception:
            # The order stays paid; clear the mark so staff (or a retry) can send it again.
            type(self).objects.filter(pk=self.pk).update(receipt_sent_at=None)
            logger.exception("Could not send the receipt for order %s", self.reference)
            return False
        return True


class OrderLine(models.Model):
    """One thing paid for. Description and unit price are frozen when the order is made."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Kind(models.TextChoices):
        PRODUCT = "product", "Store product"
        DUES = "dues", "Membership dues"
        EVENT_FEE = "event_fee", "Event or eLearning fee"
        JOB_AD = "job_ad", "Job ad"
        DONATION = "donation", "Donation"
        OTHER = "other", "Other"

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PRODUCT)
    product = models.ForeignKey(Product, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # What another app sold (a membership term, a registration, a job ad, a donation).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("content_type", "object_id")
    description = models.CharField(max_length=300)
    sku = models.CharField("SKU", max_length=200, blank=True)
    unit_price = models.DecimalField(**MONEY, validators=[MinValueValidator(Decimal("0"))])
    quantity = models.PositiveIntegerField(default=1)
    stock_taken = models.PositiveIntegerField(
        default=0, editable=False, help_text="Taken from stock when the order was paid; a restock puts back only this."
    )

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="store_orderline_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="store_orderline_price_not_negative"),
            models.CheckConstraint(
                condition=(Q(kind="product") & Q(product__isnull=False))
                | (~Q(kind="product") & Q(product__isnull=True)),
                name="store_orderline_product_iff_kind_product",
            ),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.description}"

    @property
    def total(self):
        return self.unit_price * self.quantity


class Payment(BasePayment):
    """A payment attempt through django-payments; an order may have several (retries)."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Settlement(models.TextChoices):
        NONE = "", "—"
        PAID_ORDER = "paid_order", "Paid its order"
        NOT_APPLIED = "not_applied", "Confirmed, order not updated: retry"
        REFUND_DUE = "refund_due", "Refund due: its order cannot take it"
        CHECK = "check", "Reported failed after paying its order: check"
        REFUNDED = "refunded", "Refunded"

        @classmethod
        def closed(cls):
            """Settled: applying the payment again must do nothing."""
            return (cls.REFUND_DUE, cls.CHECK, cls.REFUNDED)

        @classmethod
        def for_staff(cls):
            """A person has to act: apply it again, or refund it."""
            return (cls.NOT_APPLIED, cls.REFUND_DUE, cls.CHECK)

    # What became of the money, written only by the store (see save()): django-payments and the
    # providers save a payment whole, from copies that may be older than the store's own update.
    SETTLEMENT_FIELDS = ("settlement", "settlement_note", "refunded_by", "refunded_at")

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="payments")
    settlement = models.CharField(
        max_length=12, choices=Settlement.choices, blank=True, default=Settlement.NONE, db_index=True, editable=False
    )
    settlement_note = models.CharField("why", max_length=500, blank=True, editable=False)
    refunded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
    )
    refunded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created"]

    def save(self, *args, **kwargs):
        if not self._state.adding and self.pk and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in self.SETTLEMENT_FIELDS
            ]
        super().save(*args, **kwargs)

    def set_settlement(self, settlement, note="", **fields):
        type(self).objects.filter(pk=self.pk).update(settlement=settlement, settlement_note=note[:500], **fields)
        self.settlement, self.settlement_note = settlement, note[:500]
        for name, value in fields.items():
            setattr(self, name, value)

    @property
    def needs_staff(self):
        return self.settlement in self.Settlement.for_staff()

    def refund_through_provider(self, *, by=None):
        """Give the money back through the provider and record who did it. Raises PaymentError if refused."""
        self.set_settlement(self.Settlement.REFUNDED, self.settlement_note, refunded_by=by, refunded_at=timezone.now())
        self.refund(amount=self.captured_amount or self.total)

    def refund_alone(self, *, by, reason=""):
        """Staff refund this one payment (flagged "refund due"); its order is left as it is.

        Returns False when it is not due a refund. Raises PaymentError when the provider refuses,
        and then nothing is recorded.
        """
        with transaction.atomic():
            payment = type(self).objects.select_for_update().get(pk=self.pk)
            if payment.settlement != self.Settlement.REFUND_DUE or payment.status != PaymentStatus.CONFIRMED:
                return False
            amount = payment.captured_amount or payment.total  # the refund lowers captured_amount
            payment.refund_through_provider(by=by)
            self.order.record(
                OrderEvent.Kind.PAYMENT_REFUNDED,
                by=by,
                reason=reason,
                amount=amount,
                detail=f"Payment #{payment.pk} ({payment.variant}) refunded alone: {payment.settlement_note}",
            )
        self.refresh_from_db()
        return True

    def __str__(self):
        return f"{self.order.reference}: {self.get_status_display()} ({self.variant})"

    # Set by the view from the request, so links work on whatever host the buyer used.
    base_url = None

    def _absolute(self, path):
        if path.startswith(("http://", "https://")):
            return path
        return (self.base_url or get_base_url()).rstrip("/") + path

    def get_success_url(self):
        return self._absolute(self.order.success_url or self.order.get_link())

    def get_failure_url(self):
        return self._absolute(self.order.get_link())

    def get_purchased_items(self):
        for line in self.order.lines.all():
            yield PurchasedItem(
                name=line.description,
                quantity=line.quantity,
                price=line.unit_price,
                currency=self.currency,
                sku=line.sku or f"{line.kind}-{line.pk}",
            )
