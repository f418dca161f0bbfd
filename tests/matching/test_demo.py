import zoneinfo

import pytest
from django.core.management import call_command

from events.models import EventRegistration, ExchangeEvent
from matching.models import Match, Meeting, TimelineEntry

pytestmark = pytest.mark.django_db


def test_demo_has_matches_in_every_stage_with_meetings_timelines_and_events():
    call_command("seed_demo")

    assert 450 <= Match.objects.count() <= 520
    assert set(Match.objects.values_list("stage", flat=True)) == set(Match.Stage.values)
    assert all(m.participants.count() >= 2 for m in Match.objects.all()[:50])
    assert not Match.objects.filter(stage="failed", failure_reason="").exists()
    held = Meeting.objects.filter(status="held")
    assert held.exists() and not held.filter(minutes="").exists()
    assert held.filter(action_items__isnull=False).exists()
    # Nothing past 事前打ち合わせ without a held meeting, as the services would require.
    past_meeting = Match.objects.filter(stage__in=["negotiating", "established"])
    assert not past_meeting.exclude(meetings__status="held").exists()
    assert TimelineEntry.objects.filter(coordinator_only=True).exists()
    assert ExchangeEvent.objects.filter(status="published").count() >= 14
    assert EventRegistration.objects.exists()
    assert Match.objects.filter(origin_event__isnull=False).exists()


def test_demo_events_and_meetings_fall_in_office_hours_in_tokyo():
    """Times are stored in UTC; in Asia/Tokyo every demo event starts at 14:00 and every meeting
    between 9:00 and 19:00, never late at night."""
    call_command("seed_demo")
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    starts = [e.starts_at.astimezone(tokyo) for e in ExchangeEvent.objects.all()]
    assert starts and {(s.hour, s.minute) for s in starts} == {(14, 0)}
    ends = [e.ends_at.astimezone(tokyo) for e in ExchangeEvent.objects.all()]
    assert all(e.hour <= 18 for e in ends)
    meetings = [m.starts_at.astimezone(tokyo) for m in Meeting.objects.all()]
    assert meetings and all(9 <= m.hour <= 19 for m in meetings)
