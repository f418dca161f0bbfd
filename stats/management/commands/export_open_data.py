from django.core.management.base import BaseCommand

from stats.opendata import export_all


class Command(BaseCommand):
    help = "Write every open-data CSV to the shared storage with its row count and SHA-256 (nightly)."

    def handle(self, *args, **options):
        for record in export_all():
            self.stdout.write(f"{record.name}: {record.rows} rows, sha256 {record.sha256}")
