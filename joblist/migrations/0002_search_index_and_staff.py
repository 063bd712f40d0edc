from django.db import migrations

from ala_site.groups import ensure_group, remove_group

GROUP = "JobLIST staff"
MODELS = ["joblist.employer", "joblist.jobposting", "joblist.adproduct", "joblist.savedsearch"]


def create_group(apps, schema_editor):
    group = ensure_group(apps, GROUP, MODELS)
    # Saved searches are job seekers' own: staff may look (to help someone), not change them.
    group.permissions.remove(
        *group.permissions.filter(codename__in=["add_savedsearch", "change_savedsearch", "delete_savedsearch"])
    )


def delete_group(apps, schema_editor):
    remove_group(apps, GROUP)


# The board's keyword search reads the stored vector (see JobPostingQuerySet.search); on SQLite the
# column is unused and there is no index.
def create_search_index(apps, schema_editor):
    # tests/browser/conftest.py re-runs this module's RunPython code without a schema editor, to make
    # the staff group again after a flush; the index survives a flush, so there is nothing to do then.
    if schema_editor is not None and schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS joblist_search_vector_gin ON joblist_jobposting USING gin (search_vector)"
        )


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS joblist_search_vector_gin")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("joblist", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_search_index, drop_search_index),
        migrations.RunPython(create_group, delete_group),
    ]
