"""Tasks of the shared base: a heartbeat that shows a worker is taking tasks (/readyz reads it)."""

from django.conf import settings
from django.utils import timezone
from django_tasks import task

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
HEARTBEAT_JOB = "worker_heartbeat"
HEARTBEAT_PERIOD = "latest"


def uses_database_queue() -> bool:
    return settings.TASKS["default"]["BACKEND"] == DATABASE_BACKEND


@task()
def worker_heartbeat() -> None:
    """Record that a worker ran a task now (one row, kept current, read by its unique key)."""
    from core.models import JobRun
    from core.scheduler import instance_name

    now = timezone.now()
    JobRun.objects.update_or_create(
        job=HEARTBEAT_JOB,
        period=HEARTBEAT_PERIOD,
        defaults={"instance": instance_name(), "started_at": now, "finished_at": now},
    )


def queue_heartbeat() -> None:
    """Queue a heartbeat unless one is already waiting (a stopped worker must not pile them up)."""
    if not uses_database_queue():
        return
    from django_tasks_db.models import DBTaskResult

    if not DBTaskResult.objects.ready().filter(task_path=worker_heartbeat.module_path).exists():
        worker_heartbeat.enqueue()


def worker_last_seen():
    """When a worker last ran the heartbeat (None if never)."""
    from core.models import JobRun

    run = JobRun.objects.filter(job=HEARTBEAT_JOB, period=HEARTBEAT_PERIOD).only("finished_at").first()
    return run.finished_at if run else None
