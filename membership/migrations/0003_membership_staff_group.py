from django.db import migrations

from ala_site.groups import ensure_group, remove_group

GROUP = "Membership staff"
MODELS = ["membership.membershiptype", "membership.membership", "membership.membershipterm", "membership.donation"]


def create_group(apps, schema_editor):
    group = ensure_group(apps, GROUP, MODELS)
    # Membership staff look people up; they do not edit accounts or passwords.
    Permission = apps.get_model("auth", "Permission")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="membership", codename="view_user"))


def delete_group(apps, schema_editor):
    remove_group(apps, GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("membership", "0002_memberships_and_donations"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
