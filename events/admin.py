import csv

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

from ala_site.admin import (
    EXPIRED,
    LIVE,
    OFF,
    SCHEDULED,
    LiveStatusAdmin,
    LiveStatusFilter,
    local_time_label,
    publish,
    set_flag,
    unpublish,
)

from .models import Event, EventTypePrice, Registration, seat_holding

ZONE = local_time_label()


@admin.action(description="Feature selected events on the landing page")
def feature(modeladmin, request, queryset):
    set_flag(modeladmin, request, queryset, "is_featured", True, "featured on the landing page")


@admin.action(description="Stop featuring selected events")
def unfeature(modeladmin, request, queryset):
    set_flag(modeladmin, request, queryset, "is_featured", False, "taken off the landing page")


class EventTypePriceInline(admin.TabularInline):
    model = EventTypePrice
    extra = 0
    fields = ("membership_type", "price")
    verbose_name_plural = "prices for membership types (e.g. free for student members)"


def person_name(user):
    return user.get_full_name() or user.email


def paid_text(registration):
    """Whether the seat is paid for, as staff read it in the list and the export."""
    if registration.status == Registration.Status.REFUNDED:
        return "refunded"
    if registration.price == 0:
        return "free"
    return "yes" if registration.status == Registration.Status.CONFIRMED else "no"


def csv_safe(value):
    # A cell starting with = + - @ is run as a formula by spreadsheets; neutralise it.
    value = str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value


CSV_HEADER = ["event", "starts", "name", "email", "member", "status", "price", "paid", "registered"]


def registrations_csv(registrations, filename):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for registration in registrations.select_related("event", "user").order_by("event__starts_at", "event", "pk"):
        writer.writerow(
            [
                csv_safe(registration.event.title),
                date_format(timezone.localtime(registration.event.starts_at), "Y-m-d H:i"),
                csv_safe(person_name(registration.user)),
                csv_safe(registration.user.email),
                "yes" if registration.was_member else "no",
                registration.get_status_display(),
                registration.price,
                paid_text(registration),
                date_format(timezone.localtime(registration.created_at), "Y-m-d H:i"),
            ]
        )
    return response


class RegistrationInline(admin.TabularInline):
    """Who has registered, read-only: seats change only through registration and the store."""

    model = Registration
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ("name", "email", "status", "was_member", "price", "paid", "created_at")
    readonly_fields = fields
    verbose_name_plural = "registrations"

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="name")
    def name(self, registration):
        return person_name(registration.user)

    @admin.display(description="email")
    def email(self, registration):
        return registration.user.email

    @admin.display(description="paid")
    def paid(self, registration):
        return paid_text(registration)


# Addresses under /events/ that are pages of their own: an event with such a slug could not be opened.
RESERVED_SLUGS = {"past"}


class EventForm(forms.ModelForm):
    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(f"“{slug}” is the address of another page: choose another slug.")
        return slug


