"""Finish what paid orders still owe. Run every few minutes (see the README), or by hand.

Retries each open FulfilmentFailure (a selling app's `order_paid` receiver that raised) and
applies each confirmed payment whose order could not be updated when it arrived. Both are safe
to repeat: receivers are idempotent and applying a payment twice does nothing more.
"""

from django.core.management.base import BaseCommand

from store import signals
from store.models import FulfilmentFailure, Payment


class Command(BaseCommand):
    help = "Retry failed fulfilments of paid orders and apply confirmed payments not yet applied."

    def handle(self, *args, **options):
        applied = failed_payments = 0
        for payment in Payment.objects.filter(settlement=Payment.Settlement.NOT_APPLIED).select_related("order"):
            if signals.apply_payment(payment):
                applied += 1
            else:
                payment.refresh_from_db()
                if payment.settlement == Payment.Settlement.NOT_APPLIED:
                    failed_payments += 1
        fulfilled = still_failing = 0
        for failure in FulfilmentFailure.objects.filter(resolved_at__isnull=True).select_related("order"):
            if failure.retry():
                fulfilled += 1
            else:
                still_failing += 1
                self.stderr.write(f"{failure.order} {failure.receiver}: {failure.error.splitlines()[-1]}")
        self.stdout.write(
            f"Applied {applied} payment(s), {failed_payments} still not applied; "
            f"fulfilled {fulfilled} order(s), {still_failing} still failing."
        )
