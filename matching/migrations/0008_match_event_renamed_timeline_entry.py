"""MatchEvent becomes TimelineEntry (and `match.events` `match.timeline`): "event" is the exchange
event's name. The table is renamed; the content type follows (contenttypes renames it)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
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
    ]
