"""Creating notices. Every other app notifies people through `notify` only."""

from django.db import transaction

from .models import Notification, NotificationPreference
from .tasks import send_notification_email


def notify(*, recipients, kind: str, title: str, body: str = "", url: str = "") -> list[Notification]:
    """Create an in-portal notice for each recipient and queue its e-mail after the commit.

    The notice is saved first and never depends on the e-mail: a failed e-mail is retried by the
    task and only marks the notice's e-mail status.
    """
    recipients = [u for u in {u.pk: u for u in recipients if u is not None and u.is_active}.values()]
    prefs = dict(
        NotificationPreference.objects.filter(user__in=recipients, kind=kind).values_list("user_id", "delivery")
    )
    notices = []
    for user in recipients:
        delivery = prefs.get(user.pk, NotificationPreference.Delivery.IMMEDIATE)
        status = {
            NotificationPreference.Delivery.IMMEDIATE: Notification.EmailStatus.PENDING,
            NotificationPreference.Delivery.DIGEST: Notification.EmailStatus.DIGEST,
        }.get(delivery, Notification.EmailStatus.NONE)
        notices.append(
            Notification(recipient=user, kind=kind, title=title[:200], body=body, url=url, email_status=status)
        )
    Notification.objects.bulk_create(notices)
    for notice in notices:
        if notice.email_status == Notification.EmailStatus.PENDING:
            transaction.on_commit(lambda pk=notice.pk: send_notification_email.enqueue(pk))
    return notices
