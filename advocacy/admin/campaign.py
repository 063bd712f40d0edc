"""Admin for the campaign's actions, the alert subscribers and the alerts staff send them."""

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse

from ala_site.admin import EditorAdmin, publish, unpublish

from ..models import AdvocacyAlert, AlertSubscriber, CampaignAction
from ..tasks import send_advocacy_alert


@admin.register(CampaignAction)
class CampaignActionAdmin(EditorAdmin):
    list_display = ("title", "time_needed", "order", "is_published", "link_url", "updated_at")
    list_display_links = ("title",)
    list_editable = ("order", "is_published")
    list_filter = ("time_needed", "is_published")
    search_fields = ("title", "summary", "link_url")
    actions = [publish, unpublish]
    fields = ("title", "summary", "time_needed", "link_label", "link_url", "order", "is_published")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Kept in the record's history, e.g. “Asked by phone on 3 March”.",
        error_messages={"required": "Say why, for the record."},
    )


@admin.register(AlertSubscriber)
class AlertSubscriberAdmin(admin.ModelAdmin):
    """People's own sign-ups: staff look them up and delete one on request, but never type in a
    subscription (the owner of the address confirms it) nor change its answers."""

    list_display = ("email", "name", "state", "zip_code", "status", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("status", "state")
    search_fields = ("email", "name", "zip_code")
    date_hierarchy = "created_at"
    readonly_fields = (
        "email",
        "name",
        "zip_code",
        "state",
        "topics",
        "status",
        "created_at",
        "sign_up_email_at",
        "confirmed_at",
        "unsubscribed_at",
    )
    fields = readonly_fields

    actions = ["unsubscribe"]

    @admin.display(description="topics")
    def topics(self, obj):
        return ", ".join(obj.interest_labels) or "Every topic"

    def has_add_permission(self, request):
        return False

    def has_unsubscribe_permission(self, request):
        # Staff who may delete a subscriber (a request to be forgotten) may also stop their alerts.
        return self.has_delete_permission(request)

    @admin.action(description="Unsubscribe the selected subscribers", permissions=["unsubscribe"])
    def unsubscribe(self, request, queryset):
        """For someone who asks by phone or letter: confirmed first, with the reason kept in the log."""
        chosen = list(queryset.exclude(status=AlertSubscriber.Status.UNSUBSCRIBED).order_by("email"))
        if not chosen:
            self.message_user(request, "All the selected subscribers are unsubscribed already.", messages.WARNING)
            return None
        confirmed = request.POST.get("confirm") == "yes"
        form = ReasonForm(request.POST if confirmed else None)
        if not (confirmed and form.is_valid()):
            context = {
                **self.admin_site.each_context(request),
                "title": "Unsubscribe these people?",
                "opts": self.model._meta,
                "subscribers": chosen,
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "action": "unsubscribe",
                "form": form,
            }
            return TemplateResponse(request, "advocacy/admin/unsubscribe.html", context)
        reason = form.cleaned_data["reason"]
        for subscriber in chosen:
            with transaction.atomic():
                if subscriber.unsubscribe():
                    self.log_change(request, subscriber, f"Unsubscribed by staff. Reason: {reason}")
        count = len(chosen)
        self.message_user(request, f"Unsubscribed {count} subscriber{'s' if count != 1 else ''}.", messages.SUCCESS)
        return None


@admin.register(AdvocacyAlert)
class AdvocacyAlertAdmin(EditorAdmin):
    list_display = ("subject", "status", "state", "topic", "queued", "send_started_by", "send_started_at", "sent_at")
    list_filter = ("status", "state", "topic")
    search_fields = ("subject", "body")
    actions = ["send_alerts"]
    fields = ("subject", "body", "state", "topic")
    sent_fields = ("status", "send_started_by", "send_started_at", "sent_at", "queued")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("send_started_by").annotate(queued_count=Count("deliveries"))
        )

    @admin.display(description="emails queued", ordering="queued_count")
    def queued(self, obj):
        return obj.queued_count

    def get_fields(self, request, obj=None):
        if obj is not None and obj.status != AdvocacyAlert.Status.DRAFT:
            return (*self.fields, *self.sent_fields)
        return self.fields

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status != AdvocacyAlert.Status.DRAFT:
            # What went out stays as it went out: a sent alert is a record.
            return (*readonly, *self.fields, *self.sent_fields)
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.status != AdvocacyAlert.Status.DRAFT:
            return False
        return super().has_delete_permission(request, obj)

    @admin.action(description="Send the selected alerts to their subscribers", permissions=["change"])
    def send_alerts(self, request, queryset):
        drafts = list(queryset.filter(status=AdvocacyAlert.Status.DRAFT).order_by("pk"))
        if not drafts:
            self.message_user(request, "None of the selected alerts is a draft: nothing to send.", messages.WARNING)
            return None
        if request.POST.get("confirm") != "yes":
            context = {
                **self.admin_site.each_context(request),
                "title": "Send these alerts?",
                "opts": self.model._meta,
                "alerts": [(alert, alert.recipients().count()) for alert in drafts],
                "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
                "action": "send_alerts",
            }
            return TemplateResponse(request, "advocacy/admin/send_alerts.html", context)
        started = []
        for alert in drafts:
            with transaction.atomic():
                if alert.start_sending(by=request.user):
                    self.log_change(request, alert, "Started sending to confirmed subscribers.")
                    # Sent by the worker in batches; `send_advocacy_alerts` finishes a run cut short.
                    transaction.on_commit(lambda pk=alert.pk: send_advocacy_alert.enqueue(pk))
                    started.append(f"“{alert.subject}”")
        if started:
            self.message_user(request, f"Sending {', '.join(started)}.", messages.SUCCESS)
        else:
            self.message_user(request, "Those alerts were already being sent.", messages.WARNING)
        return None
