from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from payments import PaymentError

from ala_site.admin import EditorAdmin, image_preview, publish, set_flag, unpublish

from . import signals
from .models import Category, FulfilmentFailure, Order, OrderEvent, OrderLine, Payment, Product


@admin.register(Category)
class CategoryAdmin(EditorAdmin):
    list_display = ("name", "slug", "product_count", "order", "is_published")
    list_editable = ("order", "is_published")
    list_filter = ("is_published",)
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    actions = [publish, unpublish]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(product_total=Count("products"))

    @admin.display(description="Products", ordering="product_total")
    def product_count(self, obj):
        return obj.product_total


@admin.action(description="Feature selected products on the landing page")
def feature(modeladmin, request, queryset):
    set_flag(modeladmin, request, queryset, "is_featured", True, "featured on the landing page")


@admin.action(description="Stop featuring selected products")
def unfeature(modeladmin, request, queryset):
    set_flag(modeladmin, request, queryset, "is_featured", False, "taken off the landing page")


@admin.register(Product)
class ProductAdmin(EditorAdmin):
    list_display = (
        "title",
        "preview",
        "category",
        "price",
        "member_price",
        "format",
        "stock",
        "is_published",
        "is_featured",
        "order",
    )
    list_display_links = ("title", "preview")
    list_editable = ("is_published", "is_featured", "order")
    list_filter = ("is_published", "is_featured", "format", "category")
    list_select_related = ("category",)
    search_fields = ("title", "slug", "short_description", "description")
    prepopulated_fields = {"slug": ("title",)}
    actions = [publish, unpublish, feature, unfeature]
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "format", "short_description", "description")}),
        ("Price and stock", {"fields": ("price", "member_price", "currency", "stock")}),
        # The image field shows the current picture itself: no separate preview here.
        ("Image", {"fields": ("image", "image_alt")}),
        ("Publishing", {"fields": ("is_published", "is_featured", "order")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    @admin.display(description="Image")
    def preview(self, obj):
        return image_preview(obj.image_rendition or obj.image, obj.image_alt)


def person(user):
    """A staff member or buyer as text: their admin page is for user managers only, so no link (it would 403)."""
    if user is None:
        return "—"
    name = user.get_full_name()
    return f"{name} ({user.email})" if name else user.email


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = ("kind", "description", "sku", "unit_price", "quantity", "line_total", "item_link")
    readonly_fields = fields

    @admin.display(description="Total")
    def line_total(self, line):
        return line.total

    @admin.display(description="Paid for")
    def item_link(self, line):
        if line.product_id:
            return line.product
        if line.content_type_id:
            return f"{line.content_type.name} #{line.object_id}"
        return "—"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("product", "content_type")


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = (
        "created",
        "variant",
        "status",
        "fraud_status",
        "total",
        "captured_amount",
        "settlement",
        "settlement_note",
        "refunded_by_person",
        "refunded_at",
        "transaction_id",
        "message",
    )
    readonly_fields = fields

    @admin.display(description="Refunded by")
    def refunded_by_person(self, payment):
        return person(payment.refunded_by)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("refunded_by")


class FulfilmentFailureInline(ReadOnlyInline):
    model = FulfilmentFailure
    fields = ("receiver", "error", "attempts", "created_at", "last_attempt_at", "resolved_at", "resolved_by_person")
    readonly_fields = fields

    @admin.display(description="Resolved by")
    def resolved_by_person(self, failure):
        return person(failure.resolved_by)


class NeedsStaffFilter(admin.SimpleListFilter):
    """Orders with money or fulfilment that a person has to sort out."""

    title = "needs staff"
    parameter_name = "needs_staff"

    def lookups(self, request, model_admin):
        return [
            ("payment", "A payment to refund, apply or check"),
            ("fulfilment", "A failed fulfilment"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "payment":
            return queryset.filter(payments__settlement__in=Payment.Settlement.for_staff()).distinct()
        if self.value() == "fulfilment":
            # Not `fulfilment_failures__resolved_at__isnull`: across the join that also matches
            # every order that never had a failure.
            open_failures = FulfilmentFailure.objects.filter(resolved_at__isnull=True).values("order")
            return queryset.filter(pk__in=open_failures)
        return queryset


def may_handle_orders(request):
    # Refunds and retries change what an order is worth: the same permission as refunding an order.
    return request.user.has_perm("store.change_order")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Kept in the order's history and the admin log.",
        error_messages={"required": "Give a reason: it is kept in the order's history."},
    )


class OfflinePaymentForm(ReasonForm):
    method = forms.ChoiceField(label="Paid by", choices=Order.OfflineMethod.choices[1:])
    reference = forms.CharField(
        label="Reference",
        max_length=100,
        required=False,
        help_text="The cheque number, invoice number or transfer reference, if there is one.",
    )
    field_order = ["method", "reference", "reason"]


def _when(moment):
    return date_format(timezone.localtime(moment), "M j, Y") if moment else ""


@dataclass(frozen=True)
class MoneyAction:
    """A money action on orders: the same confirmation, checks and record from the order page and in bulk."""

    name: str  # the bulk action's name and, with dashes, the order page's URL
    button: str
    title: str
    submit: str
    restock: bool = False

    @property
    def is_payment(self):
        return self.name == "record_offline_payment"

    @property
    def event_kind(self):
        return OrderEvent.Kind.OFFLINE_PAYMENT if self.is_payment else OrderEvent.Kind.REFUNDED

    @property
    def url_name(self):
        return f"store_order_{self.name}"

    @property
    def form_class(self):
        return OfflinePaymentForm if self.is_payment else ReasonForm

    def applies(self, order):
        return order.is_payable if self.is_payment else order.is_refundable

    def refusal(self, order):
        """Why the action cannot be done on `order` now, or "" when it can."""
        if self.applies(order):
            return ""
        status = order.get_status_display().lower()
        if self.is_payment:
            if order.status == Order.Status.PAID:
                paid = _when(order.paid_at)
                return f"Order {order.reference} is paid already ({paid}): there is no payment to record."
            if order.status == Order.Status.REFUNDED:
                return f"Order {order.reference} was refunded: a payment cannot be recorded on it."
            if order.status == Order.Status.CANCELLED:
                return (
                    f"Order {order.reference} is cancelled: a payment cannot be recorded on it. "
                    "The buyer can place a new order."
                )
            failure = order.get_failure_display().lower()
            return f"Order {order.reference} failed ({failure}): a payment cannot be recorded on it."
        if order.status == Order.Status.REFUNDED:
            refunded = _when(order.refunded_at)
            return f"Order {order.reference} was refunded already ({refunded}): there is nothing to refund."
        if order.failure == Order.Failure.PAID_ELSEWHERE:
            # Refunding the order would tell the selling app to undo the item the other order paid for.
            return (
                f"Order {order.reference} failed: {order.status_message} Refund its payment alone "
                "(Payments, “refund due”); the other order keeps what it paid for."
            )
        return f"Order {order.reference} is {status}: no money was taken for it, so there is nothing to refund."

    def effects(self, order):
        return order.offline_payment_effects() if self.is_payment else order.refund_effects(restock=self.restock)

    def perform(self, order, user, data):
        if self.is_payment:
            return order.record_offline_payment(
                by=user, method=data["method"], reference=data["reference"], reason=data["reason"]
            )
        return order.mark_refunded(by=user, restock=self.restock, reason=data["reason"])

    def done(self, order):
        if self.is_payment:
            return f"Recorded the payment of {order.reference} (${order.total}, {order.payment_method_detail})."
        restocked = " and put its items back in stock" if self.restock else ""
        return f"Refunded {order.reference} (${order.total}){restocked}."


MONEY_ACTIONS = {
    action.name: action
    for action in [
        MoneyAction(
            "record_offline_payment",
            button="Record offline payment",
            title="Record an offline payment",
            submit="Record the payment",
        ),
        MoneyAction("refund", button="Refund", title="Refund", submit="Refund"),
        MoneyAction(
            "refund_and_restock",
            button="Refund and restock",
            title="Refund and put the items back in stock",
            submit="Refund and restock",
            restock=True,
        ),
    ]
}


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("reference", "created_at", "name", "email", "status", "total", "payment_method", "paid_at")
    list_filter = (NeedsStaffFilter, "status", "failure", "payment_method", "created_at")
    date_hierarchy = "created_at"
    search_fields = ("reference", "email", "name")
    readonly_fields = (
        "reference",
        "account",
        "status",
        "failure",
        "status_message",
        "currency",
        "total",
        "payment_method",
        "offline_method",
        "payment_reference",
        "handled_by_person",
        "created_at",
        "updated_at",
        "paid_at",
        "refunded_at",
        "receipt_sent_at",
    )
    fieldsets = (
        (None, {"fields": ("reference", "status", "failure", "status_message", "total", "currency")}),
        (
            "Buyer",
            {
                "fields": (
                    "account",
                    "name",
                    "email",
                    "address_line1",
                    "address_line2",
                    "city",
                    "region",
                    "postal_code",
                    "country",
                )
            },
        ),
        (
            "Payment",
            {
                "fields": (
                    "payment_method",
                    "offline_method",
                    "payment_reference",
                    "paid_at",
                    "refunded_at",
                    "receipt_sent_at",
                    "handled_by_person",
                )
            },
        ),
        ("Staff", {"fields": ("staff_note", "created_at", "updated_at")}),
    )
    inlines = [OrderLineInline, PaymentInline, FulfilmentFailureInline]
    actions = list(MONEY_ACTIONS)

    def has_add_permission(self, request):
        return False  # orders come from the checkout

    def has_delete_permission(self, request, obj=None):
        return False  # they are the association's accounts; refund instead

    @admin.display(description="Account")
    def account(self, order):
        return person(order.user) if order.user_id else "Guest checkout"

    @admin.display(description="Handled by")
    def handled_by_person(self, order):
        return person(order.handled_by)

    def view_on_site(self, order):
        # The public order page lets in its owner or a signed link: staff get the signed link.
        return order.get_link()

    def get_urls(self):
        def wrap(action):
            def view(request, object_id):
                return self.money_action_view(request, object_id, action)

            return self.admin_site.admin_view(view)

        return [
            path(
                f"<path:object_id>/{action.name.replace('_', '-')}/",
                wrap(action),
                name=action.url_name,
            )
            for action in MONEY_ACTIONS.values()
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        order = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if order is not None:
            extra_context["order_events"] = order.events.select_related("by")
            if self.has_change_permission(request, order):
                extra_context["money_actions"] = [
                    (action.button, reverse(f"admin:{action.url_name}", args=[order.pk]))
                    for action in MONEY_ACTIONS.values()
                    if action.applies(order)
                ]
        return super().change_view(request, object_id, form_url, extra_context)

    def money_action_view(self, request, object_id, action):
        """The order page's money action: GET asks (amount, effects, reason); POST does it."""
        order = self.get_object(request, unquote(object_id))
        if order is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, order):
            raise PermissionDenied
        change_url = reverse("admin:store_order_change", args=[order.pk])
        refusal = action.refusal(order)
        if refusal:
            self.message_user(request, refusal, messages.ERROR)
            return redirect(change_url)
        form = action.form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            done, message = self.perform(request, order, action, form.cleaned_data)
            self.message_user(request, message, messages.SUCCESS if done else messages.ERROR)
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{action.title}: order {order.reference}",
            "opts": self.opts,
            "original": order,
            "action": action,
            "orders": [(order, action.effects(order))],
            "problems": order.payment_problems() if action.is_payment else [],
            "form": form,
            "cancel_url": change_url,
        }
        return TemplateResponse(request, "store/admin/order_action.html", context)

    def perform(self, request, order, action, data):
        """Do `action` on `order` in one transaction with its admin log entry. Returns (done, message)."""
        try:
            with transaction.atomic():
                done = action.perform(order, request.user, data)
                if done:
                    event = order.events.filter(kind=action.event_kind, by=request.user).last()
                    self.log_change(request, order, self.log_message(event))
        except PaymentError as error:
            order.refresh_from_db()
            return False, f"{order.reference}: the payment provider refused ({error}); nothing was changed."
        if done:
            return True, action.done(order)
        refusal = action.refusal(order)
        if refusal:  # someone else got there first
            return False, refusal
        problems = order.payment_problems()
        return False, f"{order.reference}: not recorded, nothing was changed. {' '.join(problems)}".strip()

    @staticmethod
    def log_message(event):
        amount = f" ${event.amount}" if event.amount is not None else ""
        detail = f" {event.detail}" if event.detail else ""
        return f"{event.get_kind_display()}{amount}.{detail} Reason: {event.reason}"

    # The bulk actions ask the same way, for every selected order at once, with one reason.

    @admin.action(description="Record an offline payment for the selected orders", permissions=["change"])
    def record_offline_payment(self, request, queryset):
        return self.bulk_money_action(request, queryset, MONEY_ACTIONS["record_offline_payment"])

    @admin.action(description="Refund the selected orders", permissions=["change"])
    def refund(self, request, queryset):
        return self.bulk_money_action(request, queryset, MONEY_ACTIONS["refund"])

    @admin.action(description="Refund the selected orders and put their items back in stock", permissions=["change"])
    def refund_and_restock(self, request, queryset):
        return self.bulk_money_action(request, queryset, MONEY_ACTIONS["refund_and_restock"])

    def bulk_money_action(self, request, queryset, action):
        orders = list(queryset.order_by("created_at", "pk"))
        ready = [order for order in orders if action.applies(order)]
        skipped = [action.refusal(order) for order in orders if not action.applies(order)]
        if not ready:
            for refusal in skipped:
                self.message_user(request, refusal, messages.WARNING)
            return None
        confirmed = request.POST.get("confirm") == "yes"
        form = action.form_class(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            for refusal in skipped:  # changed since the confirmation page was shown
                self.message_user(request, refusal, messages.WARNING)
            done = []
            for order in ready:
                ok, message = self.perform(request, order, action, form.cleaned_data)
                if ok:
                    done.append(message)
                else:
                    self.message_user(request, message, messages.ERROR)
            if done:
                self.message_user(request, " ".join(done), messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"{action.title}: {len(ready)} order{'s' if len(ready) > 1 else ''}",
            "opts": self.opts,
            "action": action,
            "orders": [(order, action.effects(order)) for order in ready],
            "skipped": skipped,
            "problems": [problem for order in ready for problem in order.payment_problems()]
            if action.is_payment
            else [],
            "form": form,
            "bulk": True,
            "selected": [order.pk for order in ready],
            "cancel_url": reverse("admin:store_order_changelist"),
        }
        return TemplateResponse(request, "store/admin/order_action.html", context)


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are the provider's records: staff only refund a stray one, apply one again, or clear a check."""

    list_display = ("order", "created", "variant", "status", "fraud_status", "total", "captured_amount", "settlement")
    list_filter = ("settlement", "status", "fraud_status", "variant", "created")
    list_select_related = ("order",)
    search_fields = ("order__reference", "order__email", "transaction_id", "billing_email")
    date_hierarchy = "created"
    actions = ["refund_payments", "apply_payments", "mark_checked"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["settlement", "settlement_note"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_handle_permission(self, request):
        return may_handle_orders(request)

    @admin.action(description="Refund the selected payments that are due a refund", permissions=["handle"])
    def refund_payments(self, request, queryset):
        due = list(queryset.filter(settlement=Payment.Settlement.REFUND_DUE).select_related("order"))
        if not due:
            self.message_user(request, "None of the selected payments is due a refund.", messages.WARNING)
            return None
        confirmed = request.POST.get("confirm") == "yes"
        form = ReasonForm(request.POST if confirmed else None)
        if not (confirmed and form.is_valid()):
            context = {
                **self.admin_site.each_context(request),
                "title": "Refund these payments?",
                "opts": self.model._meta,
                "payments": due,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "action": "refund_payments",
                "form": form,
            }
            return TemplateResponse(request, "store/admin/refund_payments.html", context)
        reason = form.cleaned_data["reason"]
        refunded = []
        for payment in due:
            try:
                with transaction.atomic():
                    done = payment.refund_alone(by=request.user, reason=reason)
                    if done:
                        message = f"Refunded ${payment.total} through {payment.variant}. Reason: {reason}"
                        self.log_change(request, payment, message)
                        self.log_change(request, payment.order, message)
            except (PaymentError, ValueError) as error:
                self.message_user(request, f"{payment.order}: the payment provider refused: {error}", messages.ERROR)
                continue
            if done:
                refunded.append(f"{payment.order} (${payment.total})")
        if refunded:
            self.message_user(request, f"Refunded {', '.join(refunded)}.", messages.SUCCESS)
        return None

    @admin.action(description="Apply the selected confirmed payments to their orders again", permissions=["handle"])
    def apply_payments(self, request, queryset):
        for payment in queryset.filter(settlement=Payment.Settlement.NOT_APPLIED).select_related("order"):
            paid = signals.apply_payment(payment)
            payment.refresh_from_db()
            self.log_change(request, payment, f"Applied again: {payment.get_settlement_display()}.")
            level = messages.SUCCESS if paid else messages.WARNING
            self.message_user(request, f"{payment.order}: {payment.get_settlement_display()}.", level)

    @admin.action(
        description="Checked with the provider: the money was taken, keep the order paid", permissions=["handle"]
    )
    def mark_checked(self, request, queryset):
        for payment in queryset.filter(settlement=Payment.Settlement.CHECK).select_related("order"):
            note = f"Checked by {request.user} on {timezone.localdate():%Y-%m-%d}: the money was taken."
            payment.set_settlement(Payment.Settlement.PAID_ORDER, note)
            self.log_change(request, payment, note)
            self.message_user(request, f"{payment.order}: kept paid.", messages.SUCCESS)


@admin.register(FulfilmentFailure)
class FulfilmentFailureAdmin(admin.ModelAdmin):
    """What a selling app failed to deliver for a paid order; retried here or by `manage.py retry_fulfilments`."""

    list_display = ("order", "receiver", "short_error", "attempts", "created_at", "last_attempt_at", "resolved_at")
    list_filter = (("resolved_at", admin.EmptyFieldListFilter), "receiver", "created_at")
    list_select_related = ("order",)
    search_fields = ("order__reference", "order__email", "receiver", "error")
    readonly_fields = (
        "order",
        "receiver",
        "error",
        "attempts",
        "created_at",
        "last_attempt_at",
        "resolved_at",
        "resolved_by",
        "resolution",
    )
    actions = ["retry"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_handle_permission(self, request):
        return may_handle_orders(request)

    @admin.display(description="Error")
    def short_error(self, failure):
        return failure.error.splitlines()[-1][:120] if failure.error else ""

    @admin.action(description="Retry fulfilment", permissions=["handle"])
    def retry(self, request, queryset):
        done, failed = [], []
        for failure in queryset.filter(resolved_at__isnull=True).select_related("order"):
            if failure.retry(by=request.user):
                self.log_change(request, failure, failure.resolution)
                done.append(str(failure.order))
            else:
                failed.append(f"{failure.order} ({failure.error.splitlines()[-1][:120]})")
        if done:
            self.message_user(request, f"Fulfilled: {', '.join(done)}.", messages.SUCCESS)
        if failed:
            self.message_user(request, f"Still failing: {', '.join(failed)}.", messages.ERROR)
