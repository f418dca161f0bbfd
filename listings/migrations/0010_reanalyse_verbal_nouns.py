from django.db import migrations


def analyse_existing(apps, schema_editor):
    """Rebuild the words and search column of every row: verbs used as nouns (おはなし会) now count as nouns."""
    from core.models import reanalyse_rows

    fields = ("title", "body", "problem")
    reanalyse_rows(apps.get_model("listings", "Listing"), fields, fields)


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0009_listing_collaboration_forms"),
    ]

    operations = [migrations.RunPython(analyse_existing, migrations.RunPython.noop)]
