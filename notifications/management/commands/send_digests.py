from django.core.management.base import BaseCommand

from notifications.tasks import send_digests


class Command(BaseCommand):
    help = "Send each user one e-mail collecting their digest notices (run daily, e.g. from cron)."

    def handle(self, *args, **options):
        sent = send_digests()
        self.stdout.write(f"digests sent: {sent}")
