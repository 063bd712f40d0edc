"""The order's history: what happened to it, who did it, when, why and for how much.

Written by the Order's state methods themselves (mark_paid, record_offline_payment, mark_failed,
mark_refunded, cancel_if_sold_out, and a stray payment's refund_alone), inside the transaction
that changes the order, so a change and its record are saved together or not at all.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .catalogue import MONEY


class OrderEvent(models.Model):
    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        PAID = "paid", "Paid online"
        OFFLINE_PAYMENT = "offline_payment", "Offline payment recorded"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        REFUND_DUE = "refund_due", "Payment to refund"
        PAYMENT_REFUNDED = "payment_refunded", "Payment refunded"
        REFUNDED = "refunded", "Refunded"

    order = models.ForeignKey("store.Order", on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField("when", default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The staff member (or the buyer, for a new order); empty when the site or the provider did it.",
    )
    reason = models.TextField("why", blank=True)
    amount = models.DecimalField(**MONEY, null=True, blank=True)
    detail = models.CharField(max_length=1000, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["order", "at"])]
        verbose_name = "order event"

    def __str__(self):
        return f"{self.order_id}: {self.get_kind_display()}"

    @property
    def who(self):
        if self.by_id:
            name = self.by.get_full_name()
            return f"{name} ({self.by.email})" if name else self.by.email
        if self.kind == self.Kind.CREATED:
            return "Guest checkout"
        if self.kind in (self.Kind.PAID, self.Kind.REFUND_DUE, self.Kind.REFUNDED):
            # Without a person these come from the provider's callbacks.
            return "Payment provider"
        return "The site"
