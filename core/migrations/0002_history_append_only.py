"""On PostgreSQL, history tables refuse UPDATE and DELETE.

This migration installed the trigger until the guards moved to the ops app (ops.history_guards,
#15): core may not import it. ops installs them after every `migrate` (post_migrate), which covers
a fresh database too; `python manage.py install_history_guards` does it by hand.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_security_log_and_data_requests"),
        ("organizations", "0002_reference_data"),
        ("listings", "0002_listing_relations"),
        ("matching", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = []
