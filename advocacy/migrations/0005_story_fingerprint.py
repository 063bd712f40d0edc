import hashlib

from django.db import migrations, models


def fingerprint(email, story):
    # A copy of advocacy.models.stories.story_fingerprint as it is now: a migration keeps its own.
    text = f"{email.strip().lower()}\n{' '.join(story.split())}"
    return hashlib.sha256(text.encode()).hexdigest()


def fill(apps, schema_editor):
    """Fingerprint the stories there are; of repeats already stored, the first keeps it (the others
    stay empty, as staff moderate them: nothing is deleted)."""
    Story = apps.get_model("advocacy", "Story")
    seen = set()
    for pk, email, story in Story.objects.order_by("pk").values_list("pk", "email", "story").iterator():
        value = fingerprint(email, story)
        if value not in seen:
            seen.add(value)
            Story.objects.filter(pk=pk).update(fingerprint=value)


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0004_list_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="story",
            name="fingerprint",
            field=models.CharField(editable=False, max_length=64, null=True, unique=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
