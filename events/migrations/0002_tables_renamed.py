"""The exchange event tables take their app's name (their many-to-many table follows), and the content
types (hence the admin's log and any permissions granted on them) move to `events` with their ids."""

from django.db import migrations

MODELS = ("exchangeevent", "eventregistration")


def _move_content_types(apps, source: str, target: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        if not ContentType.objects.filter(app_label=target, model=model).exists():
            ContentType.objects.filter(app_label=source, model=model).update(app_label=target)


def forwards(apps, schema_editor):
    _move_content_types(apps, "matching", "events")


def backwards(apps, schema_editor):
    _move_content_types(apps, "events", "matching")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0001_initial"),
        ("matching", "0007_exchange_events_moved_to_events"),
    ]

    operations = [
        migrations.AlterModelTable(name="eventregistration", table=None),
        migrations.AlterModelTable(name="exchangeevent", table=None),
        migrations.RunPython(forwards, backwards),
    ]
