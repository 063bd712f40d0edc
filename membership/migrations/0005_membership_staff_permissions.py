from django.db import migrations

from ala_site.groups import ensure_group

GROUP = "Membership staff"


def adjust(apps, schema_editor):
    """Membership staff keep the records (no deleting) and can look up the orders that paid dues."""
    group = ensure_group(apps, GROUP, [])
    Permission = apps.get_model("auth", "Permission")
    group.permissions.remove(
        *Permission.objects.filter(content_type__app_label="membership", codename__startswith="delete_")
    )
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="store", codename__in=["view_order", "view_orderline"])
    )


def restore(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name=GROUP).first()
    if group:
        Permission = apps.get_model("auth", "Permission")
        group.permissions.remove(*Permission.objects.filter(content_type__app_label="store"))


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0004_term_refunded_status"),
        ("store", "0002_store_staff_group"),
    ]

    operations = [migrations.RunPython(adjust, restore)]
