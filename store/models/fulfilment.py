"""Fulfilment of paid orders: the selling apps' `order_paid` receivers, run so that none can unpay an order.

A receiver that raises is rolled back on its own (a savepoint each), and recorded here for staff;
the order stays paid, so the buyer is never asked to pay again. Staff retry a failure in admin
("Retry fulfilment"), and `manage.py retry_fulfilments` retries every one still open: receivers
are idempotent (a repeated `order_paid` changes nothing), so a retry is always safe.
"""

import logging
import traceback

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from .. import signals

logger = logging.getLogger(__name__)


def receiver_name(receiver):
    return f"{getattr(receiver, '__module__', '?')}.{getattr(receiver, '__qualname__', repr(receiver))}"


def _receivers(sender):
    # Signal.send() calls each receiver in turn with no way to isolate one; its own list of live
    # receivers is the only way to run each in a savepoint. Async receivers are called through
    # async_to_sync, as send() does.
    from asgiref.sync import async_to_sync

    sync_receivers, async_receivers = signals.order_paid._live_receivers(sender)
    return [*sync_receivers, *(async_to_sync(receiver) for receiver in async_receivers)]


def _run(receiver, order):
    """Run one receiver in a savepoint; returns the error text, or "" when it succeeded."""
    try:
        with transaction.atomic():
            receiver(signal=signals.order_paid, sender=type(order), order=order)
    except Exception as error:
        logger.exception("Fulfilment %s failed for order %s", receiver_name(receiver), order.reference)
        return "".join(traceback.format_exception_only(error)).strip()[:2000] or type(error).__name__
    return ""


def fulfil(order):
    """Send `order_paid` to each receiver in its own savepoint; record the ones that fail. Returns their count."""
    failed = 0
    for receiver in _receivers(type(order)):
        error = _run(receiver, order)
        if error:
            failed += 1
            FulfilmentFailure.record(order, receiver_name(receiver), error)
    return failed


class FulfilmentFailure(models.Model):
    """An `order_paid` receiver raised for a paid order: what it sold was not (fully) delivered."""

    shown_on_public_pages = False  # its rows change no shared page (ala_site/page_cache.py)

    order = models.ForeignKey("store.Order", on_delete=models.PROTECT, related_name="fulfilment_failures")
    receiver = models.CharField(max_length=255, help_text="The receiver of order_paid that raised.")
    error = models.TextField()
    attempts = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    last_attempt_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who retried it successfully (empty: the retry_fulfilments command).",
    )
    resolution = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["order", "receiver"], name="store_fulfilment_once_per_receiver")]

    def __str__(self):
        return f"{self.order} · {self.receiver}"

    @property
    def is_open(self):
        return self.resolved_at is None

    @classmethod
    def record(cls, order, receiver, error):
        failure, created = cls.objects.get_or_create(order=order, receiver=receiver, defaults={"error": error})
        if not created:
            failure.error = error
            failure.attempts += 1
            failure.last_attempt_at = timezone.now()
            failure.resolved_at = failure.resolved_by = None
            failure.resolution = ""
            failure.save()
        return failure

    def retry(self, *, by=None):
        """Run the receiver again. Returns True when it is now resolved (done, or nothing left to do)."""
        with transaction.atomic():
            failure = type(self).objects.select_for_update().select_related("order").get(pk=self.pk)
            if not failure.is_open:
                self.refresh_from_db()
                return True
            order = failure.order
            receiver = next((r for r in _receivers(type(order)) if receiver_name(r) == failure.receiver), None)
            if order.status != order.Status.PAID:
                failure.resolution = f"Not run: the order is {order.get_status_display().lower()}."
            elif receiver is None:
                failure.error = "The receiver is no longer connected to order_paid."
            elif error := _run(receiver, order):
                failure.error = error
            else:
                failure.resolution = "Fulfilled on retry."
            failure.attempts += 1
            failure.last_attempt_at = timezone.now()
            if failure.resolution:
                failure.resolved_at, failure.resolved_by = timezone.now(), by
            failure.save()
        self.refresh_from_db()
        return not self.is_open
