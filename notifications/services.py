"""Creating notices. Every other app notifies people through `notify` only."""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import PermissionDenied
from core.i18n import Text, in_both_languages

from .models import NoticeKind, Notification, NotificationPreference
from .tasks import send_notification_email

UNREAD_CACHE_SECONDS = 60 * 60


def _unread_key(user_id: int) -> str:
    return f"notices:unread:{user_id}"


def unread_count(user) -> int:
    """The user's unread notices, counted once and kept in the shared cache until one of their
    notices is created, read or deleted (every such write goes through this module)."""
    key = _unread_key(user.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        cache.set(key, count, UNREAD_CACHE_SECONDS)
    return count


def forget_unread(user_ids) -> None:
    """Drop the cached counts now and again after the commit, so that a request counting in between
    (before the write is visible to it) cannot keep an old count."""
    keys = [_unread_key(pk) for pk in user_ids]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


def forget_unread_of_notice(sender, instance, **kwargs) -> None:
    """post_save/post_delete of a Notification (connected in apps.py): writes that bypass the
    services (admin, factories, a deleted user's notices) keep the count right too."""
    forget_unread([instance.recipient_id])


def notify(*, recipients, kind: str, title: Text, body: Text = "", url: str = "") -> list[Notification]:
    """Create an in-portal notice for each recipient and queue its e-mail after the commit.

    Title and body are callables composing the text with gettext (stored in Japanese and in English,
    each reader sees their language), or plain text. The notice is saved first and never depends on
    the e-mail: a failed e-mail is retried by the task and only marks the notice's e-mail status.
    """
    title, title_en = in_both_languages(title)
    body, body_en = in_both_languages(body)
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
            Notification(
                recipient=user,
                kind=kind,
                title=title[:200],
                title_en=title_en[:200],
                body=body,
                body_en=body_en,
                url=url,
                email_status=status,
            )
        )
    Notification.objects.bulk_create(notices)
    forget_unread([user.pk for user in recipients])
    for notice in notices:
        if notice.email_status == Notification.EmailStatus.PENDING:
            transaction.on_commit(lambda pk=notice.pk: send_notification_email.enqueue(pk))
    return notices


@transaction.atomic
def notice_mark_read(*, user, notice: Notification) -> Notification:
    """Mark one of the user's own notices read (read again is harmless: the first time is kept)."""
    if notice.recipient_id != user.pk:
        raise PermissionDenied(_("他の利用者のお知らせは操作できません。"))
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
    return notice


@transaction.atomic
def notices_mark_all_read(*, user) -> int:
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    forget_unread([user.pk])
    return marked


@transaction.atomic
def preferences_set(*, user, deliveries: dict[str, str]) -> None:
    """Store how the user receives each kind of notice (immediate e-mail, daily digest, portal only)."""
    valid = set(NotificationPreference.Delivery.values)
    for kind, delivery in deliveries.items():
        if kind not in NoticeKind.values or delivery not in valid:
            raise ValueError(f"unknown notice kind or delivery: {kind}={delivery}")
        NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


def preferences_of(user) -> dict[str, str]:
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "delivery"))
    return {kind: stored.get(kind, NotificationPreference.Delivery.IMMEDIATE) for kind in NoticeKind.values}
