"""Emails from templates: `<name>_subject.txt` and `<name>.txt` under templates/<app>/email/."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def send_templated_email(name, context, to, **kwargs):
    """Render and send at once. Inside a transaction, prefer `send_templated_email_on_commit`."""
    context = {"SITE_URL": settings.SITE_URL, **context}
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    body = render_to_string(f"{name}.txt", context)
    recipients = [to] if isinstance(to, str) else list(to)
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, **kwargs)


def send_templated_email_on_commit(name, context, to, **kwargs):
    """Send once the current transaction commits, so a rolled-back change sends nothing."""
    transaction.on_commit(lambda: send_templated_email(name, context, to, **kwargs))
