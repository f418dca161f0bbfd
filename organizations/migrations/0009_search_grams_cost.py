from django.db import migrations

from core.search import GRAMS_FUNCTION_COST_SQL


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(GRAMS_FUNCTION_COST_SQL)


class Migration(migrations.Migration):
    """Databases created before the function declared its cost (see core.search)."""

    dependencies = [("organizations", "0008_capped_free_text")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop, elidable=False)]
