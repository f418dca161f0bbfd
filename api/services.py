"""Issuing and revoking a user's private calendar URL."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import TransitionError

from .models import CalendarToken


def active_calendar_token(user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()


@transaction.atomic
def issue_calendar_token(*, user) -> CalendarToken:
    """A new URL; the previous one, if any, stops working at once."""
    CalendarToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    return CalendarToken.objects.create(user=user)


@transaction.atomic
def revoke_calendar_token(*, user) -> None:
    revoked = CalendarToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if not revoked:
        raise TransitionError(_("有効なカレンダー購読URLはありません。"))
