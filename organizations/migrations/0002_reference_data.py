from django.db import migrations

from organizations.reference import load_reference_data


def load(apps, schema_editor):
    load_reference_data(apps.get_model("organizations", "ActivityField"), apps.get_model("organizations", "CollaborationForm"))


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
