from django.db import migrations, models
from django.db.models import F


def date_undated_published_listings(apps, schema_editor):
    """A published listing without a date (none is made so by the services) takes its last change's."""
    Listing = apps.get_model("listings", "Listing")
    Listing.objects.filter(status="published", published_at__isnull=True).update(published_at=F("updated_at"))


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0011_listing_published_newest_index"),
    ]

    operations = [
        migrations.RunPython(date_undated_published_listings, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="listing",
            constraint=models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="listing_published_has_date",
            ),
        ),
    ]
