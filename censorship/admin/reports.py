"""Challenge reports in the admin: for holders of the dedicated permission only.

Every admin here asks for ACCESS_PERMISSION on top of Django's own model permissions, so a staff
user given "view challenge report" by mistake (or any other staff group) still sees nothing: not
the app list entry, not the list, not a report, not an attachment. Superusers hold every
permission. The reporter's answers are shown read-only; staff work a report through its states,
an outcome and internal notes (each recorded with who and when, see ChallengeReport.move_to).
Opening a report or downloading its attachment is recorded (ReportAccess); changes are in the
admin's history as usual.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html

from ..models import ACCESS_PERMISSION, ChallengeReport, ReportAccess, ReportAttachment, ReportNote, ReportStateError


def may_see_reports(request):
    user = request.user
    return bool(user.is_active and user.is_staff and user.has_perm(ACCESS_PERMISSION))


class ConfidentialAdminMixin:
    """Django's permission checks, and the dedicated permission besides."""

    def has_module_permission(self, request):
        return may_see_reports(request) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return may_see_reports(request) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return may_see_reports(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return may_see_reports(request) and super().has_delete_permission(request, obj)


class ReadOnlyInline(ConfidentialAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def person(user):
    return (user.get_full_name() or user.email) if user else "the site"


class NoteInline(ReadOnlyInline):
    model = ReportNote
    fields = ("created_at", "author_name", "kind", "text")
    readonly_fields = fields
    verbose_name_plural = "internal notes and recorded changes"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")

    @admin.display(description="by")
    def author_name(self, note):
        return person(note.author)


class AttachmentInline(ReadOnlyInline):
    model = ReportAttachment
    fields = ("download", "content_type", "file_size", "uploaded_at")
    readonly_fields = fields
    verbose_name_plural = "attachment (confidential: downloads are recorded)"

    @admin.display(description="file")
    def download(self, attachment):
        url = reverse("admin:censorship_challengereport_attachment", args=[attachment.report_id, attachment.pk])
        return format_html('<a href="{}" download>Download “{}”</a>', url, attachment.original_name)

    @admin.display(description="size")
    def file_size(self, attachment):
        return filesizeformat(attachment.size)


class AccessInline(ReadOnlyInline):
    model = ReportAccess
    fields = ("at", "user_name", "action")
    readonly_fields = fields
    verbose_name_plural = "who opened this report or its attachment"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="who")
    def user_name(self, access):
        return person(access.user)


class ReportWorkForm(forms.ModelForm):
    """Staff's work on a report: nothing of the reporter's answers is editable here."""

    new_status = forms.ChoiceField(label="Move to", required=False)
    new_outcome = forms.ChoiceField(
        label="Outcome",
        choices=ChallengeReport.Outcome.choices,
        required=False,
        help_text="What became of the material or service: retained, restricted, removed, or not known yet.",
    )
    note = forms.CharField(
        label="Add an internal note",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Seen only by Intellectual Freedom staff; saved with your name and the time.",
    )

    class Meta:
        model = ChallengeReport
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        report = self.instance
        self.fields["new_status"].choices = [("", f"Keep “{report.get_status_display()}”")] + [
            (status.value, status.label) for status in report.allowed_statuses()
        ]
        self.fields["new_outcome"].initial = report.outcome


@admin.register(ChallengeReport)
class ChallengeReportAdmin(ConfidentialAdminMixin, admin.ModelAdmin):
    form = ReportWorkForm
    list_display = ("reference", "created_at", "subject", "institution_type", "state", "status", "outcome")
    list_filter = ("status", "outcome", "subject", "institution_type", "may_disclose", "state")
    search_fields = ("reference", "material_title", "material_author", "institution_name", "city", "reporter_email")
    date_hierarchy = "created_at"
    list_per_page = 50
    inlines = [NoteInline, AttachmentInline, AccessInline]
    answer_fields = {
        "What happened": (
            "subject",
            "material_title",
            "material_author",
            "material_type",
            "description",
            "occurred_on",
            "date_is_approximate",
        ),
        "Who and why": ("initiator", "initiator_other", "initiator_kind", "reasons", "reason_kinds"),
        "Where": ("institution_type", "institution_name", "city", "state"),
        "Reporter": (
            "reporter_name",
            "reporter_email",
            "reporter_phone",
            "contact_removed_at",
            "may_disclose",
            "help_wanted",
        ),
    }
    state_fields = ("reference", "created_at", "status", "outcome", "status_changed_at", "changed_by")
    readonly_fields = state_fields + tuple(name for names in answer_fields.values() for name in names)

    def get_fieldsets(self, request, obj=None):
        fieldsets = [("Report", {"fields": self.state_fields})]
        fieldsets += [(title, {"fields": names}) for title, names in self.answer_fields.items()]
        if self.has_change_permission(request, obj):
            fieldsets.append(("Staff work", {"fields": ("new_status", "new_outcome", "note")}))
        return fieldsets

    def has_add_permission(self, request):
        # Reports arrive through the public form (staff taking one by phone fill that in too).
        return False

    @admin.display(description="kinds of reasons")
    def reason_kinds(self, report):
        return ", ".join(report.reason_category_labels()) or self.get_empty_value_display()

    @admin.display(description="status changed by")
    def changed_by(self, report):
        return person(report.status_changed_by) if report.status_changed_at else self.get_empty_value_display()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("status_changed_by")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        response = super().change_view(request, object_id, form_url, extra_context)
        report = getattr(response, "context_data", {}).get("original") if request.method == "GET" else None
        if response.status_code == 200 and report is not None:
            ReportAccess.objects.create(report=report, user=request.user, action=ReportAccess.Action.VIEWED)
        return response

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        new_status, outcome, note = data.get("new_status"), data.get("new_outcome"), data.get("note", "").strip()
        if new_status:
            closing = new_status == ChallengeReport.Status.CLOSED
            try:
                obj.move_to(new_status, by=request.user, outcome=outcome if closing or outcome != obj.outcome else None)
            except ReportStateError as error:  # someone else moved it since the page was opened
                messages.error(request, f"The status was not changed: {error}")
            if note:
                obj.add_note(note, by=request.user)
            return
        if outcome and outcome != obj.outcome:
            obj.set_outcome(outcome, by=request.user)
        if note:
            obj.add_note(note, by=request.user)

    def construct_change_message(self, request, form, formsets, add=False):
        # The log says what kind of work was done, never the note's text.
        data = form.cleaned_data
        done = []
        if data.get("new_status"):
            done.append(f"moved to {ChallengeReport.Status(data['new_status']).label}")
        if data.get("new_outcome") and "new_outcome" in form.changed_data:
            done.append("outcome set")
        if data.get("note", "").strip():
            done.append("note added")
        return [{"changed": {"fields": done}}] if done else []

    # The attachment's download ----------------------------------------------------------------

    def get_urls(self):
        download = self.admin_site.admin_view(self.download_attachment)
        return [
            path(
                "<path:object_id>/attachments/<int:attachment_id>/",
                download,
                name="censorship_challengereport_attachment",
            ),
            *super().get_urls(),
        ]

    def download_attachment(self, request, object_id, attachment_id):
        if not self.has_view_permission(request):
            raise PermissionDenied
        report = self.get_object(request, unquote(object_id))
        attachment = report.attachments.filter(pk=attachment_id).first() if report else None
        if attachment is None:
            raise Http404("No such attachment.")
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError:
            messages.error(request, "The attachment's file is missing from the server.")
            raise Http404("The attachment's file is missing.") from None
        ReportAccess.objects.create(report=report, user=request.user, action=ReportAccess.Action.DOWNLOADED)
        response = FileResponse(
            handle, as_attachment=True, filename=attachment.download_name(), content_type=attachment.content_type
        )
        response["X-Content-Type-Options"] = "nosniff"
        add_never_cache_headers(response)  # no-store, private: no shared or browser cache keeps it
        return response
