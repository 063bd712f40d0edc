import csv
import re
from datetime import timedelta

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from ala_site.admin import EditorAdmin
from store.models import Order, OrderLine
from store.templatetags.store_tags import usd

from .forms import PREFERENCE_FIELDS, PREFERENCE_LABELS
from .models import Donation, Membership, MembershipTerm, MembershipType, User


class UserCreateForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "email_verified_at", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "email_verified_at", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name")}),
        (
            "Permissions",
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        ("Important dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )


@admin.register(MembershipType)
class MembershipTypeAdmin(EditorAdmin):
    list_display = ("name", "annual_dues", "is_active", "order")
    list_editable = ("is_active", "order")
    list_filter = ("is_active",)
    search_fields = ("name", "eligibility")
    prepopulated_fields = {"slug": ("name",)}


class TermInline(admin.TabularInline):
    model = MembershipTerm
    extra = 0
    fields = (
        "membership_type",
        "dues",
        "status",
        "starts_on",
        "ends_on",
        "paid_at",
        "paid_by",
        "reminded_30_at",
        "reminded_7_at",
    )
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("membership_type")

    def get_formset(self, request, obj=None, **kwargs):
        # The inline is made afresh for each request, so what this viewer may open and the
        # orders of this member's terms can be kept on it for the rows that follow.
        order_admin = self.admin_site._registry.get(Order)
        self._can_view_orders = bool(order_admin and order_admin.has_view_permission(request))
        self._orders = None
        return super().get_formset(request, obj, **kwargs)

    def orders_by_term(self, term):
        """Every term's order lines of this membership, fetched once for all the rows."""
        if self._orders is None:
            lines = (
                OrderLine.objects.filter(
                    content_type=ContentType.objects.get_for_model(MembershipTerm),
                    object_id__in=MembershipTerm.objects.filter(membership_id=term.membership_id).values("pk"),
                )
                .select_related("order")
                .order_by("-order__created_at", "-pk")
            )
            self._orders = {}
            for line in lines:
                self._orders.setdefault(line.object_id, []).append(line)
            for found in self._orders.values():
                # The order that paid (or paid and was refunded) comes first, then attempts.
                found.sort(key=lambda line: PAYING_FIRST.get(line.order.status, len(PAYING_FIRST)))
        return self._orders.get(term.pk, [])

    @admin.display(description="paid by order")
    def paid_by(self, term):
        lines = self.orders_by_term(term)
        if not lines:
            return "No order (recorded without the store)"
        return format_html_join(mark_safe("<br>"), "{}", ((self.describe(line),) for line in lines))

    def describe(self, line):
        order = line.order
        # Staff who may not open orders read the same facts, without a link that would end in a 403.
        reference = (
            format_html('<a href="{}">{}</a>', reverse("admin:store_order_change", args=[order.pk]), order.reference)
            if self._can_view_orders
            else order.reference
        )
        amount = usd(line.total)
        if order.total != line.total:
            amount = f"{amount} (order total {usd(order.total)})"
        method = order.get_payment_method_display() if order.payment_method else "no payment yet"
        return format_html("{} · {} · {} · {}", reference, amount, method, order.get_status_display())


# Which of a term's orders to show first: the one whose money paid for it.
PAYING_FIRST = {Order.Status.PAID: 0, Order.Status.REFUNDED: 1}


class ExpiryFilter(admin.SimpleListFilter):
    title = "expiry"
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [("30", "Within 30 days"), ("90", "Within 90 days"), ("lapsed", "Lapsed")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() in ("30", "90"):
            return queryset.current().filter(expires_on__lte=today + timedelta(days=int(self.value())))
        if self.value() == "lapsed":
            return queryset.filter(expires_on__lt=today)
        return queryset


def status_now(value, today):
    """The memberships whose status, computed from their dates, is `value` (see display_status)."""
    Status = Membership.Status
    if value == Status.ACTIVE:
        return Q(status=Status.ACTIVE, expires_on__gte=today)
    if value == Status.EXPIRED:
        lapsed = Q(expires_on__lt=today) | Q(expires_on__isnull=True)
        return Q(status=Status.EXPIRED) | (Q(status=Status.ACTIVE) & lapsed)
    return Q(status=value)


class StatusNowFilter(admin.ChoicesFieldListFilter):
    """The status filter, computed from the dates like the list's column: a lapsed membership is
    "Expired" on the day after its expiry, before the nightly expire_memberships has run."""

    def queryset(self, request, queryset):
        values = self.used_parameters.get(self.lookup_kwarg)
        if not values:
            return queryset
        today = timezone.localdate()
        wanted = Q()
        for value in values if isinstance(values, list) else [values]:
            wanted |= status_now(value, today)
        return queryset.filter(wanted)

    def get_facet_counts(self, pk_attname, filtered_qs):
        today = timezone.localdate()
        return {
            f"{i}__c": Count(pk_attname, filter=status_now(value, today))
            for i, (value, _) in enumerate(self.field.flatchoices)
        }


def member_number(membership):
    """The member number: "M" and the membership's id in six digits (M000042).

    A person keeps one membership through all their years (terms), and ids are never reused, so
    the number never changes. The letter keeps spreadsheets from reading it as a number and
    dropping the zeros, and tells it apart from an order reference (ALA-…) on a cheque.
    """
    return f"M{membership.pk:06d}"


MEMBER_NUMBER = re.compile(r"\s*[Mm]0*(\d{1,18})\s*")


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ("user", *PREFERENCE_FIELDS)
        labels = PREFERENCE_LABELS


@admin.register(Membership)
class MembershipAdmin(EditorAdmin):
    form = MembershipForm
    # Fits 1366 px beside the admin's sidebar and filters: the name and the address share a column,
    # and "member since" is on the member's page and in the CSV.
    list_display = ("number", "member", "membership_type", "status_now", "expires_on")
    list_display_links = ("number", "member")
    list_filter = ("membership_type", ("status", StatusNowFilter), ExpiryFilter)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    search_help_text = "Search by name, email or member number (M000042)."
    list_select_related = ("user", "membership_type")
    autocomplete_fields = ("user",)
    inlines = [TermInline]
    actions = ["export_csv"]
    date_hierarchy = "expires_on"
    # Status, type and dates follow the paid terms (an order paid or refunded in the store moves
    # them), and the consents are what the member agreed to when joining: none is typed in here.
    readonly_fields = (
        "number",
        "status_now",
        "membership_type",
        "member_since",
        "expires_on",
        "eligibility_confirmed_at",
        "code_of_conduct_accepted_at",
        *EditorAdmin.readonly_fields,
    )
    fieldsets = (
        (None, {"fields": ("number", "user", "membership_type", "status_now", "member_since", "expires_on")}),
        ("Email preferences", {"fields": ("news_emails", "advocacy_emails", "elearning_emails")}),
        ("Agreed when joining", {"fields": ("eligibility_confirmed_at", "code_of_conduct_accepted_at")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is None:
            # Adding one here: the person and the type are chosen, and it waits for its dues
            # (the member pays them from their account page, or staff record them on the order).
            return tuple(name for name in readonly if name != "membership_type")
        # Afterwards the person stays, and the type follows the paid terms.
        return (*readonly, "user")

    @admin.display(description="member number", ordering="pk")
    def number(self, obj):
        return member_number(obj) if obj.pk else "—"

    @admin.display(description="status", ordering="status")
    def status_now(self, obj):
        return obj.display_status

    @admin.display(ordering="user__last_name")
    def member(self, obj):
        # A long address is one unbroken word: it may wrap after its dots and before the @.
        pieces = re.split(r"(?<=\.)|(?=@)", obj.user.email)
        email = format_html_join(mark_safe("<wbr>"), "{}", ((piece,) for piece in pieces))
        name = obj.user.get_full_name()
        return format_html("{}<br>{}", name, email) if name else email

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = MEMBER_NUMBER.fullmatch(search_term)
        if number:
            # The list's filters are already on `queryset`: the number searches within them.
            found |= queryset.filter(pk=int(number[1]))
        return found, may_have_duplicates

    @admin.action(description="Export selected members as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="members-{timezone.localdate():%Y-%m-%d}.csv"'
        writer = csv.writer(response)
        writer.writerow(CSV_HEADER)
        for membership in queryset.select_related("user", "membership_type"):
            writer.writerow(
                [
                    member_number(membership),
                    _csv_safe(membership.user.email),
                    _csv_safe(membership.user.first_name),
                    _csv_safe(membership.user.last_name),
                    membership.membership_type.name,
                    membership.display_status,
                    membership.member_since or "",
                    membership.expires_on or "",
                    *("yes" if getattr(membership, field) else "no" for field in PREFERENCE_FIELDS),
                ]
            )
        return response


CSV_HEADER = [
    "member number",
    "email",
    "first name",
    "last name",
    "type",
    "status",
    "member since",
    "expires on",
    "news emails",
    "advocacy emails",
    "eLearning emails",
]


def _csv_safe(value):
    # A cell starting with = + - @ is run as a formula by spreadsheets; neutralise it.
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


@admin.register(Donation)
class DonationAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "amount", "fund", "status", "is_anonymous", "created_at", "paid_at")
    list_filter = ("status", "fund", "is_anonymous", "created_at")
    search_fields = ("name", "email", "dedication_name")
    date_hierarchy = "created_at"
    readonly_fields = ("user", "amount", "currency", "status", "created_at", "paid_at")

    def has_add_permission(self, request):
        return False  # gifts come through /donate/ and the checkout

    def has_delete_permission(self, request, obj=None):
        return False  # they are the association's accounts
