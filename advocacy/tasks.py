"""Background work: an advocacy alert's sending, in batches (queued by the admin action)."""

from django_tasks import task


@task()
def send_advocacy_alert(alert_pk):
    """Queue the alert's emails batch by batch; a run cut short is finished by `send_advocacy_alerts`."""
    from .models import AdvocacyAlert

    alert = AdvocacyAlert.objects.filter(pk=alert_pk).first()
    if alert is None:
        return 0
    return alert.send_all()
