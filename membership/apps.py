from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "membership"
    verbose_name = "Membership"

    def ready(self):
        from . import dashboard, lockout, receivers  # noqa: F401  (connect the store's payment signals and login failures)

        dashboard.register()
