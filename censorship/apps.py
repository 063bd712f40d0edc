from django.apps import AppConfig


class CensorshipConfig(AppConfig):
    name = "censorship"
    verbose_name = "Intellectual freedom"

    def ready(self):
        from . import dashboard

        dashboard.register()
