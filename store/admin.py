from django.contrib import admin, messages
from django.db.models import Count
from payments import PaymentError

from ala_site.admin import EditorAdmin, image_preview, publish, set_flag, unpublish

from .models import Category, Order, OrderLine, Payment, Product


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
    fields = ("created", "variant", "status", "total", "captured_amount", "transaction_id", "message")
    readonly_fields = fields


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("reference", "created_at", "name", "email", "status", "total", "payment_method", "paid_at")
    list_filter = ("status", "failure", "payment_method", "created_at")
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
    inlines = [OrderLineInline, PaymentInline]
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
