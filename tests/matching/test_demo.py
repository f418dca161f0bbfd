import pytest
from django.core.management import call_command

from matching.models import EventRegistration, ExchangeEvent, Match, MatchEvent, Meeting

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
    assert MatchEvent.objects.filter(coordinator_only=True).exists()
    assert ExchangeEvent.objects.filter(status="published").count() >= 14
    assert EventRegistration.objects.exists()
    assert Match.objects.filter(origin_event__isnull=False).exists()
