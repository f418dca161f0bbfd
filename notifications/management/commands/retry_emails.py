from django.core.management.base import BaseCommand

from notifications.tasks import retry_pending


class Command(BaseCommand):
    help = "Retry notice e-mails that have not gone out yet (run every few minutes, e.g. from cron)."

    def handle(self, *args, **options):
        sent = retry_pending()
        self.stdout.write(f"e-mails sent: {sent}")
