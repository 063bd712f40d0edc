from django.db import migrations

from ala_site.groups import ensure_group, remove_group

GROUP = "Store staff"
MODELS = ["store.category", "store.product", "store.order", "store.orderline", "store.payment"]


def create_group(apps, schema_editor):
    group = ensure_group(apps, GROUP, MODELS)
    # Orders, their lines and payments are records: staff view them and change an order's state
    # (offline payment, refund), but never add or delete them by hand.
    frozen = ["add_order", "delete_order", "add_orderline", "change_orderline", "delete_orderline"]
    frozen += ["add_payment", "change_payment", "delete_payment"]
    group.permissions.remove(*group.permissions.filter(content_type__app_label="store", codename__in=frozen))


def delete_group(apps, schema_editor):
    remove_group(apps, GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("store", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
