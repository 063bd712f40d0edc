"""The store's panels on the admin index (registered from StoreConfig.ready(); see ala_site.dashboard).

- Orders, for staff who handle orders (``store.change_order``; membership staff may view orders
  but refunds are not theirs): orders awaiting payment, orders that sold out after payment (money
  taken, to refund), orders with a payment to refund, apply again or check, and failed
  fulfilments still open (for staff who may see them).
  "Awaiting payment" means pending for more than ``PENDING_AFTER`` (an online payment takes
  minutes, so an older one waits for a cheque or an invoice, or for a reminder) and at most
  ``PENDING_WITHIN`` old (older ones are abandoned checkouts, still one click away in the list).
- Stock, for staff who see products: published products sold out, or with ``LOW_STOCK`` or fewer
  left (products with unlimited stock never count).
"""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q

from ala_site import dashboard

from .models import FulfilmentFailure, Order, Payment, Product

PENDING_AFTER = timedelta(hours=1)
PENDING_WITHIN = timedelta(days=30)
LOW_STOCK = 5


def order_lines(request):
    now = dashboard.now()
    newest, oldest = now - PENDING_AFTER, now - PENDING_WITHIN
    awaiting = Q(status=Order.Status.PENDING, created_at__gte=oldest, created_at__lt=newest)
    sold_out = Q(status=Order.Status.FAILED, failure=Order.Failure.STOCK)
    # Orders with a payment to see to, counted once each, as the list's "needs staff" filter shows them.
    payment = Exists(Payment.objects.filter(order=OuterRef("pk"), settlement__in=Payment.Settlement.for_staff()))
    # Failed fulfilments are counted one by one (an order may have several) as their own list shows
    # them, where the retry action is; the join repeats orders, hence the distinct order counts.
    counts = Order.objects.aggregate(
        awaiting=Count("pk", filter=awaiting, distinct=True),
        sold_out=Count("pk", filter=sold_out, distinct=True),
        payment=Count("pk", filter=payment, distinct=True),
        fulfilment=Count("fulfilment_failures", filter=Q(fulfilment_failures__resolved_at__isnull=True)),
    )
    lines = [
        dashboard.Line(
            "Awaiting payment for over an hour",
            counts["awaiting"],
            dashboard.changelist_url(
                Order, status__exact=Order.Status.PENDING, created_at__gte=oldest, created_at__lt=newest
            ),
        ),
        dashboard.Line(
            "Sold out after payment: refund",
            counts["sold_out"],
            dashboard.changelist_url(Order, status__exact=Order.Status.FAILED, failure__exact=Order.Failure.STOCK),
        ),
        dashboard.Line(
            "A payment to refund, apply or check",
            counts["payment"],
            dashboard.changelist_url(Order, needs_staff="payment"),
        ),
    ]
    if request.user.has_perm("store.view_fulfilmentfailure"):
        lines.append(
            dashboard.Line(
                "Fulfilment failed: retry",
                counts["fulfilment"],
                dashboard.changelist_url(FulfilmentFailure, resolved_at__isempty=1),
            )
        )
    return lines


def stock_lines(request):
    published = Q(is_published=True)
    counts = Product.objects.aggregate(
        sold_out=Count("pk", filter=published & Q(stock=0)),
        low=Count("pk", filter=published & Q(stock__gt=0, stock__lte=LOW_STOCK)),
    )
    return [
        dashboard.Line(
            "Sold out",
            counts["sold_out"],
            dashboard.changelist_url(Product, is_published__exact=True, stock__exact=0),
        ),
        dashboard.Line(
            f"{LOW_STOCK} or fewer left",
            counts["low"],
            dashboard.changelist_url(Product, is_published__exact=True, stock__gt=0, stock__lte=LOW_STOCK),
        ),
    ]


def register():
    dashboard.register(
        dashboard.Panel(
            key="store_orders", title="Orders", permission="store.change_order", items=order_lines, order=10
        )
    )
    dashboard.register(
        dashboard.Panel(key="store_stock", title="Stock", permission="store.view_product", items=stock_lines, order=20)
    )
