"""Exchange events left for the `events` app (events 0001 took over their tables): matching forgets
them and its origin_event fields point there. State only; nothing in the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
        ('listings', '0008_interest_origin_event_in_events'),
        ('proposals', '0004_call_events_in_events'),
        ('matching', '0006_capped_free_text'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name='exchangeevent',
                    name='activity_fields',
                ),
                migrations.RemoveField(
                    model_name='exchangeevent',
                    name='cancelled_by',
                ),
                migrations.RemoveField(
                    model_name='exchangeevent',
                    name='created_by',
                ),
                migrations.RemoveField(
                    model_name='exchangeevent',
                    name='published_by',
                ),
                migrations.AlterField(
                    model_name='historicalmatch',
                    name='origin_event',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='events.exchangeevent', verbose_name='きっかけの交流の場'),
                ),
                migrations.AlterField(
                    model_name='match',
                    name='origin_event',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='matches', to='events.exchangeevent', verbose_name='きっかけの交流の場'),
                ),
                migrations.DeleteModel(
                    name='EventRegistration',
                ),
                migrations.DeleteModel(
                    name='ExchangeEvent',
                ),
            ],
        ),
    ]
