"""Listing.forms becomes collaboration_forms (a form of the Django kind was the other reading); the
many-to-many table is renamed with it. The API keeps the public name `forms`."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('listings', '0008_interest_origin_event_in_events'),
    ]

    operations = [
        migrations.RenameField(
            model_name='listing',
            old_name='forms',
            new_name='collaboration_forms',
        ),
    ]
