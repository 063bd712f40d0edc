"""JobLIST in admin: employers, ad products, and the review of ads (approve or reject, each asked
first, from the ad's page or in bulk, recorded with who, when and why); saved searches to look at."""

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
from django.utils.html import format_html_join

from ala_site.admin import EditorAdmin, image_preview

from .models import AdProduct, Employer, JobPosting, JobPostingError, SavedSearch

Status = JobPosting.Status


def _person(user):
    return f"{user.get_full_name() or user.email} <{user.email}>" if user else "—"


def _may_open_users(request):
    from django.contrib.auth import get_user_model

    opts = get_user_model()._meta
    return request.user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


@admin.register(Employer)
class EmployerAdmin(EditorAdmin):
    list_display = ("name", "logo", "location", "website", "contact_count", "posting_count")
    search_fields = ("name", "city", "contacts__email", "contacts__last_name")
    list_filter = ("state",)
    fieldsets = (
        (None, {"fields": ("name", "city", "state", "website")}),
        ("Logo", {"fields": ("image", "image_alt")}),
        ("Accounts that post for this employer", {"fields": ("contacts",)}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(contact_total=Count("contacts", distinct=True), posting_total=Count("postings", distinct=True))
        )

    # Contacts are people's accounts: staff who may look accounts up pick them from a search box;
    # others see who they are (the employers' own postings add them).
    def get_autocomplete_fields(self, request):
        return ("contacts",) if _may_open_users(request) else ()

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if _may_open_users(request) else (*fields, "contact_list")

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if _may_open_users(request):
            return fieldsets
        return [
            (title, {**options, "fields": tuple("contact_list" if f == "contacts" else f for f in options["fields"])})
            for title, options in fieldsets
        ]

    @admin.display(description="logo")
    def logo(self, obj):
        return image_preview(obj.image_rendition or obj.image, obj.image_alt)

    @admin.display(description="contacts", ordering="contact_total")
    def contact_count(self, obj):
        return obj.contact_total

    @admin.display(description="ads", ordering="posting_total")
    def posting_count(self, obj):
        return obj.posting_total

    @admin.display(description="contacts")
    def contact_list(self, obj):
        people = obj.contacts.order_by("email") if obj.pk else []
        return format_html_join(", ", "{}", ((_person(user),) for user in people)) or "—"


@admin.register(AdProduct)
class AdProductAdmin(EditorAdmin):
    list_display = ("name", "days", "price", "member_price", "discounted_types", "is_featured", "is_active", "position")
    list_editable = ("is_active", "position")
    list_filter = ("is_active", "is_featured")
    search_fields = ("name", "description")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("discounted_membership_types",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "description", "days", "is_featured", "is_active", "position")}),
        ("Prices (USD)", {"fields": ("price", "member_price", "discounted_membership_types")}),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("discounted_membership_types")

    @admin.display(description="member price for")
    def discounted_types(self, obj):
        return ", ".join(str(kind) for kind in obj.discounted_membership_types.all()) or "—"


class RejectionForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5, "cols": 70}),
        help_text="Emailed to the employer as you write it, and kept on the ad and in the admin log.",
        error_messages={"required": "Give the employer a reason: they need it to correct the ad."},
    )


class NoReasonForm(forms.Form):
    """Approving asks nothing more than a confirmation."""


REVIEW_DECISIONS = {
    "approve": {
        "title": "Approve",
        "submit": "Approve and publish",
        "form": NoReasonForm,
        "effect": "goes on the board at once, for its product's run, and its employer is emailed.",
    },
    "reject": {
        "title": "Reject",
        "submit": "Reject and email the reason",
        "form": RejectionForm,
        "effect": "goes back to its employer with your reason, by email; they may edit it and resubmit.",
    },
}


