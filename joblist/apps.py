from django.apps import AppConfig


class JoblistConfig(AppConfig):
    name = "joblist"
    verbose_name = "JobLIST"

    def ready(self):
        from . import dashboard, receivers  # noqa: F401  (connect the store's payment signals)

        dashboard.register()
