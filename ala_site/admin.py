from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from . import page_cache
from .images import discard_kept_upload, keep_upload, kept_upload, thumbnail_data_uri
from .models import AlertBanner, NavLink, Promo, QuickLink, QuickLinkGroup, SiteSettings, SocialLink
from .sections import bump


def local_time_label():
    """How staff know the association's clock: "Chicago time" for America/Chicago."""
    return settings.TIME_ZONE.rsplit("/", 1)[-1].replace("_", " ") + " time"


def window_column(starts, ends):
    """One changelist column for a publish window, in the association's time zone (short, so the
    list fits a laptop screen without scrolling sideways)."""

    def moment(value):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")

    @admin.display(description=f"shown ({local_time_label()})", ordering=starts)
    def shown(obj):
        start, end = getattr(obj, starts), getattr(obj, ends)
        if start and end:
            return f"{moment(start)} – {moment(end)}"
        if start:
            return f"from {moment(start)}"
        if end:
            return f"until {moment(end)}"
        return "always"

    return shown


# The widget's answer when the form names a kept upload that is no longer there; the field turns
# it into an error, so a submission never goes on silently without the image its author chose.
KEPT_UPLOAD_GONE = object()


class KeptImageWidget(AdminFileWidget):
    """A file input that shows the current image, previews a newly picked file, and keeps an upload
    across a failed submission (EditorAdmin.render_change_form stores it and names it in a hidden
    field; the next submission uses it unless another file is chosen)."""

    template_name = "admin/ala_site/widgets/kept_image_input.html"

    class Media:
        js = ["js/admin-image-preview.js"]

    @staticmethod
    def kept_field_name(name):
        return f"{name}-kept"

    @staticmethod
    def forget_field_name(name):
        return f"{name}-forget"

    def value_from_datadict(self, data, files, name):
        token = data.get(self.kept_field_name(name))
        forget = forms.CheckboxInput().value_from_datadict(data, files, self.forget_field_name(name))
        if token and not forget and not files.get(name):
            # Read once per form: Django asks the widget for its value several times.
            cache = self.__dict__.setdefault("_kept_uploads", {})
            if token not in cache:
                cache[token] = kept_upload(token) or KEPT_UPLOAD_GONE
            return cache[token]
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        return super().value_omitted_from_data(data, files, name) and self.kept_field_name(name) not in data

    def _render(self, template_name, context, renderer=None):
        # The template is one of the project's, which Django's form renderer does not search.
        return mark_safe(render_to_string(template_name, context))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        preview_id = f"{widget['attrs'].get('id') or name}_preview"
        widget["attrs"]["data-image-preview"] = preview_id
        widget.update(
            preview_id=preview_id,
            kept_field_name=self.kept_field_name(name),
            forget_field_name=self.forget_field_name(name),
            forget_field_id=f"{preview_id}_forget",
            kept_token=getattr(value, "kept_token", None),
            preview_src=None,
        )
        if widget["kept_token"]:
            widget["kept_name"] = value.name
            widget["preview_src"] = thumbnail_data_uri(value)
            widget["preview_alt"] = f"The kept image, {value.name}"
        elif self.is_initial(value):
            rendition = getattr(value.instance, "image_rendition", None)
            widget["preview_src"] = (rendition or value).url
            widget["preview_alt"] = "The current image"
        return context


class KeptImageField(forms.ImageField):
    default_error_messages = {
        "kept_gone": "The image chosen before is no longer kept on the server: choose the file again.",
    }

    def bound_data(self, data, initial):
        # A file field re-renders its initial value, as a browser cannot be given a file back;
        # a kept upload can be offered again, so it is what the widget shows.
        if getattr(data, "kept_token", None):
            return data
        return super().bound_data(data, initial)

    def clean(self, data, initial=None):
        if data is KEPT_UPLOAD_GONE:
            raise ValidationError(self.error_messages["kept_gone"], code="kept_gone")
        return super().clean(data, initial)


def keep_valid_uploads(form):
    """Store each image upload of a form that failed, if the image itself was fine, so the
    re-rendered form can offer it again instead of asking for the file once more."""
    if not form.is_bound:
        return
    for name, field in form.fields.items():
        if not isinstance(field.widget, KeptImageWidget) or name in form.errors:
            continue
        upload = form.cleaned_data.get(name)
        if isinstance(upload, UploadedFile) and not getattr(upload, "kept_token", None):
            upload.kept_token = keep_upload(upload)


