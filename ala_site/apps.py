from axes import apps as axes_apps
from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def bump_on_change(sender, **kwargs):
    """Any saved or deleted model that shows in cached sections refreshes them."""
    names = getattr(sender, "cache_sections", ())
    if names:
        from django.db import transaction

        from .sections import bump

        bump(*names)
        # Again on commit: a section rendered meanwhile from the old rows under the new version
        # would otherwise be served until it times out.
        transaction.on_commit(lambda: bump(*names))


class AlaSiteConfig(AppConfig):
    name = "ala_site"
    verbose_name = "Site content"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)

        post_save.connect(bump_on_change, dispatch_uid="ala_site.bump_on_change.save")
        post_delete.connect(bump_on_change, dispatch_uid="ala_site.bump_on_change.delete")

        from .page_cache import bump_on_change as renew_pages

        post_save.connect(renew_pages, dispatch_uid="ala_site.page_cache.save")
        post_delete.connect(renew_pages, dispatch_uid="ala_site.page_cache.delete")


class LoginLockoutsConfig(axes_apps.AppConfig):
    """django-axes under a name staff understand (its own is "Axes"); INSTALLED_APPS names this."""

    # Not the default config of ala_site itself (Django picks an app's default from its apps.py).
    default = False
    verbose_name = "Login lockouts"
