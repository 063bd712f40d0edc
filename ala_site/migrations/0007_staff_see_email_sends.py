from django.db import migrations

from ala_site.groups import ensure_group

# Staff who answer members and buyers need to see whether an email went out, and send a
# given-up one again; they never add or delete the queue's records.
GROUPS = ["Membership staff", "Store staff"]
CODENAMES = ["view_dbtaskresult", "change_dbtaskresult"]


def grant(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    for name in GROUPS:
        group = ensure_group(apps, name, [])
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label="django_tasks_database", codename__in=CODENAMES)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*group.permissions.filter(content_type__app_label="django_tasks_database"))


class Migration(migrations.Migration):
    dependencies = [
        ("ala_site", "0006_analytics_from_environment"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
        ("membership", "0005_membership_staff_permissions"),
        ("store", "0002_store_staff_group"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
