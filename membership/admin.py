import csv
from datetime import timedelta

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.http import HttpResponse
from django.utils import timezone

from ala_site.admin import EditorAdmin

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
    fields = ("membership_type", "dues", "status", "starts_on", "ends_on", "paid_at", "reminded_30_at", "reminded_7_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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


@admin.register(Membership)
class MembershipAdmin(EditorAdmin):
    list_display = ("user", "email", "membership_type", "status", "expires_on", "member_since")
    list_filter = ("membership_type", "status", ExpiryFilter)
    search_fields = ("user__email", "user__first_name", "user__last_name")
    list_select_related = ("user", "membership_type")
    autocomplete_fields = ("user",)
    inlines = [TermInline]
    actions = ["export_csv"]
    date_hierarchy = "expires_on"

    @admin.display(ordering="user__email")
    def email(self, obj):
        return obj.user.email

    @admin.action(description="Export selected members as CSV")
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="members-{timezone.localdate():%Y-%m-%d}.csv"'
        writer = csv.writer(response)
        writer.writerow(["email", "first name", "last name", "type", "status", "member since", "expires on"])
        for membership in queryset.select_related("user", "membership_type"):
            writer.writerow(
                [
                    _csv_safe(membership.user.email),
                    _csv_safe(membership.user.first_name),
                    _csv_safe(membership.user.last_name),
                    membership.membership_type.name,
                    membership.display_status,
                    membership.member_since or "",
                    membership.expires_on or "",
                ]
            )
        return response


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
