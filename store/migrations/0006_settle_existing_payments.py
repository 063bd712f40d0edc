"""Fill in, for orders made before the store recorded them, what was taken from stock and what became
of each confirmed payment; and let store staff see fulfilment failures."""

from django.db import migrations
from django.db.models import F

from ala_site.groups import ensure_group

CONFIRMED = "confirmed"


def settle(apps, schema_editor):
    Order = apps.get_model("store", "Order")
    OrderLine = apps.get_model("store", "OrderLine")
    Payment = apps.get_model("store", "Payment")

    # Before, a paid order took stock from every product counted at the time of the refund: the
    # best record there is of what it took is what a restock then put back.
    OrderLine.objects.filter(order__status="paid", product__stock__isnull=False).update(stock_taken=F("quantity"))

    for order in Order.objects.filter(payments__status=CONFIRMED).distinct():
        confirmed = list(Payment.objects.filter(order=order, status=CONFIRMED).order_by("created", "pk"))
        paying = confirmed[0] if order.status == "paid" and order.payment_method == "online" else None
        payable = order.status == "pending" or (order.status == "failed" and order.failure == "payment")
        for payment in confirmed:
            if payment == paying:
                payment.settlement = "paid_order"
            elif payable:
                # Money taken while the order stayed payable (the database was busy): apply it.
                payment.settlement = "not_applied"
                payment.settlement_note = "Confirmed, but the order was not updated (found on upgrade)."
            else:
                # Money taken that its order never took (the defect this release fixes): staff refund it.
                payment.settlement = "refund_due"
                payment.settlement_note = f"Confirmed while the order was {order.status} (found on upgrade)."
            payment.save(update_fields=["settlement", "settlement_note"])


def staff_see_fulfilment_failures(apps, schema_editor):
    group = ensure_group(apps, "Store staff", [])
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="store", codename="view_fulfilmentfailure")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0005_settlement_fulfilment_stock_taken"),
    ]

    operations = [
        migrations.RunPython(settle, migrations.RunPython.noop),
        migrations.RunPython(staff_see_fulfilment_failures, migrations.RunPython.noop),
    ]
