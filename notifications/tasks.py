"""Background e-mail for notices (django-tasks; `manage.py db_worker` runs them)."""

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django_tasks import task

from .models import Notification

MAX_ATTEMPTS = 5


@task()
def send_notification_email(notification_id: int):
    notice = Notification.objects.select_related("recipient").get(pk=notification_id)
    if notice.email_status != Notification.EmailStatus.PENDING:
        return
    notice.email_attempts += 1
    try:
        link = f"\n\n{settings.SITE_URL}{notice.url}" if notice.url else ""
        send_mail(
            f"[{settings.PORTAL_NAME}] {notice.title}",
            f"{notice.body}{link}",
            None,
            [notice.recipient.email],
        )
    except Exception:
        # Keep the notice; retry later unless the attempts are used up.
        if notice.email_attempts >= MAX_ATTEMPTS:
            notice.email_status = Notification.EmailStatus.FAILED
        notice.save(update_fields=["email_attempts", "email_status"])
        raise
    notice.email_status = Notification.EmailStatus.SENT
    notice.emailed_at = timezone.now()
    notice.save(update_fields=["email_attempts", "email_status", "emailed_at"])