@admin.register(JobPosting)
class JobPostingAdmin(EditorAdmin):
    list_display = ("title", "employer_name", "status", "submitted_at", "live_until", "is_featured")
    list_filter = ("status", "library_type", "is_featured", "category", "job_type")
    search_fields = ("title", "employer_name", "city", "posted_by__email")
    autocomplete_fields = ("employer",)
    change_form_template = "joblist/admin/jobposting_change_form.html"
    actions = ["approve_selected", "reject_selected"]
    readonly_fields = (
        "status",
        "poster",
        "submitted_at",
        "paid_at",
        "reviewer",
        "reviewed_at",
        "rejection_reason",
        "reposted_from",
        "created_at",
        "updated_at",
        "updated_by",
    )
    fieldsets = (
        (None, {"fields": ("title", "employer", "ad_product", "is_featured")}),
        ("The job", {"fields": ("city", "state", "workplace", "library_type", "category", "job_type")}),
        ("Salary", {"fields": ("salary_min", "salary_max", "salary_period")}),
        ("Text", {"fields": ("description", "requirements")}),
        ("How to apply", {"fields": ("apply_url", "apply_email", "application_deadline")}),
        (
            "Review and run",
            {
                "fields": (
                    "status",
                    "poster",
                    "submitted_at",
                    "paid_at",
                    "reviewer",
                    "reviewed_at",
                    "rejection_reason",
                    "published_at",
                    "expires_at",
                    "reposted_from",
                )
            },
        ),
        ("History", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def view_on_site(self, obj):
        # The posting page shows only ads that went on the board; anything else would be a 404.
        return obj.get_absolute_url() if obj.status in (Status.PUBLISHED, Status.EXPIRED) else None

    @admin.display(description="live until", ordering="expires_at")
    def live_until(self, obj):
        return obj.valid_through if obj.status == Status.PUBLISHED else None

    @admin.display(description="posted by")
    def poster(self, obj):
        return _person(obj.posted_by)

    @admin.display(description="reviewed by")
    def reviewer(self, obj):
        return _person(obj.reviewed_by)

    # Review: one confirmation page for the ad's buttons and the bulk actions -------------------

    def get_urls(self):
        def wrap(decision):
            def view(request, object_id):
                return self.review_view(request, object_id, decision)

            return self.admin_site.admin_view(view)

        return [
            path(f"<path:object_id>/{decision}/", wrap(decision), name=f"joblist_jobposting_{decision}")
            for decision in REVIEW_DECISIONS
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        posting = self.get_object(request, unquote(object_id))
        extra_context = dict(extra_context or {})
        if posting is not None and posting.status == Status.PENDING and self.has_change_permission(request, posting):
            extra_context["review_actions"] = [
                (choice["title"], reverse(f"admin:joblist_jobposting_{decision}", args=[posting.pk]))
                for decision, choice in REVIEW_DECISIONS.items()
            ]
        return super().change_view(request, object_id, form_url, extra_context)

    def review_view(self, request, object_id, decision):
        """The ad page's Approve or Reject: GET asks, POST does it."""
        posting = self.get_object(request, unquote(object_id))
        if posting is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_change_permission(request, posting):
            raise PermissionDenied
        change_url = reverse("admin:joblist_jobposting_change", args=[posting.pk])
        if posting.status != Status.PENDING:
            self.message_user(request, self._not_waiting(posting), messages.ERROR)
            return redirect(change_url)
        form_class = REVIEW_DECISIONS[decision]["form"]
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            self._review_all(request, [posting], decision, form.cleaned_data.get("reason", ""))
            return redirect(change_url)
        return self._confirmation(request, [posting], decision, form, cancel_url=change_url, original=posting)

    @admin.action(description="Approve the selected ads waiting for review", permissions=["change"])
    def approve_selected(self, request, queryset):
        return self._bulk_review(request, queryset, "approve")

    @admin.action(description="Reject the selected ads waiting for review", permissions=["change"])
    def reject_selected(self, request, queryset):
        return self._bulk_review(request, queryset, "reject")

    def _bulk_review(self, request, queryset, decision):
        postings = list(queryset.order_by("submitted_at", "pk"))
        waiting = [posting for posting in postings if posting.status == Status.PENDING]
        skipped = [self._not_waiting(posting) for posting in postings if posting.status != Status.PENDING]
        if not waiting:
            for refusal in skipped:
                self.message_user(request, refusal, messages.WARNING)
            return None
        confirmed = request.POST.get("confirm") == "yes"
        form_class = REVIEW_DECISIONS[decision]["form"]
        form = form_class(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            self._review_all(request, waiting, decision, form.cleaned_data.get("reason", ""))
            return None
        return self._confirmation(
            request,
            waiting,
            decision,
            form,
            cancel_url=reverse("admin:joblist_jobposting_changelist"),
            bulk=True,
            skipped=skipped,
        )

    def _confirmation(self, request, postings, decision, form, *, cancel_url, bulk=False, skipped=(), original=None):
        choice = REVIEW_DECISIONS[decision]
        count = len(postings)
        context = {
            **self.admin_site.each_context(request),
            "title": f"{choice['title']} {count} ad{'s' if count != 1 else ''}?"
            if bulk
            else f"{choice['title']} “{postings[0]}”?",
            "opts": self.opts,
            "original": original,
            "decision": decision,
            "choice": choice,
            "postings": postings,
            "skipped": skipped,
            "form": form,
            "bulk": bulk,
            "action_name": f"{decision}_selected",
            "selected": [posting.pk for posting in postings],
            "cancel_url": cancel_url,
        }
        return TemplateResponse(request, "joblist/admin/review.html", context)

    def _review_all(self, request, postings, decision, reason):
        """Approve or reject each ad in its own transaction with its log entry; say what happened."""
        done = []
        for posting in postings:
            try:
                with transaction.atomic():
                    if decision == "approve":
                        posting.approve(by=request.user)
                        until = timezone.localtime(posting.expires_at)
                        self.log_change(request, posting, f"Approved: published until {until:%b %-d, %Y}.")
                    else:
                        posting.reject(by=request.user, reason=reason)
                        self.log_change(request, posting, f"Rejected. Reason: {posting.rejection_reason}")
            except JobPostingError as error:  # someone else reviewed it since the page was shown
                self.message_user(request, str(error), messages.ERROR)
                continue
            done.append(f"“{posting}”")
        if done:
            verb = "Approved and published" if decision == "approve" else "Rejected, and the reason emailed:"
            self.message_user(request, f"{verb} {', '.join(done)}.", messages.SUCCESS)

    @staticmethod
    def _not_waiting(posting):
        return f"“{posting}” is {posting.get_status_display().lower()}, not waiting for review: left alone."


@admin.register(SavedSearch)
class SavedSearchAdmin(admin.ModelAdmin):
    """Job seekers' own searches: staff may look (to help someone), never change them."""

    list_display = ("name", "owner", "is_active", "created_at", "last_sent_at")
    list_filter = ("is_active",)
    search_fields = ("name", "user__email")
    list_select_related = ("user",)
    fields = ("name", "owner", "criteria", "is_active", "created_at", "last_sent_at")
    readonly_fields = fields

    @admin.display(description="job seeker", ordering="user__email")
    def owner(self, obj):
        return _person(obj.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
