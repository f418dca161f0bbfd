"""Interest.origin_event points at the exchange event in its new app (state only: the table is the same)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
        ('listings', '0007_capped_free_text'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='interest',
                    name='origin_event',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='interests', to='events.exchangeevent', verbose_name='きっかけの交流の場'),
                ),
            ],
        ),
    ]
