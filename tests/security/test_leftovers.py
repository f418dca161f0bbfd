"""Left from the last round: withdrawing a 変更確認書, double submissions stored once, 不成立 calls off the
match's future meetings, meeting_cancel locks the meeting."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.exceptions import PermissionDenied, TransitionError
from demo import factories as f
from listings.models import Interest
from matching import services as matching
from matching.models import Match, MatchParticipant, Meeting
from projects import services
from projects.models import Agreement, CheckIn
from tests.projects.conftest import agree, people, project  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def _started_with_change(project, people):  # noqa: F811
    agreement = agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    return agreement, services.agreement_amend(
        actor=people.coordinator, agreement=agreement, change_reason="誤って作成"
    )


# --- 変更確認書 made by mistake -----------------------------------------------------------------


def test_coordinator_withdraws_a_change_made_by_mistake_and_the_fixed_version_stays(client, project, people):  # noqa: F811
    fixed, change = _started_with_change(project, people)
    client.force_login(people.coordinator)
    page = client.get(reverse("projects:agreement", args=[project.pk])).content.decode()
    assert reverse("projects:agreement_withdraw", args=[project.pk]) in page
    response = client.post(reverse("projects:agreement_withdraw", args=[project.pk]))
    assert response.status_code == 302
    assert list(project.agreements.values_list("number", "status")) == [(1, Agreement.Status.FIXED)]
    assert Agreement.history.filter(id=change.pk, history_type="-").exists()  # the trace stays
    # A new change can be made afterwards.
    services.agreement_amend(actor=people.coordinator, agreement=fixed, change_reason="期間の延長")


def test_a_sent_change_can_be_withdrawn_but_not_the_first_or_a_fixed_version(project, people):  # noqa: F811
    fixed, change = _started_with_change(project, people)
    with pytest.raises(TransitionError):
        services.agreement_withdraw(actor=people.coordinator, agreement=fixed)
    services.agreement_send(actor=people.coordinator, agreement=change)
    services.agreement_withdraw(actor=people.coordinator, agreement=change)
    assert not Agreement.objects.filter(pk=change.pk).exists()


def test_participants_cannot_withdraw_a_change(client, project, people):  # noqa: F811
    _fixed, change = _started_with_change(project, people)
    with pytest.raises(PermissionDenied):
        services.agreement_withdraw(actor=people.group_rep, agreement=change)
    client.force_login(people.group_rep)
    assert client.post(reverse("projects:agreement_withdraw", args=[project.pk])).status_code == 403
    assert Agreement.objects.filter(pk=change.pk).exists()


# --- double submission ------------------------------------------------------------------------


def test_an_interest_posted_twice_is_stored_once(client):
    listing = f.ListingFactory()
    staff = f.make_department_staff()
    party = staff.department_memberships.first().department.party
    client.force_login(staff)
    data = {"from_party": party.pk, "message": "一緒に取り組みたいです", "contribution": ""}
    url = reverse("listings:interest_create", args=[listing.pk])
    first, second = client.post(url, data), client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert Interest.objects.filter(listing=listing).count() == 1


def test_a_checkin_posted_twice_is_stored_once(client, project, people):  # noqa: F811
    agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    client.force_login(people.coordinator)
    data = {"held_on": "2025-07-01", "done": "見守り訪問を20件実施した。", "issues": "", "next_steps": ""}
    url = reverse("projects:checkin_create", args=[project.pk])
    client.post(url, data)
    client.post(url, data)
    assert CheckIn.objects.filter(project=project).count() == 1


def test_a_meeting_scheduled_twice_is_stored_once(client):
    match = f.MatchFactory(stage=Match.Stage.PRE_MEETING)
    client.force_login(f.make_coordinator())
    starts = timezone.localtime() + datetime.timedelta(days=3)
    data = {"kind": "pre_meeting", "starts_at": starts.strftime("%Y-%m-%dT%H:%M"), "place": "市役所 会議室A"}
    url = reverse("matching:meeting_create", args=[match.pk])
    client.post(url, data)
    client.post(url, data)
    assert match.meetings.count() == 1


# --- 不成立 and meetings ------------------------------------------------------------------------


def test_recording_failure_calls_off_the_future_meetings_only():
    coordinator = f.make_coordinator()
    match = f.MatchFactory(stage=Match.Stage.PRE_MEETING)
    f.MatchParticipantFactory(match=match, response=MatchParticipant.Response.ACCEPTED)
    now = timezone.now()
    past = f.MeetingFactory(match=match, starts_at=now - datetime.timedelta(days=2), status=Meeting.Status.HELD)
    future = f.MeetingFactory(match=match, starts_at=now + datetime.timedelta(days=5))
    matching.match_fail(match=match, actor=coordinator, reason=Match.FailureReason.values[0], note="条件が合わない")
    future.refresh_from_db()
    past.refresh_from_db()
    assert future.status == Meeting.Status.CANCELLED
    assert past.status == Meeting.Status.HELD


def test_meeting_cancel_locks_the_meeting(monkeypatch):
    """Two cancels at once must not both pass the 予定 check: the row is read with SELECT … FOR UPDATE."""
    from django.db.models.query import QuerySet

    meeting = f.MeetingFactory(starts_at=timezone.now() + datetime.timedelta(days=1))
    locked = []
    original = QuerySet.select_for_update

    def spy(self, *args, **kwargs):
        locked.append(self.model)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "select_for_update", spy)
    matching.meeting_cancel(meeting=meeting, actor=f.make_coordinator())
    assert Meeting in locked
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CANCELLED
