"""Index of listings' updated_at: the public index's cached counts are keyed by the newest change."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("listings", "0004_listing_published_owner_index")]

    operations = [
        migrations.AddIndex(
            model_name="listing",
            index=models.Index(fields=["updated_at"], name="listing_updated_at_idx"),
        ),
    ]
