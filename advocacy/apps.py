from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = "Advocacy and news"

    def ready(self):
        from . import dashboard

        dashboard.register()
