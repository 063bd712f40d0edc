"""Give orders made before the history was kept the events their dates tell (who and why are unknown)."""

from django.db import migrations

BEFORE = "Recorded before the order history was kept."


def backfill(apps, schema_editor):
    Order = apps.get_model("store", "Order")
    OrderEvent = apps.get_model("store", "OrderEvent")
    events = []
    for order in Order.objects.filter(events__isnull=True).iterator(chunk_size=500):
        events.append(
            OrderEvent(order=order, kind="created", at=order.created_at, by_id=order.user_id, amount=order.total)
        )
        if order.paid_at:
            kind = "offline_payment" if order.payment_method == "offline" else "paid"
            events.append(OrderEvent(order=order, kind=kind, at=order.paid_at, amount=order.total, detail=BEFORE))
        if order.status == "refunded":
            events.append(
                OrderEvent(
                    order=order,
                    kind="refunded",
                    at=order.refunded_at or order.updated_at,
                    amount=order.total,
                    detail=BEFORE,
                )
            )
        elif order.status in ("failed", "cancelled"):
            detail = f"{order.status_message} ({BEFORE})" if order.status_message else BEFORE
            events.append(OrderEvent(order=order, kind=order.status, at=order.updated_at, detail=detail[:1000]))
        if len(events) >= 1000:
            OrderEvent.objects.bulk_create(events)
            events = []
    OrderEvent.objects.bulk_create(events)


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0007_order_history"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
