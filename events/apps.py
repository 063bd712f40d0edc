from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "eLearning and events"

    def ready(self):
        from . import dashboard, receivers  # noqa: F401  (connect the store's payment signals)
        from .templatetags import events_tags  # noqa: F401  (registers the featured event's hero slide)

        dashboard.register()
