"""Email: rendered in the request, sent by a background worker, so email never fails a request.

Templates are `<name>_subject.txt` and `<name>.txt` under templates/<app>/email/. Rendering happens
when a message is queued, so a template error shows at once; the send is the `send_email` task
(ala_site.tasks) on the django-tasks queue: in production django-tasks-db's table, worked by
`manage.py db_worker`, which retries a failed send with a growing delay and records every attempt
for staff in admin ("Task results"). A slow or down mail server never holds up or fails a page.

Every email the site sends goes through here: the join, order and donation emails, the renewal
reminders (`send_renewal_reminders`), and later batches such as alert emails and digests. Do not
call django.core.mail directly.

Nothing is sent for a change that is rolled back. With the database queue the task row is written
in the caller's transaction, so it commits or rolls back with the change that caused it (and a
crash between the commit and the queueing cannot lose it). A backend that runs tasks elsewhere or
at once (the immediate one, in development and tests) is handed the task when the transaction
commits, for `send_templated_email_on_commit`; `send_templated_email` hands it over at once.
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks_db import DatabaseBackend

from .tasks import send_email


def render_templated_email(name, context):
    """(subject, body) of the email `name`; SITE_URL is in every template's context."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    body = render_to_string(f"{name}.txt", context)
    return subject, body


def queue_email(
    subject,
    body,
    to,
    *,
    from_email=None,
    reply_to=None,
    html_body=None,
    attachments=None,
    headers=None,
    on_commit=False,
):
    """Queue one rendered message for the worker.

    `attachments` is a list of (filename, content, mimetype), content as text (e.g. an .ics): the
    task's arguments are stored as JSON, so the worker and a resend from admin get them too.

    `headers` are extra message headers as {name: value} (e.g. List-Unsubscribe on alert emails).

    With `on_commit`, a backend that does not keep its queue in this database gets the task only
    once the current transaction commits (the database queue is already transactional).
    """
    fields = {
        "to": [to] if isinstance(to, str) else list(to),
        "subject": subject,
        "body": body,
        "from_email": from_email or settings.DEFAULT_FROM_EMAIL,
        "reply_to": [reply_to] if isinstance(reply_to, str) else reply_to,
        "html_body": html_body,
        "attempt": 1,
    }
    if attachments:
        fields["attachments"] = [[str(name), str(content), str(mimetype)] for name, content, mimetype in attachments]
    if headers:
        fields["headers"] = {str(name): str(value) for name, value in headers.items()}
    if on_commit and not isinstance(send_email.get_backend(), DatabaseBackend):
        transaction.on_commit(lambda: send_email.enqueue(**fields))
    else:
        send_email.enqueue(**fields)


def send_templated_email(name, context, to, **kwargs):
    """Render now and queue the send. Inside a transaction, prefer `send_templated_email_on_commit`."""
    subject, body = render_templated_email(name, context)
    queue_email(subject, body, to, **kwargs)


def send_templated_email_on_commit(name, context, to, **kwargs):
    """Render now and queue the send with the current transaction: a rolled-back change sends nothing."""
    subject, body = render_templated_email(name, context)
    queue_email(subject, body, to, on_commit=True, **kwargs)