@admin.register(Event)
class EventAdmin(LiveStatusAdmin):
    form = EventForm
    status_fields = ("is_published", "starts_at", "ends_at")
    status_labels = {LIVE: "Live", SCHEDULED: "Upcoming", EXPIRED: "Past", OFF: "Unpublished"}
    list_display = (
        "title",
        "kind",
        "starts",
        "status",
        "is_featured",
        "is_published",
        "seats",
    )
    list_editable = ("is_featured", "is_published")
    list_filter = (LiveStatusFilter, "kind", "attendance", "is_featured", "is_published", "organiser")
    search_fields = ("title", "slug", "summary", "description", "organiser", "platform", "venue")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "starts_at"
    actions = [publish, unpublish, feature, unfeature, "export_registrations"]
    inlines = [EventTypePriceInline, RegistrationInline]
    readonly_fields = ("registrations_link", *LiveStatusAdmin.readonly_fields)
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "organiser", "summary", "description")}),
        (
            "When and where",
            {
                "fields": ("starts_at", "ends_at", "attendance", "platform", "joining_url", "venue", "address"),
                "description": f"Times are {ZONE}. An eCourse runs from its first to its last day.",
            },
        ),
        ("Price and seats", {"fields": ("member_price", "non_member_price", "capacity")}),
        (
            "Registration and recordings",
            {"fields": ("registration_opens_at", "registration_closes_at", "on_demand_until", "registrations_link")},
        ),
        ("Image", {"fields": ("image", "image_alt")}),
        ("Publishing", {"fields": ("is_published", "is_featured")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                # Holds that lapsed (unpaid, or a waitlist offer not taken) no longer take a seat.
                seats_taken=Count("registrations", filter=seat_holding(prefix="registrations__"))
            )
        )

    @admin.display(description=f"starts ({ZONE})", ordering="starts_at")
    def starts(self, event):
        return date_format(timezone.localtime(event.starts_at), "SHORT_DATETIME_FORMAT")

    @admin.display(description="seats taken", ordering="seats_taken")
    def seats(self, event):
        return f"{event.seats_taken} / {event.capacity}" if event.capacity else f"{event.seats_taken} (no limit)"

    @admin.display(description="registrations")
    def registrations_link(self, event):
        if not event.pk:
            return "—"
        url = reverse("admin:events_registration_changelist") + f"?event__id__exact={event.pk}"
        export = reverse("admin:events_event_registrations_csv", args=[event.pk])
        return format_html('<a href="{}">See and filter them</a> · <a href="{}">Download as CSV</a>', url, export)

    @admin.action(description="Export the registrations of selected events as CSV")
    def export_registrations(self, request, queryset):
        registrations = Registration.objects.filter(event__in=queryset.values("pk"))
        return registrations_csv(registrations, f"registrations-{timezone.localdate():%Y-%m-%d}.csv")

    def get_urls(self):
        return [
            path(
                "<path:object_id>/registrations.csv",
                self.admin_site.admin_view(self.registrations_csv_view),
                name="events_event_registrations_csv",
            ),
            *super().get_urls(),
        ]

    def registrations_csv_view(self, request, object_id):
        event = self.get_object(request, object_id)
        if event is None:
            raise Http404("No such event.")
        if not self.has_view_or_change_permission(request, event):
            raise PermissionDenied
        return registrations_csv(Registration.objects.filter(event=event), f"registrations-{event.slug}.csv")


class EventWhenFilter(admin.SimpleListFilter):
    """Registrations for events still to come (or under way), or for events that are over."""

    title = "event"
    parameter_name = "event_when"

    def lookups(self, request, model_admin):
        return [("upcoming", "Upcoming or under way"), ("past", "Over")]

    def queryset(self, request, queryset):
        now = timezone.now()
        if self.value() == "upcoming":
            return queryset.filter(event__ends_at__gt=now)
        if self.value() == "past":
            return queryset.filter(event__ends_at__lte=now)
        return queryset


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    """Registrations are read here: seats are taken, paid and freed by registration and the store."""

    list_display = ("name", "email", "event", "status", "was_member", "price", "paid", "created_at")
    list_filter = ("status", EventWhenFilter, "was_member", "event")
    list_select_related = ("event", "user")
    search_fields = ("user__email", "user__first_name", "user__last_name", "event__title")
    search_help_text = "Search by name, email or event title."
    date_hierarchy = "created_at"
    actions = ["export_csv"]
    fields = (
        "event",
        "name",
        "email",
        "status",
        "was_member",
        "price",
        "paid",
        "created_at",
        "confirmed_at",
        "offered_at",
        "cancelled_at",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="name", ordering="user__last_name")
    def name(self, registration):
        return person_name(registration.user)

    @admin.display(description="email", ordering="user__email")
    def email(self, registration):
        return registration.user.email

    @admin.display(description="paid")
    def paid(self, registration):
        return paid_text(registration)

    @admin.action(description="Export selected registrations as CSV", permissions=["view"])
    def export_csv(self, request, queryset):
        return registrations_csv(queryset, f"registrations-{timezone.localdate():%Y-%m-%d}.csv")
