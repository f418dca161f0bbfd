"""Periodic jobs: run this on every app server; each job runs once per period across all of them.

Once in every `--interval` slot (at its start, or at once when a long pass ran into it) it retries
notice e-mails that have not gone out; once a day (from SCHEDULER_DAILY_HOUR local time) it closes
expired listings, sends the daily digests and runs the other apps' reminder commands. Which
scheduler runs a job, and that it runs once, is decided by core.scheduler (a lock per job and a
record of each run). Each pass also queues a heartbeat task, so /readyz can tell that a worker is
taking tasks. `--once` runs everything due today and exits.
"""

import argparse
import logging
import time

from django.core.management import get_commands
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from core import scheduler
from core.tasks import queue_heartbeat

logger = logging.getLogger(__name__)

JOBS = [
    scheduler.Job("retry_emails", scheduler.FREQUENT),
    scheduler.Job("expire_listings", scheduler.DAILY),
    scheduler.Job("send_digests", scheduler.DAILY),
    scheduler.Job("send_meeting_reminders", scheduler.DAILY),
    scheduler.Job("send_follow_up_reminders", scheduler.DAILY),
    scheduler.Job("purge_security_log", scheduler.DAILY),
    scheduler.Job("export_open_data", scheduler.DAILY),
]


def _positive(value: str) -> int:
    seconds = int(value)
    if seconds < 1:
        raise argparse.ArgumentTypeError("the interval is at least 1 second")
    return seconds


class Command(BaseCommand):
    help = "Run the portal's periodic jobs, once per period across every instance that runs this."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=_positive, default=300, help="seconds between passes (e-mail retries)")
        parser.add_argument("--once", action="store_true", help="run every job due today once and exit")

    def handle(self, *args, interval, once, **options):
        available = get_commands()
        jobs = [job for job in JOBS if job.command in available]
        while True:
            started = timezone.now()
            try:
                queue_heartbeat()
                for run in scheduler.run_due(jobs, interval=interval, force=once):
                    self.stdout.write(f"{run.job} {run.period}: {run.outcome}")
            except Exception:  # the database may be away for a while: try again next pass
                if once:
                    raise
                logger.exception("scheduler pass failed")
            if once:
                return
            close_old_connections()  # as after a request: drop a broken or expired connection
            time.sleep(scheduler.seconds_to_next_pass(started, timezone.now(), interval))
