"""Call.events points at the exchange event in its new app (state only: the tables are the same)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0001_initial'),
        ('proposals', '0003_call_groups_only'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name='call',
                    name='events',
                    field=models.ManyToManyField(blank=True, related_name='proposal_calls', to='events.exchangeevent', verbose_name='この公募の説明会・意見交換会'),
                ),
            ],
        ),
    ]
