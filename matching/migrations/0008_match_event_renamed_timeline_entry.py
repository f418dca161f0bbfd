"""MatchEvent becomes TimelineEntry (and `match.events` `match.timeline`): "event" is the exchange
event's name. The table is renamed; the content type follows (contenttypes renames it) and so do the
model's permissions, so that grants are kept."""

import django.db.models.deletion
from django.db import migrations, models

ACTIONS = ("add", "change", "delete", "view")


def _rename_permissions(apps, old: str, new: str):
    Permission = apps.get_model("auth", "Permission")
    for action in ACTIONS:
        Permission.objects.filter(content_type__app_label="matching", codename=f"{action}_{old}").update(
            codename=f"{action}_{new}"
        )


def forwards(apps, schema_editor):
    _rename_permissions(apps, "matchevent", "timelineentry")


def backwards(apps, schema_editor):
    _rename_permissions(apps, "timelineentry", "matchevent")


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("matching", "0007_exchange_events_moved_to_events"),
    ]

    operations = [
        migrations.RenameModel("MatchEvent", "TimelineEntry"),
        migrations.AlterField(
            model_name="timelineentry",
            name="match",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="timeline", to="matching.match"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
