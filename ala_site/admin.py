from django.contrib import admin, messages
from django.db import models
from django.utils.html import format_html

from .models import AlertBanner, NavLink, Promo, QuickLink, QuickLinkGroup, SiteSettings, SocialLink
from .sections import bump


class EditorAdmin(admin.ModelAdmin):
    """Records who last edited content (see TrackedModel); every content admin uses it."""

    readonly_fields = ("created_at", "updated_at", "updated_by")
    # Addresses typed without a scheme get https:// (Django 6's default; silences its warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_obj in formset.save(commit=False):
            if hasattr(inline_obj, "updated_by_id"):
                inline_obj.updated_by = request.user
            inline_obj.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()


def set_flag(modeladmin, request, queryset, field, value, done):
    """A bulk action's work: set a yes/no field on the selected rows and say what was `done`."""
    count = queryset.update(**{field: value})
    # update() sends no save signals, so refresh the cached sections here.
    bump(*queryset.model.cache_sections)
    modeladmin.message_user(request, f"{count} item{'s' if count != 1 else ''} {done}.", messages.SUCCESS)


@admin.action(description="Publish selected items")
def publish(modeladmin, request, queryset):
    set_flag(modeladmin, request, queryset, "is_published", True, "published")


@admin.action(description="Unpublish selected items")
def unpublish(modeladmin, request, queryset):
    set_flag(modeladmin, request, queryset, "is_published", False, "unpublished")


def image_preview(image, alt):
    if not image:
        return "—"
    return format_html('<img src="{}" alt="{}" class="admin-image-preview">', image.url, alt)


@admin.register(SiteSettings)
class SiteSettingsAdmin(EditorAdmin):
    fieldsets = (
        (None, {"fields": ("name", "short_name", "tagline")}),
        (
            "Mission (landing page)",
            {"fields": ("mission_title", "mission_statement", "mission_link_label", "mission_link_url")},
        ),
        (
            "Contact (footer)",
            {"fields": ("street_address", "city_state_zip", "phone", "email", "copyright_start_year")},
        ),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SocialLink)
class SocialLinkAdmin(EditorAdmin):
    list_display = ("network", "url", "order")
    list_editable = ("order",)


class ChildLinkInline(admin.TabularInline):
    model = NavLink
    fk_name = "parent"
    fields = ("label", "url", "order", "is_published")
    extra = 1
    verbose_name = "drop-down link"
    verbose_name_plural = "drop-down links"


@admin.register(NavLink)
class NavLinkAdmin(EditorAdmin):
    list_display = ("label", "menu", "parent", "url", "order", "is_published")
    list_filter = ("menu", "is_published")
    list_editable = ("order", "is_published")
    search_fields = ("label", "url")
    inlines = [ChildLinkInline]
    actions = [publish, unpublish]

    def save_formset(self, request, form, formset, change):
        # Drop-down links belong to the same menu as their parent.
        for child in formset.save(commit=False):
            child.menu = form.instance.menu
            child.updated_by = request.user
            child.save()
        for deleted in formset.deleted_objects:
            deleted.delete()


@admin.register(AlertBanner)
class AlertBannerAdmin(EditorAdmin):
    list_display = ("message", "level", "is_active", "starts_at", "ends_at")
    list_filter = ("is_active", "level")
    search_fields = ("message",)
    actions = ["activate", "deactivate"]

    @admin.action(description="Activate selected banners")
    def activate(self, request, queryset):
        set_flag(self, request, queryset, "is_active", True, "activated")

    @admin.action(description="Deactivate selected banners")
    def deactivate(self, request, queryset):
        set_flag(self, request, queryset, "is_active", False, "deactivated")


@admin.register(Promo)
class PromoAdmin(EditorAdmin):
    list_display = ("title", "preview", "slot", "order", "is_published", "publish_at", "expires_at")
    list_filter = ("slot", "is_published")
    list_editable = ("order", "is_published")
    search_fields = ("title", "body")
    actions = [publish, unpublish]
    readonly_fields = ("preview", *EditorAdmin.readonly_fields)
    fieldsets = (
        (None, {"fields": ("slot", "title", "body", "order")}),
        ("Image", {"fields": ("image", "image_alt", "preview")}),
        ("Call to action", {"fields": ("cta_label", "cta_url")}),
        ("Publishing", {"fields": ("is_published", "publish_at", "expires_at")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    @admin.display(description="Image")
    def preview(self, obj):
        return image_preview(obj.image_rendition or obj.image, obj.image_alt)


class QuickLinkInline(admin.TabularInline):
    model = QuickLink
    fields = ("label", "url", "order")
    extra = 1


@admin.register(QuickLinkGroup)
class QuickLinkGroupAdmin(EditorAdmin):
    list_display = ("title", "placement", "order", "is_published")
    list_filter = ("placement", "is_published")
    list_editable = ("order", "is_published")
    search_fields = ("title", "links__label")
    inlines = [QuickLinkInline]
    actions = [publish, unpublish]
