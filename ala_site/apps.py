from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


def bump_on_change(sender, **kwargs):
    """Any saved or deleted model that shows in cached sections refreshes them."""
    names = getattr(sender, "cache_sections", ())
    if names:
        from .sections import bump

        bump(*names)


class AlaSiteConfig(AppConfig):
    name = "ala_site"
    verbose_name = "Site content"

    def ready(self):
        from . import checks  # noqa: F401  (registers the deploy checks)

        post_save.connect(bump_on_change, dispatch_uid="ala_site.bump_on_change.save")
        post_delete.connect(bump_on_change, dispatch_uid="ala_site.bump_on_change.delete")
