"""Background work of the matching app (django-tasks; `manage.py db_worker` runs it)."""

from django_tasks import task


@task()
def send_meeting_reminders_task() -> int:
    """The day-before reminders; safe to run as often as wanted (reminder_sent_at)."""
    from .services import send_meeting_reminders

    return send_meeting_reminders()
