"""Intellectual Freedom staff also keep the public content: the figures per year, the
most-challenged books and the book résumés (add, change, delete, view)."""

from django.db import migrations

from ala_site.groups import ensure_group

GROUP = "Intellectual Freedom staff"
MODELS = [
    "censorship.censorshipyear",
    "censorship.challengedbook",
    "censorship.bookresume",
    "censorship.resumereview",
    "censorship.resumerecognition",
    "censorship.resumeretention",
    "censorship.resumeresource",
]


def grant(apps, schema_editor):
    ensure_group(apps, GROUP, MODELS)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    models = [label.split(".")[1] for label in MODELS]
    permissions = Permission.objects.filter(content_type__app_label="censorship", content_type__model__in=models)
    for group in Group.objects.filter(name=GROUP):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("censorship", "0004_search_index"),
    ]

    operations = [
        migrations.RunPython(grant, revoke),
    ]
