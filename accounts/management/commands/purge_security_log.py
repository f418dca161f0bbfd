import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from accounts.models import SecurityEvent


class Command(BaseCommand):
    help = "Delete security-log entries older than SECURITY_LOG_RETENTION_DAYS (default 400 days)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override SECURITY_LOG_RETENTION_DAYS")

    def handle(self, *args, days=None, **options):
        days = days if days is not None else settings.SECURITY_LOG_RETENTION_DAYS
        if days < 1:
            self.stderr.write("Retention must be at least one day; nothing deleted.")
            return
        cutoff = timezone.now() - datetime.timedelta(days=days)
        deleted, _ = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()
        self.stdout.write(f"Security log: {deleted} entries older than {days} days deleted.")
