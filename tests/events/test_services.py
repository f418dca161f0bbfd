import datetime

import pytest
from django.utils import timezone

from core.exceptions import PermissionDenied, TransitionError
from demo import factories as f
from events import services
from events.models import EventRegistration
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_coordinators_create_and_publish_events(coordinator, group_member, fields):
    with pytest.raises(PermissionDenied):
        services.event_create(actor=group_member, kind="briefing", title="x", starts_at=timezone.now(), place="x")
    event = services.event_create(
        actor=coordinator,
        kind="presentation",
        title="子ども分野の発表会＆交流会",
        theme="子育て",
        starts_at=timezone.now() + datetime.timedelta(days=10),
        place="市民活動サポートセンター",
        capacity=2,
        activity_fields=[fields[13]],
    )
    assert event.status == "draft" and event.published_at is None
    with pytest.raises(PermissionDenied):
        services.event_publish(event=event, actor=group_member)
    services.event_publish(event=event, actor=coordinator)
    event.refresh_from_db()
    assert event.status == "published"
    assert event.published_by == coordinator and event.published_at is not None  # who and when
    with pytest.raises(TransitionError):
        services.event_publish(event=event, actor=coordinator)
    published_at_once = services.event_create(
        actor=coordinator, kind="briefing", title="説明会", starts_at=event.starts_at, place="市役所", publish=True
    )
    assert published_at_once.published_by == coordinator and published_at_once.published_at is not None


def test_registration_enforces_capacity_membership_and_uniqueness(
    group_member, organization, department_staff, department
):
    event = f.ExchangeEventFactory(capacity=2)
    services.event_register(event=event, actor=group_member, party=organization.party, role="present", note="活動紹介")
    with pytest.raises(TransitionError, match="既に"):
        services.event_register(event=event, actor=group_member, party=organization.party)
    with pytest.raises(PermissionDenied):
        services.event_register(event=event, actor=group_member, party=department.party)
    services.event_register(event=event, actor=department_staff, party=department.party)
    late = f.make_group_member()
    with pytest.raises(TransitionError, match="定員"):
        services.event_register(event=event, actor=late, party=late_party(late))
    assert EventRegistration.objects.filter(event=event).count() == 2


def late_party(user):
    return user.organization_memberships.get().organization.party


def test_registration_is_refused_for_drafts_and_past_events(group_member, organization):
    draft = f.ExchangeEventFactory(status="draft")
    past = f.ExchangeEventFactory(starts_at=timezone.now() - datetime.timedelta(days=1))
    for event in (draft, past):
        with pytest.raises(TransitionError):
            services.event_register(event=event, actor=group_member, party=organization.party)


def test_coordinator_calls_an_event_off_and_the_registered_parties_are_told(
    coordinator, group_member, organization, department_staff, department
):
    event = f.ExchangeEventFactory(title="子ども分野の発表会")
    services.event_register(event=event, actor=group_member, party=organization.party)
    with pytest.raises(PermissionDenied):
        services.event_cancel(event=event, actor=group_member, reason="台風のため")
    with pytest.raises(TransitionError, match="理由"):
        services.event_cancel(event=event, actor=coordinator, reason=" ")
    services.event_cancel(event=event, actor=coordinator, reason="台風接近のため")
    event.refresh_from_db()
    assert event.status == "cancelled" and event.cancelled_by == coordinator and event.cancelled_at
    notice = Notification.objects.get(recipient=group_member, title__contains="中止")
    assert notice.body == "台風接近のため"
    assert not Notification.objects.filter(recipient=department_staff).exists()  # not registered
    with pytest.raises(TransitionError):
        services.event_register(event=event, actor=department_staff, party=department.party)
    with pytest.raises(TransitionError, match="すでに中止"):
        services.event_cancel(event=event, actor=coordinator, reason="再")


def test_an_event_that_has_started_cannot_be_called_off(coordinator):
    past = f.ExchangeEventFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(TransitionError, match="開始日時を過ぎた"):
        services.event_cancel(event=past, actor=coordinator, reason="x")
