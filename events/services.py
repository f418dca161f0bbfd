"""Writes of exchange events: create, publish, call off, register and unregister parties. Each
checks events.workflow (or who the actor is) and raises a Japanese error for a refused move."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import is_coordinator_or_admin, members_of, party_ids_of
from core.exceptions import PermissionDenied, TransitionError
from notifications.models import NoticeKind
from notifications.services import notify
from organizations.models import Party

from .models import EventRegistration, ExchangeEvent
from .workflow import EXCHANGE_EVENT


@transaction.atomic
def event_create(*, actor, activity_fields=(), publish: bool = False, **data) -> ExchangeEvent:
    if not is_coordinator_or_admin(actor):
        raise PermissionDenied(_("交流の場を作成できるのはコーディネーターだけです。"))
    event = ExchangeEvent(created_by=actor, **data)
    event.status = ExchangeEvent.Status.DRAFT
    if publish:
        event.status, event.published_at, event.published_by = ExchangeEvent.Status.PUBLISHED, timezone.now(), actor
    if event.ends_at and event.ends_at <= event.starts_at:
        raise TransitionError(_("終了日時は開始日時より後にしてください。"))
    event.full_clean()
    event.save()
    event.activity_fields.set(activity_fields)
    return event


@transaction.atomic
def event_publish(*, event: ExchangeEvent, actor) -> ExchangeEvent:
    event = ExchangeEvent.objects.select_for_update().get(pk=event.pk)
    EXCHANGE_EVENT.check(actor, event, "publish")
    event.status, event.published_at, event.published_by = ExchangeEvent.Status.PUBLISHED, timezone.now(), actor
    event.save(update_fields=["status", "published_at", "published_by", "updated_at"])
    return event


@transaction.atomic
def event_cancel(*, event: ExchangeEvent, actor, reason: str) -> ExchangeEvent:
    """A coordinator calls an event off before it starts; the registered parties are told why."""
    event = ExchangeEvent.objects.select_for_update().get(pk=event.pk)
    EXCHANGE_EVENT.check(actor, event, "cancel")
    if not reason.strip():
        raise TransitionError(_("中止の理由を記入してください。"))
    event.status, event.cancelled_at, event.cancelled_by = ExchangeEvent.Status.CANCELLED, timezone.now(), actor
    event.cancel_reason = reason.strip()
    event.save(update_fields=["status", "cancelled_at", "cancelled_by", "cancel_reason", "updated_at"])
    notify(
        recipients=list(members_of(event.registrations.values_list("party_id", flat=True))),
        kind=NoticeKind.SYSTEM,
        title=lambda: _("交流の場「%(title)s」は中止になりました") % {"title": event.title},
        body=event.cancel_reason,
        url=event.get_absolute_url(),
    )
    return event


@transaction.atomic
def event_register(
    *, event: ExchangeEvent, actor, party: Party, role: str = EventRegistration.Role.ATTEND, note: str = ""
):
    """A group or department registers to attend or to present; the capacity is enforced."""
    if party.pk not in party_ids_of(actor):
        raise PermissionDenied(_("所属する団体・担当課としてのみ申し込めます。"))
    event = ExchangeEvent.objects.select_for_update().get(pk=event.pk)
    EXCHANGE_EVENT.check(actor, event, "register")
    if EventRegistration.objects.filter(event=event, party=party).exists():
        raise TransitionError(_("%(name)sは既に申し込んでいます。") % {"name": party.name})
    if event.capacity is not None and event.registrations.count() >= event.capacity:
        raise TransitionError(_("定員（%(n)d）に達したため申し込めません。") % {"n": event.capacity})
    return EventRegistration.objects.create(event=event, party=party, user=actor, role=role, note=note)


@transaction.atomic
def event_cancel_registration(*, registration: EventRegistration, actor):
    if registration.party_id not in party_ids_of(actor) and not is_coordinator_or_admin(actor):
        raise PermissionDenied(_("この申込を取り消す権限がありません。"))
    registration.delete()
