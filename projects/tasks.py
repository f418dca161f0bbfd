"""Background jobs of the projects app (django-tasks)."""

from django_tasks import task

from . import services


@task()
def send_follow_up_reminders() -> int:
    """Daily: remind coordinators of follow-ups that have come due."""
    return services.follow_up_send_reminders()
