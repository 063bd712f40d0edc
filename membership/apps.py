from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = "Membership"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the store's payment signals)
