from django.db import migrations


def analyse_existing(apps, schema_editor):
    """Rebuild the words and search column of every row: verbs used as nouns (おはなし会) now count as nouns."""
    from core.models import reanalyse_rows

    reanalyse_rows(
        apps.get_model("organizations", "Organization"),
        ("name", "name_kana", "description", "activities_summary"),
        ("name", "description", "activities_summary"),
    )
    reanalyse_rows(
        apps.get_model("organizations", "Department"),
        ("name", "name_kana", "duties", "policies"),
        ("name", "duties", "policies"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("organizations", "0009_search_grams_cost"),
    ]

    operations = [migrations.RunPython(analyse_existing, migrations.RunPython.noop)]
