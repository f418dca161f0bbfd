"""Background e-mail for notices (django-tasks; `manage.py db_worker` runs them).

A notice is saved before any e-mail is tried, so a failing mail server never loses it: the
notice keeps its e-mail status (送信待ち / まとめて送信) and its attempt count, and
`retry_pending` (`manage.py retry_emails`, which the scheduler runs often) tries again until
MAX_ATTEMPTS, after which it is marked 送信失敗 and stays readable in the portal.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from core.site import absolute_url

from .models import Notification

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def _subject(title: str) -> str:
    return f"[{settings.PORTAL_NAME}] {title}"


def _link(url: str) -> str:
    return absolute_url(url) if url else ""


def deliver_notice(notice_id: int) -> bool:
    """Try one immediate e-mail; record the attempt; True when sent.

    The notice's row is locked while the e-mail goes out and skipped by anyone who finds it locked,
    so a worker and a retry on another server never send the same notice twice.
    """
    with transaction.atomic():
        notice = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notice_id, email_status=Notification.EmailStatus.PENDING)
            .first()
        )
        if notice is None:
            return False
        notice.email_attempts += 1
        try:
            link = _link(notice.url)
            send_mail(
                _subject(notice.title),
                f"{notice.body}\n\n{link}".strip(),
                None,
                [notice.recipient.email],
            )
        except Exception:
            logger.warning("notice e-mail %s failed (attempt %s)", notice.pk, notice.email_attempts, exc_info=True)
            if notice.email_attempts >= MAX_ATTEMPTS:
                notice.email_status = Notification.EmailStatus.FAILED
            notice.save(update_fields=["email_attempts", "email_status"])
            return False
        notice.email_status = Notification.EmailStatus.SENT
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["email_attempts", "email_status", "emailed_at"])
        return True


@task()
def send_notification_email(notification_id: int):
    deliver_notice(notification_id)


def retry_pending(*, limit: int = 500) -> int:
    """Try again every immediate e-mail that has not gone out yet; returns how many were sent."""
    ids = Notification.objects.filter(
        email_status=Notification.EmailStatus.PENDING, email_attempts__lt=MAX_ATTEMPTS
    ).values_list("pk", flat=True)[:limit]
    return sum(deliver_notice(pk) for pk in list(ids))


def send_digests() -> int:
    """One e-mail per user collecting their DIGEST notices; returns how many e-mails were sent.

    Each user's notices are locked while their digest goes out and marked sent with it, so a second
    run (the same day, or at once on another server) finds nothing left to send. A failed digest
    keeps its notices in まとめて送信 for the next run (attempts are counted).
    """
    waiting = Notification.objects.filter(email_status=Notification.EmailStatus.DIGEST, email_attempts__lt=MAX_ATTEMPTS)
    sent = 0
    for user_id in list(waiting.values_list("recipient_id", flat=True).distinct().order_by("recipient_id")):
        with transaction.atomic():
            notices = list(
                waiting.filter(recipient_id=user_id)
                .select_for_update(skip_locked=True, of=("self",))
                .select_related("recipient")
                .order_by("created_at", "id")
            )
            if notices and _send_digest(notices):
                sent += 1
    return sent


def _send_digest(notices: list[Notification]) -> bool:
    user = notices[0].recipient
    ids = [n.pk for n in notices]
    lines = [f"・{n.title}\n  {_link(n.url)}".rstrip() for n in notices]
    body = "\n".join(
        [
            _("%(name)s 様") % {"name": user},
            "",
            _("本日のお知らせは %(n)s 件です。") % {"n": len(notices)},
            "",
            *lines,
        ]
    )
    try:
        send_mail(_subject(_("本日のお知らせ（%(n)s件）") % {"n": len(notices)}), body, None, [user.email])
    except Exception:
        logger.warning("digest for user %s failed", user.pk, exc_info=True)
        Notification.objects.filter(pk__in=ids).update(email_attempts=F("email_attempts") + 1)
        return False
    Notification.objects.filter(pk__in=ids).update(
        email_status=Notification.EmailStatus.SENT,
        emailed_at=timezone.now(),
        email_attempts=F("email_attempts") + 1,
    )
    return True
