from django.db import migrations

from ala_site.groups import ensure_group, remove_group

GROUP = "Advocacy staff"
MODELS = [
    "advocacy.campaignaction",
    "advocacy.advocacyalert",
    "advocacy.alertsubscriber",
    "advocacy.alertdelivery",
    "advocacy.story",
    "advocacy.storyexport",
    "advocacy.article",
]
# Records the site makes from people's own actions: staff look at them (and delete a subscriber
# who asks to be forgotten), but never type one in or change what someone said.
VIEW_ONLY = {
    "add_alertsubscriber",
    "change_alertsubscriber",
    "add_alertdelivery",
    "change_alertdelivery",
    "delete_alertdelivery",
    "add_storyexport",
    "change_storyexport",
    "delete_storyexport",
}


def create_group(apps, schema_editor):
    group = ensure_group(apps, GROUP, MODELS)
    group.permissions.remove(*group.permissions.filter(content_type__app_label="advocacy", codename__in=VIEW_ONLY))


def delete_group(apps, schema_editor):
    remove_group(apps, GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("advocacy", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
