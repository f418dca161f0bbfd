from django.core.management.base import BaseCommand

from ops.history_guards import install_history_guards


class Command(BaseCommand):
    help = "On PostgreSQL, make every django-simple-history table append-only (refuse UPDATE and DELETE)."

    def handle(self, *args, **options):
        tables = install_history_guards()
        if not tables:
            self.stdout.write("Not PostgreSQL (or no history tables): nothing to do.")
            return
        self.stdout.write(f"History guards installed on {len(tables)} tables: {', '.join(tables)}")
