"""Staff roles are Django groups made by data migrations; this is their shared helper."""

from django.contrib.auth.management import create_permissions


def ensure_group(apps, name, app_models):
    """Create group `name` with add/change/delete/view on each "app_label.model" in app_models.

    Permissions are normally made after migrations run; make them now so the group
    can hold them in a fresh database.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=name)
    for label in app_models:
        app_label, model = label.lower().split(".")
        permissions = Permission.objects.filter(content_type__app_label=app_label, content_type__model=model)
        group.permissions.add(*permissions)
    return group


def remove_group(apps, name):
    apps.get_model("auth", "Group").objects.filter(name=name).delete()
