"""Admin for library stories (moderation, the CSV export for Congress) and news articles."""

import csv

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format

from ala_site.admin import EditorAdmin, image_preview, publish, unpublish

from ..models import Article, Story, StoryExport
from ..models.stories import STATES, StoryModerationError

# Stories ------------------------------------------------------------------------------------


def csv_safe(value):
    # A cell starting with = + - @ (or a tab or carriage return before one) is run as a formula by
    # spreadsheets: a quote first makes it text.
    value = str(value)
    return f"'{value}" if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


CSV_HEADER = ["name", "library", "city", "state", "zip code", "story", "submitted", "approved"]


def stories_csv(stories, filename):
    """The stories for a congressional office: no email addresses (authors agreed to their story
    going to Congress, not their address)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(CSV_HEADER)
    for story in stories:
        writer.writerow(
            [
                csv_safe(story.name),
                csv_safe(story.library),
                csv_safe(story.city),
                story.state,
                csv_safe(story.zip_code),
                csv_safe(story.story),
                date_format(timezone.localtime(story.submitted_at), "Y-m-d"),
                date_format(timezone.localtime(story.moderated_at), "Y-m-d") if story.moderated_at else "",
            ]
        )
    return response


class RejectForm(forms.Form):
    reason = forms.CharField(
        label="Reason",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept with each story for staff (not sent to the author).",
        error_messages={"required": "Give a reason for rejecting."},
    )


class ExportForm(forms.Form):
    state = forms.ChoiceField(label="State", choices=[("", "Every state")] + STATES, required=False)
    purpose = forms.CharField(
        label="For",
        max_length=200,
        help_text="The congressional office, or why the stories are exported; kept with the export record.",
        error_messages={"required": "Say who the export is for."},
    )


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ("name", "library", "place", "status", "congress_consent", "publish_consent", "submitted_at")
    list_filter = ("status", "congress_consent", "publish_consent", "state")
    search_fields = ("name", "email", "library", "city", "zip_code", "story")
    date_hierarchy = "submitted_at"
    list_select_related = ("moderated_by",)
    actions = ["approve", "reject", "export_for_congress"]
    fieldsets = (
        ("Story", {"fields": ("name", "email", "library", "city", "state", "zip_code", "story")}),
        ("Consents", {"fields": ("congress_consent", "publish_consent")}),
        ("Moderation", {"fields": ("status", "submitted_at", "moderated_at", "moderated_by", "rejection_reason")}),
    )

    # A story is the author's words and choices: staff moderate it with the actions, never rewrite it.
    def get_readonly_fields(self, request, obj=None):
        return [name for _, options in self.fieldsets for name in options["fields"]]

    def has_add_permission(self, request):
        return False

    @admin.display(description="city and state", ordering="state")
    def place(self, story):
        return story.place

    def _moderate_each(self, request, stories, step, done):
        changed = []
        for story in stories:
            try:
                step(story)
            except StoryModerationError as error:
                self.message_user(request, str(error), messages.WARNING)
                continue
            self.log_change(request, story, done)
            changed.append(story)
        if changed:
            count = len(changed)
            self.message_user(request, f"{count} stor{'y' if count == 1 else 'ies'} {done.lower()}", messages.SUCCESS)

    @admin.action(description="Approve the selected stories", permissions=["change"])
    def approve(self, request, queryset):
        self._moderate_each(request, queryset, lambda story: story.approve(by=request.user), "Approved.")

    @admin.action(description="Reject the selected stories (asks for a reason)", permissions=["change"])
    def reject(self, request, queryset):
        stories = list(queryset.exclude(status=Story.Status.REJECTED))
        if not stories:
            self.message_user(request, "The selected stories are already rejected.", messages.WARNING)
            return None
        confirmed = request.POST.get("confirm") == "yes"
        form = RejectForm(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            reason = form.cleaned_data["reason"]
            step = lambda story: story.reject(by=request.user, reason=reason)  # noqa: E731
            self._moderate_each(request, stories, step, f"Rejected. Reason: {reason}")
            return None
        return self._confirmation(request, "Reject these stories?", "reject", stories, form, "Yes, reject them")

    @admin.action(description="Export the selected stories for Congress as CSV (asks first)", permissions=["change"])
    def export_for_congress(self, request, queryset):
        confirmed = request.POST.get("confirm") == "yes"
        form = ExportForm(request.POST if confirmed else None)
        if confirmed and form.is_valid():
            state = form.cleaned_data["state"]
            stories = list(queryset.for_congress(state).order_by("state", "city", "submitted_at", "pk"))
            if not stories:
                self.message_user(request, "None of the selected stories may go to Congress.", messages.WARNING)
                return None
            with transaction.atomic():
                export = StoryExport.objects.create(
                    exported_by=request.user,
                    state=state,
                    purpose=form.cleaned_data["purpose"],
                    story_count=len(stories),
                )
                export.stories.set(stories)
            filename = f"stories-{state.lower() or 'all'}-{timezone.localdate():%Y-%m-%d}.csv"
            return stories_csv(stories, filename)
        selected = list(queryset.order_by("state", "city", "pk"))
        consented = [story for story in selected if story.status == Story.Status.APPROVED and story.congress_consent]
        context = {
            "consented": consented,
            "left_out": len(selected) - len(consented),
        }
        title = "Export stories for Congress?"
        return self._confirmation(
            request, title, "export_for_congress", selected, form, "Yes, download the CSV", extra=context
        )

    def _confirmation(self, request, title, action, stories, form, submit, extra=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.opts,
            "stories": stories,
            "selected": [story.pk for story in stories],
            "action": action,
            "form": form,
            "submit": submit,
            **(extra or {}),
        }
        return TemplateResponse(request, "advocacy/story_admin_action.html", context)


@admin.register(StoryExport)
class StoryExportAdmin(admin.ModelAdmin):
    """The record of each export: read only (made by the export action)."""

    list_display = ("exported_at", "exported_by", "state", "purpose", "story_count")
    list_filter = ("state",)
    list_select_related = ("exported_by",)
    search_fields = ("purpose",)
    fields = ("exported_at", "exported_by", "state", "purpose", "story_count", "story_list")
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="stories")
    def story_list(self, export):
        return "; ".join(str(story) for story in export.stories.all()) or "—"


# News ---------------------------------------------------------------------------------------

DRAFT, SCHEDULED, LIVE = 1, 2, 3
NEWS_STATUS = {DRAFT: "Draft", SCHEDULED: "Scheduled", LIVE: "Published"}


class NewsStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [(str(code), label) for code, label in NEWS_STATUS.items()]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(news_status=int(value)) if value in ("1", "2", "3") else queryset


@admin.register(Article)
class ArticleAdmin(EditorAdmin):
    list_display = ("title", "kind", "publish_at", "status", "preview")
    list_filter = (NewsStatusFilter, "kind", "publish_at")
    search_fields = ("title", "summary", "body")
    prepopulated_fields = {"slug": ("title",)}
    date_hierarchy = "publish_at"
    actions = [publish, unpublish]
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "summary", "body")}),
        ("Image", {"fields": ("image", "image_alt")}),
        ("Publication", {"fields": ("is_published", "publish_at")}),
        ("Record", {"fields": ("created_at", "updated_at", "updated_by")}),
    )

    def get_queryset(self, request):
        now = timezone.now()
        return (
            super()
            .get_queryset(request)
            .annotate(
                news_status=Case(
                    When(is_published=False, then=Value(DRAFT)),
                    When(publish_at__gt=now, then=Value(SCHEDULED)),
                    default=Value(LIVE),
                    output_field=IntegerField(),
                )
            )
        )

    @admin.display(description="status", ordering="news_status")
    def status(self, article):
        return NEWS_STATUS[article.news_status]

    @admin.display(description="image")
    def preview(self, article):
        return image_preview(article.image_rendition, article.image_alt)
