from django.db import migrations

from organizations.reference import ACTIVITY_FIELDS, COLLABORATION_FORMS


def load(apps, schema_editor):
    ActivityField = apps.get_model("organizations", "ActivityField")
    CollaborationForm = apps.get_model("organizations", "CollaborationForm")
    for number, name, short_name in ACTIVITY_FIELDS:
        ActivityField.objects.update_or_create(number=number, defaults={"name": name, "short_name": short_name})
    for order, (code, name, description, example, aliases) in enumerate(COLLABORATION_FORMS, start=1):
        CollaborationForm.objects.update_or_create(
            code=code,
            defaults={"name": name, "description": description, "example": example, "aliases": aliases, "order": order},
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
