from django.db import migrations

from ala_site.groups import ensure_group, remove_group

GROUP = "Content editors"
MODELS = [
    "ala_site.sitesettings",
    "ala_site.sociallink",
    "ala_site.navlink",
    "ala_site.alertbanner",
    "ala_site.promo",
    "ala_site.quicklinkgroup",
    "ala_site.quicklink",
]


def create_group(apps, schema_editor):
    group = ensure_group(apps, GROUP, MODELS)
    # Editors change the one settings row; they neither add nor delete it.
    group.permissions.remove(*group.permissions.filter(codename__in=["add_sitesettings", "delete_sitesettings"]))


def delete_group(apps, schema_editor):
    remove_group(apps, GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("ala_site", "0002_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