class EditorAdmin(admin.ModelAdmin):
    """Records who last edited content (see TrackedModel); every content admin uses it."""

    readonly_fields = ("created_at", "updated_at", "updated_by")
    formfield_overrides = {
        # Addresses typed without a scheme get https:// (Django 6's default; silences its warning).
        models.URLField: {"assume_scheme": "https"},
        models.ImageField: {"form_class": KeptImageField, "widget": KeptImageWidget},
    }

    def get_form(self, request, obj=None, change=False, **kwargs):
        # Staff may sit in any time zone; every date-time here is the association's.
        zone = f"{local_time_label()}."
        help_texts = {
            field.name: f"{zone} {field.help_text}" if field.help_text else zone
            for field in self.model._meta.get_fields()
            if isinstance(field, models.DateTimeField)
        }
        kwargs["help_texts"] = {**help_texts, **kwargs.get("help_texts", {})}
        return super().get_form(request, obj, change, **kwargs)

    # "Updated by" as a plain model field links to the user's admin page, which most staff may
    # not open (a 403); updated_by_link links only for those who may.
    @classmethod
    def _without_user_links(cls, names):
        if names == "updated_by":
            return "updated_by_link"
        if isinstance(names, (list, tuple)):  # a fieldset's fields, or several fields on one line
            return type(names)(cls._without_user_links(name) for name in names)
        return names

    def get_readonly_fields(self, request, obj=None):
        return self._without_user_links(super().get_readonly_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        return [
            (title, {**options, "fields": self._without_user_links(options["fields"])})
            for title, options in super().get_fieldsets(request, obj)
        ]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            user_admin = self.admin_site._registry.get(get_user_model())
            obj._viewer_may_open_users = bool(user_admin and user_admin.has_view_or_change_permission(request))
        return obj

    @admin.display(description="updated by")
    def updated_by_link(self, obj):
        user = obj.updated_by
        if user is None:
            return self.get_empty_value_display()
        if not getattr(obj, "_viewer_may_open_users", False):
            return str(user)
        opts = user._meta
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change", args=[user.pk], current_app=self.admin_site.name
        )
        return format_html('<a href="{}">{}</a>', url, user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "POST":
            keep_valid_uploads(context["adminform"].form)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
        for value in form.cleaned_data.values():
            if getattr(value, "kept_path", None):
                # The saved object has its own copy now; the kept one goes once that is committed.
                transaction.on_commit(partial(discard_kept_upload, value.kept_path))

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
    # update() sends no save signals, so refresh the cached sections and shared pages here.
    bump(*queryset.model.cache_sections)
    page_cache.bump()
    transaction.on_commit(page_cache.bump)
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


# Where a dated item stands now, computed in the query so the list can sort and filter by it.
LIVE, SCHEDULED, EXPIRED, OFF = 1, 2, 3, 4
STATUS_PARAMS = {"live": LIVE, "scheduled": SCHEDULED, "expired": EXPIRED, "off": OFF}


def with_live_status(queryset, switch, starts, ends, now=None):
    now = now or timezone.now()
    return queryset.annotate(
        live_status=Case(
            When(**{switch: False}, then=Value(OFF)),
            When(**{f"{starts}__gt": now}, then=Value(SCHEDULED)),
            When(**{f"{ends}__lte": now}, then=Value(EXPIRED)),
            default=Value(LIVE),
            output_field=IntegerField(),
        )
    )


class LiveStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        labels = model_admin.status_labels
        return [(param, labels[code]) for param, code in STATUS_PARAMS.items()]

    def queryset(self, request, queryset):
        code = STATUS_PARAMS.get(self.value())
        return queryset.filter(live_status=code) if code else queryset


class LiveStatusAdmin(EditorAdmin):
    """Content shown between two dates: a Status column and filter (Live, Scheduled, Expired)."""

    status_fields = ("is_published", "publish_at", "expires_at")
    status_labels = {LIVE: "Live", SCHEDULED: "Scheduled", EXPIRED: "Expired", OFF: "Unpublished"}

    def get_queryset(self, request):
        return with_live_status(super().get_queryset(request), *self.status_fields)

    @admin.display(description="status", ordering="live_status")
    def status(self, obj):
        return self.status_labels[obj.live_status]


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

    def view_on_site(self, obj):
        return "/"

    def changelist_view(self, request, extra_context=None):
        # There is one row of settings: a list of one would only be a click in the way.
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        return redirect("admin:ala_site_sitesettings_change", SiteSettings.current().pk)

    def has_add_permission(self, request):
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SocialLink)
class SocialLinkAdmin(EditorAdmin):
    list_display = ("network", "url", "order")
    list_editable = ("order",)

    def view_on_site(self, obj):
        return obj.url


class ChildLinkInline(admin.TabularInline):
    model = NavLink
    fk_name = "parent"
    fields = ("label", "url", "order", "is_published")
    extra = 1
    verbose_name = "drop-down link"
    verbose_name_plural = "drop-down links"


