"""Periodic jobs that run once per cluster, whichever instance's `run_scheduler` gets there first.

Every job has a period: the local day for daily jobs, the interval slot for frequent ones. To run a
job a scheduler takes the job's PostgreSQL advisory lock (held by its database session, so a crashed
scheduler releases it the moment its connection drops), then claims the job's row for the period
(`core.models.JobRun`, unique per job and period): a finished row means the job is done for that
period; an unfinished row whose lock was free means its runner died, so this one takes it over. On
SQLite (`make run`: one process) there is nothing to lock against and the row alone decides.
"""

import io
import logging
import os
import socket
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.models import JobRun

logger = logging.getLogger(__name__)

DAILY = "daily"
FREQUENT = "frequent"


@dataclass(frozen=True)
class Job:
    command: str  # a management command
    every: str  # DAILY or FREQUENT


def instance_name() -> str:
    """This process as the run records name it: the configured instance (or host) and the pid."""
    return f"{settings.INSTANCE_NAME or socket.gethostname()}:{os.getpid()}"


def period_of(job: Job, *, now, interval: int, force: bool = False) -> str | None:
    """The period `now` falls in, or None while a daily job is not due yet (before the daily hour)."""
    if job.every == FREQUENT:
        return f"{interval}s-{int(now.timestamp()) // interval}"
    local = timezone.localtime(now)
    if local.hour < settings.SCHEDULER_DAILY_HOUR and not force:
        return None
    return local.date().isoformat()


def seconds_to_next_pass(started, now, interval: int) -> float:
    """How long to sleep after a pass that began at `started` and ended at `now`.

    A pass ending in the slot it began in sleeps to the next slot's start; one that ran into a later
    slot starts again at once, so that slot gets its pass too. (Sleeping a whole interval after each
    pass drifted by the pass's length until a slot had none.)
    """
    if int(now.timestamp()) // interval != int(started.timestamp()) // interval:
        return 0.0
    return interval - now.timestamp() % interval + 0.05


@contextmanager
def job_lock(name: str) -> Iterator[bool]:
    """Hold the job's advisory lock for the block; yields False when another scheduler holds it."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = zlib.crc32(f"kyodo.scheduler.{name}".encode())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


def _claim(job: Job, period: str, instance: str) -> JobRun | None:
    """The row this scheduler may run the job under, or None when the period is already done."""
    now = timezone.now()
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.command, period=period, instance=instance, started_at=now)
    except IntegrityError:
        pass
    run = JobRun.objects.get(job=job.command, period=period)
    if run.finished_at is not None:
        return None
    logger.warning("taking over %s %s left unfinished by %s", job.command, period, run.instance)
    run.instance, run.started_at, run.attempts = instance, now, run.attempts + 1
    run.save(update_fields=["instance", "started_at", "attempts"])
    return run


def run_job(job: Job, *, period: str, instance: str | None = None) -> JobRun | None:
    """Run the job for the period unless it ran (or is running elsewhere); the finished row or None."""
    instance = instance or instance_name()
    with job_lock(job.command) as acquired:
        if not acquired:
            return None
        run = _claim(job, period, instance)
        if run is None:
            return None
        out = io.StringIO()
        try:
            call_command(job.command, stdout=out)
            run.outcome = out.getvalue().strip()[-500:]
        except Exception as exc:  # one failing job must not stop the others; the record says why
            logger.exception("periodic job %s failed", job.command)
            run.outcome = f"failed: {exc}"[:500]
        run.finished_at = timezone.now()
        run.save(update_fields=["outcome", "finished_at"])
        return run


def run_due(jobs: list[Job], *, interval: int, force: bool = False) -> list[JobRun]:
    """Run every job that is due now and not yet run for its period; the runs this process made."""
    now = timezone.now()
    runs = []
    for job in jobs:
        period = period_of(job, now=now, interval=interval, force=force)
        if period is not None and (run := run_job(job, period=period)) is not None:
            runs.append(run)
    return runs
