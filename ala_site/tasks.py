"""Background tasks (django-tasks): the email send, its retries, and what staff see of it in admin.

`ala_site.emails` renders a message and queues `send_email`; a worker sends it. In production the
queue is django-tasks-db's table and `manage.py db_worker` the worker (see the README); in
development and tests the immediate backend runs the task at once, in the process that queued it.

A send that fails is recorded on its task result (status "Failed", with the reason) and, where
the backend can run a task later (`supports_defer`), queued again with a growing delay, up to
MAX_ATTEMPTS in all; each attempt is its own task result. The failure is raised inside the task,
never into the page that queued the message.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib import admin, messages
from django.core import checks
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Waits before the 2nd, 3rd, ... attempt: from a blip to an outage of a few hours. After the last
# attempt the send is given up, shown as such in admin, where staff can send it again.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=6),
]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A mail server that accepts the connection and then says nothing must not hold the worker forever.
SEND_TIMEOUT_SECONDS = 30


class EmailNotSent(Exception):
    """The send failed and is not tried again: all attempts were used, or the backend cannot defer."""


class EmailRetrying(Exception):
    """The send failed and the next attempt is queued (the message says when)."""


class EmailResent(Exception):
    """The send was given up, then queued afresh by staff (its record keeps the original error)."""


@task(takes_context=True)
def send_email(
    context, *, to, subject, body, from_email, reply_to=None, html_body=None, attachments=None, headers=None, attempt=1
):
    """Send one rendered message. Its arguments are what admin shows of it (see EmailTaskResultAdmin)."""
    connection = get_connection(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or SEND_TIMEOUT_SECONDS)
    message = EmailMultiAlternatives(
        subject, body, from_email, to, reply_to=reply_to, headers=headers, connection=connection
    )
    if html_body:
        message.attach_alternative(html_body, "text/html")
    for filename, content, mimetype in attachments or ():
        message.attach(filename, content, mimetype)
    try:
        message.send()
    except Exception as exc:
        fields = {"to": to, "subject": subject, "body": body, "from_email": from_email}
        fields.update(reply_to=reply_to, html_body=html_body)
        if attachments:
            fields["attachments"] = attachments
        if headers:
            fields["headers"] = headers
        raise failed_attempt(context.task_result.task, fields, attempt) from exc
    return {"sent_to": to, "attempt": attempt}


def failed_attempt(this_task, fields, attempt):
    """Queue the next attempt when there is one; returns the exception that records this one."""
    who = f"to {', '.join(fields['to'])}, subject {fields['subject']!r}"
    backend = this_task.get_backend()
    if attempt < MAX_ATTEMPTS and backend.supports_defer:
        run_after = timezone.now() + RETRY_DELAYS[attempt - 1]
        this_task.using(run_after=run_after).enqueue(**fields, attempt=attempt + 1)
        when = timezone.localtime(run_after).strftime("%Y-%m-%d %H:%M %Z")
        reason = f"Email {who} not sent (attempt {attempt} of {MAX_ATTEMPTS}); trying again after {when}."
        logger.warning(reason)
        return EmailRetrying(reason)
    if backend.supports_defer:
        reason = f"Email {who} not sent after {attempt} attempts; gave up (send it again from admin)."
    else:
        reason = f"Email {who} not sent; the {type(backend).__name__} cannot retry later."
    logger.error(reason)
    return EmailNotSent(reason)


def resend(results):
    """Queue a fresh first attempt for each given-up email send; returns how many were queued.

    Each is marked resent in the same transaction, so a second click queues nothing twice.
    """
    queued = 0
    with transaction.atomic():
        given_up = results.select_for_update().filter(task_path=SEND_EMAIL_PATH, exception_class_path=GAVE_UP_PATH)
        for result in given_up:
            send_email.enqueue(**{**result.args_kwargs["kwargs"], "attempt": 1})
            result.exception_class_path = RESENT_PATH
            result.save(update_fields=["exception_class_path"])
            queued += 1
    return queued


SEND_EMAIL_PATH = send_email.module_path
GAVE_UP_PATH = f"{EmailNotSent.__module__}.{EmailNotSent.__qualname__}"
RETRYING_PATH = f"{EmailRetrying.__module__}.{EmailRetrying.__qualname__}"
RESENT_PATH = f"{EmailResent.__module__}.{EmailResent.__qualname__}"


# Admin ------------------------------------------------------------------------------------------


class EmailOutcomeFilter(admin.SimpleListFilter):
    title = "email sends"
    parameter_name = "email"

    def lookups(self, request, model_admin):
        return [
            ("gave_up", "Not sent, given up"),
            ("retrying", "Not sent, will retry"),
            ("waiting", "Waiting to be sent"),
            ("sent", "Sent"),
        ]

    def queryset(self, request, queryset):
        emails = queryset.filter(task_path=SEND_EMAIL_PATH)
        match self.value():
            case "gave_up":
                return emails.filter(status=TaskResultStatus.FAILED, exception_class_path=GAVE_UP_PATH)
            case "retrying":
                return emails.filter(status=TaskResultStatus.FAILED, exception_class_path=RETRYING_PATH)
            case "waiting":
                return emails.filter(Q(status=TaskResultStatus.READY) | Q(status=TaskResultStatus.RUNNING))
            case "sent":
                return emails.filter(status=TaskResultStatus.SUCCESSFUL)
        return queryset


class EmailTaskResultAdmin(DBTaskResultAdmin):
    """django-tasks-db's admin, with each email's recipient, subject and attempt in the list.

    Message bodies carry sign-in and renewal links, so admin shows who and what, never the body.
    """

    list_display = (
        "task_name",
        "email_to",
        "email_subject",
        "email_attempt",
        "status",
        "enqueued_at",
        "display_run_after",
        "finished_at",
    )
    list_filter = (EmailOutcomeFilter, "status", "queue_name")
    search_fields = ("args_kwargs__kwargs__to", "args_kwargs__kwargs__subject")
    actions = ["send_again"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.task_path == SEND_EMAIL_PATH:
            at = fields.index("args_kwargs")
            fields[at : at + 1] = ["email_to", "email_subject", "email_attempt"]
        return fields

    @staticmethod
    def email_field(obj, name):
        if obj.task_path != SEND_EMAIL_PATH:
            return None
        return obj.args_kwargs.get("kwargs", {}).get(name)

    @admin.display(description="to")
    def email_to(self, obj):
        to = self.email_field(obj, "to")
        return ", ".join(to) if to else self.get_empty_value_display()

    @admin.display(description="subject")
    def email_subject(self, obj):
        return self.email_field(obj, "subject") or self.get_empty_value_display()

    @admin.display(description="attempt")
    def email_attempt(self, obj):
        attempt = self.email_field(obj, "attempt")
        return f"{attempt} of {MAX_ATTEMPTS}" if attempt else self.get_empty_value_display()

    @admin.action(description="Send the selected given-up emails again")
    def send_again(self, request, queryset):
        queued = resend(queryset)
        if queued:
            self.message_user(request, f"Queued {queued} email{'s' if queued != 1 else ''} to be sent again.")
        else:
            self.message_user(request, "None of those selected is a given-up email.", messages.WARNING)


# The admin imports `<app>.admin` modules; django-tasks-db's is imported here first so that its
# registration is the one replaced (this module loads with the models, before that autodiscovery).
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
admin.site.register(DBTaskResult, EmailTaskResultAdmin)


# Checks -----------------------------------------------------------------------------------------


@checks.register("tasks", deploy=True)
def check_tasks_backend(app_configs=None, **kwargs):
    """Production queues email for the worker: a backend that cannot run later sends inside the request."""
    from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends

    backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
    if settings.DEBUG or backend.supports_defer:
        return []
    return [
        checks.Warning(
            f"The task backend {type(backend).__name__} runs tasks inside the request: "
            "a slow or down mail server holds up or fails pages.",
            hint="Set TASKS_BACKEND=database and run `manage.py db_worker` (see the README).",
            id="ala_site.W010",
        )
    ]
