from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "store"
    verbose_name = "Store"

    def ready(self):
        from django.core import checks
        from payments.signals import status_changed

        from . import dashboard, signals
        from .models import Payment

        status_changed.connect(signals.payment_status_changed, sender=Payment, dispatch_uid="store.payment_status")
        checks.register(signals.check_payment_settings, checks.Tags.security, deploy=True)
        dashboard.register()