class TopLevelLinkFilter(admin.SimpleListFilter):
    """Narrow the menu links to one drop-down (its top-level link and the links under it)."""

    title = "top-level link"
    parameter_name = "top"

    def lookups(self, request, model_admin):
        parents = NavLink.objects.filter(parent__isnull=True, children__isnull=False).distinct()
        return [("none", "Top-level links only")] + [
            (str(link.pk), link.label) for link in parents.order_by("menu", "order", "pk")
        ]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(parent__isnull=True)
        if value and value.isdigit():
            return queryset.filter(Q(pk=value) | Q(parent_id=value))
        return queryset


@admin.register(NavLink)
class NavLinkAdmin(EditorAdmin):
    list_display = ("menu_label", "menu", "link", "order", "is_published")
    list_display_links = ("menu_label",)
    list_filter = ("menu", TopLevelLinkFilter, "is_published")
    list_editable = ("order", "is_published")
    list_select_related = ("parent",)
    search_fields = ("label", "url")
    inlines = [ChildLinkInline]
    actions = [publish, unpublish]

    def get_ordering(self, request):
        # Each drop-down link sorts right under its top-level link, in the menu's own order.
        # Expressions, not annotations: the parent link's drop-down on the form uses this too.
        menus = [When(menu=value, then=Value(index)) for index, value in enumerate(NavLink.Menu.values)]
        return (
            Case(*menus, default=Value(len(menus))).asc(),  # top of the page first, as in the menu filter
            Coalesce(F("parent__order"), F("order")).asc(),
            Coalesce(F("parent_id"), F("id")).asc(),
            F("parent_id").asc(nulls_first=True),
            "order",
            "pk",
        )

    @admin.display(description="menu link", ordering="label")
    def menu_label(self, obj):
        if obj.parent_id:
            return format_html(
                '<span class="admin-child-link" title="In the drop-down of {}">'
                '<span aria-hidden="true">↳ </span>{}</span>',
                obj.parent.label,
                obj.label,
            )
        return obj.label

    @admin.display(description="link", ordering="url")
    def link(self, obj):
        return format_html('<span title="{}">{}</span>', obj.url, Truncator(obj.url).chars(36))

    def view_on_site(self, obj):
        return obj.url

    def save_formset(self, request, form, formset, change):
        # Drop-down links belong to the same menu as their parent.
        for child in formset.save(commit=False):
            child.menu = form.instance.menu
            child.updated_by = request.user
            child.save()
        for deleted in formset.deleted_objects:
            deleted.delete()


@admin.register(AlertBanner)
class AlertBannerAdmin(LiveStatusAdmin):
    status_fields = ("is_active", "starts_at", "ends_at")
    status_labels = {**LiveStatusAdmin.status_labels, OFF: "Inactive"}
    list_display = (
        "short_message",
        "level",
        "status",
        "is_active",
        window_column("starts_at", "ends_at"),
    )
    list_filter = (LiveStatusFilter, "is_active", "level")
    search_fields = ("message",)
    actions = ["activate", "deactivate"]

    @admin.display(description="message", ordering="message")
    def short_message(self, obj):
        return Truncator(obj.message).chars(90)

    def view_on_site(self, obj):
        # A banner shows above every page; the landing page is where staff look for it.
        return "/"

    @admin.action(description="Activate selected banners")
    def activate(self, request, queryset):
        set_flag(self, request, queryset, "is_active", True, "activated")

    @admin.action(description="Deactivate selected banners")
    def deactivate(self, request, queryset):
        set_flag(self, request, queryset, "is_active", False, "deactivated")


@admin.register(Promo)
class PromoAdmin(LiveStatusAdmin):
    list_display = (
        "title",
        "preview",
        "slot",
        "status",
        "order",
        window_column("publish_at", "expires_at"),
    )
    # "Published" is no column of its own (Status says "Unpublished", and the bulk actions switch
    # it), so the list fits a 1366 px screen.
    list_filter = (LiveStatusFilter, "slot", "is_published")
    list_editable = ("order",)
    search_fields = ("title", "body")
    actions = [publish, unpublish]
    fieldsets = (
        (None, {"fields": ("slot", "title", "body", "order")}),
        # The image field shows the current image itself (KeptImageWidget).
        ("Image", {"fields": ("image", "image_alt")}),
        ("Call to action", {"fields": ("cta_label", "cta_url")}),
        ("Publishing", {"fields": ("is_published", "publish_at", "expires_at")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    @admin.display(description="image")
    def preview(self, obj):
        return image_preview(obj.image_rendition or obj.image, obj.image_alt)

    def view_on_site(self, obj):
        return "/"


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

    def view_on_site(self, obj):
        return "/"
