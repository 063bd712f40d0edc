"""The "Intellectual Freedom staff" group: the only staff (besides superusers) who see challenge reports.

It holds the dedicated permission (censorship.access_challenge_reports), without which no report,
note, attachment or access record shows in admin, plus view and change on reports and view/add on
their notes. Nobody but a superuser deletes a report: the record of a challenge is kept.
"""

from django.db import migrations

from ala_site.groups import ensure_group, remove_group

GROUP = "Intellectual Freedom staff"
MODELS = [
    "censorship.challengereport",
    "censorship.reportnote",
    "censorship.reportattachment",
    "censorship.reportaccess",
]
KEPT = [
    "access_challenge_reports",
    "view_challengereport",
    "change_challengereport",
    "view_reportnote",
    "add_reportnote",
    "view_reportattachment",
    "view_reportaccess",
]


def create_group(apps, schema_editor):
    group = ensure_group(apps, GROUP, MODELS)
    group.permissions.remove(*group.permissions.filter(content_type__app_label="censorship").exclude(codename__in=KEPT))


def delete_group(apps, schema_editor):
    remove_group(apps, GROUP)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("censorship", "0002_challenge_reports"),
    ]

    operations = [migrations.RunPython(create_group, delete_group)]
