from django.contrib import admin, messages
from django.db.models import Count
from django.template.response import TemplateResponse
from django.utils import timezone
from payments import PaymentError

from ala_site.admin import EditorAdmin, image_preview, publish, set_flag, unpublish

from . import signals
from .models import Category, FulfilmentFailure, Order, OrderLine, Payment, Product


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
    readonly_fields = ("preview", *EditorAdmin.readonly_fields)
    actions = [publish, unpublish, feature, unfeature]
    fieldsets = (
        (None, {"fields": ("title", "slug", "category", "format", "short_description", "description")}),
        ("Price and stock", {"fields": ("price", "member_price", "currency", "stock")}),
        ("Image", {"fields": ("image", "image_alt", "preview")}),
        ("Publishing", {"fields": ("is_published", "is_featured", "order")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    @admin.display(description="Image")
    def preview(self, obj):
        return image_preview(obj.image_rendition or obj.image, obj.image_alt)


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
        "refunded_by",
        "refunded_at",
        "transaction_id",
        "message",
    )
    readonly_fields = fields


class FulfilmentFailureInline(ReadOnlyInline):
    model = FulfilmentFailure
    fields = ("receiver", "error", "attempts", "created_at", "last_attempt_at", "resolved_at", "resolved_by")
    readonly_fields = fields


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
            return queryset.filter(fulfilment_failures__resolved_at__isnull=True).distinct()
        return queryset


def may_handle_orders(request):
    # Refunds and retries change what an order is worth: the same permission as refunding an order.
    return request.user.has_perm("store.change_order")


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("reference", "created_at", "name", "email", "status", "total", "payment_method", "paid_at")
    list_filter = (NeedsStaffFilter, "status", "failure", "payment_method", "created_at")
    date_hierarchy = "created_at"
    search_fields = ("reference", "email", "name")
    readonly_fields = (
        "reference",
        "user",
        "status",
        "failure",
        "status_message",
        "currency",
        "total",
        "payment_method",
        "handled_by",
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
                    "user",
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
        ("Payment", {"fields": ("payment_method", "paid_at", "refunded_at", "receipt_sent_at", "handled_by")}),
        ("Staff", {"fields": ("staff_note", "created_at", "updated_at")}),
    )
    inlines = [OrderLineInline, PaymentInline, FulfilmentFailureInline]
    actions = ["record_offline_payment", "refund", "refund_and_restock"]

    def has_add_permission(self, request):
        return False  # orders come from the checkout

    def has_delete_permission(self, request, obj=None):
        return False  # they are the association's accounts; refund instead

    @admin.action(description="Record an offline payment for the selected orders", permissions=["change"])
    def record_offline_payment(self, request, queryset):
        paid, skipped = [], []
        for order in queryset:
            if order.is_payable and order.record_offline_payment(by=request.user, note="Offline payment recorded."):
                paid.append(order.reference)
            else:
                skipped.append(f"{order.reference} ({order.get_status_display().lower()})")
        if paid:
            self.message_user(request, f"Recorded payment for {', '.join(paid)}.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"Not marked paid: {', '.join(skipped)}.", messages.WARNING)

    @admin.action(description="Refund the selected orders", permissions=["change"])
    def refund(self, request, queryset):
        self._refund(request, queryset, restock=False)

    @admin.action(description="Refund the selected orders and put their items back in stock", permissions=["change"])
    def refund_and_restock(self, request, queryset):
        self._refund(request, queryset, restock=True)

    def _refund(self, request, queryset, restock):
        refunded, skipped = [], []
        for order in queryset:
            try:
                done = order.mark_refunded(by=request.user, restock=restock)
            except (PaymentError, ValueError) as error:
                self.message_user(request, f"{order.reference}: the payment provider refused: {error}", messages.ERROR)
                continue
            (refunded if done else skipped).append(order.reference)
        if refunded:
            restocked = " and put their items back in stock" if restock else ""
            self.message_user(request, f"Refunded {', '.join(refunded)}{restocked}.", messages.SUCCESS)
        if skipped:
            self.message_user(request, f"Nothing to refund for {', '.join(skipped)}.", messages.WARNING)


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
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Refund these payments?",
                "opts": self.model._meta,
                "payments": due,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "action": "refund_payments",
            }
            return TemplateResponse(request, "store/admin/refund_payments.html", context)
        refunded = []
        for payment in due:
            try:
                done = payment.refund_alone(by=request.user)
            except (PaymentError, ValueError) as error:
                self.message_user(request, f"{payment.order}: the payment provider refused: {error}", messages.ERROR)
                continue
            if done:
                self.log_change(request, payment, f"Refunded ${payment.total} through {payment.variant}.")
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
