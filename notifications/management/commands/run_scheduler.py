"""Periodic jobs for a single-server install: `make run` starts this next to `db_worker`.

Every few minutes it retries notice e-mails that have not gone out; once a day (at DAILY_HOUR local
time, or on start if today's run is missing) it closes expired listings, sends the daily digests and
runs the other apps' reminder commands. On a server with cron, run the same commands from cron
instead and leave this out (`--once` runs everything once and exits).
"""

import time

from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.utils import timezone

FREQUENT = ["retry_emails"]
DAILY = ["expire_listings", "send_digests", "send_meeting_reminders", "send_follow_up_reminders"]
DAILY_HOUR = 7


class Command(BaseCommand):
    help = "Run the portal's periodic jobs (e-mail retries every few minutes, daily digests and reminders)."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=int, default=300, help="seconds between e-mail retries")
        parser.add_argument("--once", action="store_true", help="run every job once and exit")

    def handle(self, *args, interval, once, **options):
        available = get_commands()
        last_daily = None
        while True:
            self._run([c for c in FREQUENT if c in available])
            now = timezone.localtime()
            if once or (last_daily != now.date() and now.hour >= DAILY_HOUR):
                self._run([c for c in DAILY if c in available])
                last_daily = now.date()
            if once:
                return
            time.sleep(interval)

    def _run(self, commands):
        for name in commands:
            try:
                call_command(name, stdout=self.stdout)
            except Exception as exc:  # one failing job must not stop the others
                self.stderr.write(f"{name} failed: {exc}")
