"""Report a challenge: the public form, stored in one transaction, and the thank-you page.

The reporter gets a copy of their answers by email when they gave an address; Intellectual
Freedom staff get a notice with the reference and a link to the admin, never the report's content
(email passes through servers we do not control).
"""

import logging
import re
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from ala_site.emails import send_templated_email_on_commit
from ala_site.ratelimit import rate_limit

from .models import ACCESS_PERMISSION, ReportAttachment
from .report_forms import ReportForm

logger = logging.getLogger(__name__)

SUBMITTED_SESSION_KEY = "censorship.report_submitted"


def staff_recipients():
    """Addresses told of a new report: active staff holding the dedicated permission (through the
    Intellectual Freedom staff group or on their own), and REPORT_NOTIFY_EMAILS."""
    app_label, codename = ACCESS_PERMISSION.split(".")
    permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    addresses = list(settings.REPORT_NOTIFY_EMAILS)
    if permission is not None:
        holders = get_user_model().objects.filter(
            Q(groups__permissions=permission) | Q(user_permissions=permission), is_active=True, is_staff=True
        )
        addresses += holders.exclude(email="").values_list("email", flat=True).distinct()
    return sorted({address.strip().lower(): address.strip() for address in addresses if address.strip()}.values())


def clean_file_name(name):
    """The reporter's file name, kept only for staff's download: no path, no control characters."""
    name = re.sub(r"[\x00-\x1f\x7f]", "", PurePath(name.replace("\\", "/")).name).strip()
    return name[-150:] or "attachment"


def submit(form):
    """Store the report and its attachment in one transaction and queue its emails."""
    upload = form.cleaned_data.get("attachment")
    attachment = None
    try:
        with transaction.atomic():
            report = form.save()
            if upload:
                attachment = ReportAttachment(
                    report=report,
                    original_name=clean_file_name(upload.name),
                    content_type=upload.detected_content_type,
                    size=upload.size,
                )
                attachment.file.save("upload", upload, save=False)
                attachment.save()
            if report.reporter_email:
                send_templated_email_on_commit(
                    "censorship/email/report_copy",
                    {
                        "report": report,
                        "attachment": attachment,
                        "retention_days": settings.REPORT_CONTACT_RETENTION_DAYS,
                    },
                    report.reporter_email,
                )
            admin_link = settings.SITE_URL + reverse("admin:censorship_challengereport_change", args=[report.pk])
            for address in staff_recipients():
                send_templated_email_on_commit(
                    "censorship/email/report_staff", {"reference": report.reference, "link": admin_link}, address
                )
    except Exception:
        # The row is rolled back; its file must not stay behind on disk.
        if attachment is not None and attachment.file.name:
            attachment.file.storage.delete(attachment.file.name)
        raise
    return report


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@rate_limit("censorship-report", limit=10, period=600)
def report(request):
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        if form.is_valid():
            report = submit(form)
            request.session[SUBMITTED_SESSION_KEY] = {
                "reference": report.reference,
                "emailed": bool(report.reporter_email),
            }
            return redirect("censorship:report_thanks")
    else:
        form = ReportForm()
    context = {"form": form, "max_bytes": settings.REPORT_ATTACHMENT_MAX_BYTES}
    return render(request, "censorship/report.html", context, status=400 if form.is_bound else 200)


@never_cache
@require_safe
def thanks(request):
    """The reference of the report this browser just sent (from its session): nothing else of it."""
    submitted = request.session.get(SUBMITTED_SESSION_KEY)
    if not isinstance(submitted, dict) or not submitted.get("reference"):
        return redirect("censorship:report")
    return render(request, "censorship/report_thanks.html", {"submitted": submitted})
