"""On PostgreSQL, history tables refuse UPDATE and DELETE (see core.history_guards).

History models added by later migrations get the guard from the post_migrate hook or from
`python manage.py install_history_guards`.
"""

from django.db import migrations


def install(apps, schema_editor):
    from core.history_guards import install_history_guards

    install_history_guards(models=apps.get_models(), connection=schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_security_log_and_data_requests"),
        ("organizations", "0002_reference_data"),
        ("listings", "0002_listing_relations"),
        ("matching", "0001_initial"),
        ("projects", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
