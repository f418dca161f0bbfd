from django.core.management.base import BaseCommand

from listings.services import listings_expire


class Command(BaseCommand):
    help = "Close every published listing whose period ended before today (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        closed = listings_expire()
        self.stdout.write(f"listings closed: {closed}")
