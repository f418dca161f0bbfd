"""The paper's options (Musashino's 図表), so the first survey offers exactly those."""

from django.db import migrations

from surveys.questions import DEFAULT_OPTIONS


def load(apps, schema_editor):
    SurveyOption = apps.get_model("surveys", "SurveyOption")
    SurveyOption.objects.bulk_create(
        [
            SurveyOption(question=question, label=label, order=i)
            for question, labels in DEFAULT_OPTIONS.items()
            for i, label in enumerate(labels, 1)
        ]
    )


def unload(apps, schema_editor):
    apps.get_model("surveys", "SurveyOption").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_survey_models")]
    operations = [migrations.RunPython(load, unload)]
