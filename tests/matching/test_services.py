import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDenied, TransitionError
from demo import factories as f
from matching import services
from matching.forms import MeetingForm
from matching.models import Match, MatchParticipant, Meeting, TimelineEntry
from notifications.models import Notification
from projects.models import CollaborationProject

from .helpers import hold_meeting, make_match

pytestmark = pytest.mark.django_db
Stage = Match.Stage


def test_propose_needs_a_coordinator_and_two_parties(coordinator, group_member, organization, department):
    with pytest.raises(PermissionDenied, match="コーディネーター"):
        services.match_propose(actor=group_member, title="t", parties=[organization.party, department.party])
    with pytest.raises(TransitionError, match="2つ以上"):
        services.match_propose(actor=coordinator, title="t", parties=[organization.party, organization.party])

    match = services.match_propose(actor=coordinator, title="t", parties=[organization.party, department.party])

    assert match.stage == Stage.PROPOSED and match.coordinator == coordinator
    assert match.timeline.get().kind == TimelineEntry.Kind.PROPOSED


def test_propose_can_mix_groups_departments_universities_and_companies(coordinator, department):
    university = f.OrganizationFactory(kind="university")
    company = f.OrganizationFactory(kind="company")
    group = f.OrganizationFactory()
    match = services.match_propose(
        actor=coordinator, title="t", parties=[group.party, department.party, university.party, company.party]
    )
    assert match.participants.count() == 4


def test_propose_from_an_interest_links_the_interest_its_listing_and_event(coordinator, kosodate_theme, organization):
    event = f.ExchangeEventFactory()
    interest = f.InterestFactory(listing=kosodate_theme, from_party=organization.party, origin_event=event)
    match = services.match_propose(
        actor=coordinator, title="t", parties=[kosodate_theme.owner, organization.party], origin_interest=interest
    )
    assert match.origin_interest == interest
    assert list(match.listings.all()) == [kosodate_theme]
    assert match.origin_event == event


def test_a_party_requests_a_match_and_coordinators_are_told(coordinator, group_member, organization, department):
    match = services.match_request(
        actor=group_member, party=organization.party, other_parties=[department.party], message="相談したい"
    )
    assert match.coordinator is None and match.stage == Stage.PROPOSED
    assert match.participants.get(party=organization.party).response == MatchParticipant.Response.ACCEPTED
    assert Notification.objects.filter(recipient=coordinator, kind="match").exists()
    with pytest.raises(PermissionDenied):
        services.match_request(actor=group_member, party=department.party, other_parties=[organization.party])
    services.match_send_to_participants(match=match, actor=coordinator)
    match.refresh_from_db()
    assert match.coordinator == coordinator


def test_acceptance_by_all_moves_to_pre_meeting_and_notifies(coordinator):
    match, group_user, dept_user = make_match(coordinator, stage="awaiting")
    assert Notification.objects.filter(recipient=group_user, kind="match").exists()
    dept_party, group_party = (p.party for p in match.participants.order_by("party__kind"))

    services.match_respond(match=match, actor=dept_user, party=dept_party, accept=True)
    match.refresh_from_db()
    assert match.stage == Stage.AWAITING
    services.match_respond(match=match, actor=group_user, party=group_party, accept=True)
    match.refresh_from_db()

    assert match.stage == Stage.PRE_MEETING
    kinds = list(match.timeline.values_list("kind", flat=True))
    assert kinds == ["proposed", "stage", "response", "response", "stage"]


def test_a_member_answers_only_for_their_own_party_and_only_once(coordinator):
    match, group_user, dept_user = make_match(coordinator, stage="awaiting")
    dept_party = match.participants.get(party__kind="department").party
    group_party = match.participants.get(party__kind="organization").party
    with pytest.raises(PermissionDenied):
        services.match_respond(match=match, actor=group_user, party=dept_party, accept=True)
    services.match_respond(match=match, actor=group_user, party=group_party, accept=True)
    with pytest.raises(TransitionError, match="既に回答"):
        services.match_respond(match=match, actor=group_user, party=group_party, accept=False)


def test_responding_before_the_match_is_sent_is_refused(coordinator):
    match, group_user, _ = make_match(coordinator, stage="proposed")
    with pytest.raises(TransitionError, match="参加者の承諾待ち"):
        services.match_respond(
            match=match, actor=group_user, party=match.participants.get(party__kind="organization").party, accept=True
        )


def test_a_decline_keeps_the_match_for_the_coordinator_to_decide(coordinator):
    match, group_user, _ = make_match(coordinator, stage="awaiting")
    services.match_respond(
        match=match, actor=group_user, party=match.participants.get(party__kind="organization").party, accept=False
    )
    match.refresh_from_db()
    assert match.stage == Stage.AWAITING
    assert Notification.objects.filter(recipient=coordinator, title__contains="辞退").exists()
    services.match_fail(match=match, actor=coordinator, reason="purpose", note="目的が合わなかった")
    match.refresh_from_db()
    assert match.stage == Stage.FAILED and match.get_failure_reason_display() == "目的の不一致"


def test_establish_before_any_pre_meeting_is_refused_with_a_clear_message(coordinator):
    match, _, _ = make_match(coordinator, stage="pre_meeting")
    with pytest.raises(TransitionError, match="事前打ち合わせを行い「協議中」に進めてから"):
        services.match_establish(match=match, actor=coordinator)
    with pytest.raises(TransitionError, match="開催済みの打ち合わせが1回以上必要"):
        services.match_advance(match=match, actor=coordinator)


def test_stage_changes_by_non_coordinators_are_refused(coordinator):
    match, group_user, dept_user = make_match(coordinator, stage="negotiating")
    for service in (services.match_establish, services.match_hold, services.match_advance):
        with pytest.raises(PermissionDenied):
            service(match=match, actor=group_user)
    with pytest.raises(PermissionDenied):
        services.match_fail(match=match, actor=dept_user, reason="budget", note="x")
    with pytest.raises(PermissionDenied):
        services.match_send_to_participants(match=match, actor=dept_user)


def test_establish_creates_the_project(coordinator):
    match, _, _ = make_match(coordinator, stage="negotiating")
    project = services.match_establish(match=match, actor=coordinator)
    match.refresh_from_db()
    assert match.stage == Stage.ESTABLISHED and match.closed_at
    assert project.match == match
    assert project.participants.count() == 2
    with pytest.raises(TransitionError):
        services.match_fail(match=match, actor=coordinator, reason="other", note="x")


def test_fail_requires_a_reason_and_a_note(coordinator):
    match, _, _ = make_match(coordinator)
    with pytest.raises(TransitionError, match="理由"):
        services.match_fail(match=match, actor=coordinator, reason="", note="x")
    with pytest.raises(TransitionError, match="詳細"):
        services.match_fail(match=match, actor=coordinator, reason="budget", note=" ")
    services.match_fail(match=match, actor=coordinator, reason="budget", note="予算が確保できない")
    match.refresh_from_db()
    assert match.stage == Stage.FAILED and match.failure_note == "予算が確保できない"


def test_hold_and_resume_return_to_the_stage_it_was_held_at(coordinator):
    match, _, _ = make_match(coordinator, stage="pre_meeting")
    services.match_hold(match=match, actor=coordinator, note="担当者の異動")
    match.refresh_from_db()
    assert match.stage == Stage.ON_HOLD
    with pytest.raises(TransitionError):
        services.match_advance(match=match, actor=coordinator)
    services.match_resume(match=match, actor=coordinator)
    match.refresh_from_db()
    assert match.stage == Stage.PRE_MEETING
    with pytest.raises(TransitionError, match="保留"):
        services.match_resume(match=match, actor=coordinator)


def test_a_stale_version_is_a_conflict(coordinator):
    match, _, _ = make_match(coordinator)
    with pytest.raises(ConflictError):
        services.match_send_to_participants(match=match, actor=coordinator, version=match.version + 1)


def test_every_event_moves_last_event_at(coordinator):
    match, _, _ = make_match(coordinator)
    Match.objects.filter(pk=match.pk).update(last_event_at=timezone.now() - datetime.timedelta(days=40))
    services.match_add_note(match=match, actor=coordinator, text="電話で確認", coordinator_only=True)
    match.refresh_from_db()
    assert timezone.now() - match.last_event_at < datetime.timedelta(minutes=1)


def test_coordinator_only_notes_are_for_coordinators(coordinator):
    match, group_user, _ = make_match(coordinator, stage="awaiting")
    with pytest.raises(PermissionDenied):
        services.match_add_note(match=match, actor=group_user, text="x", coordinator_only=True)
    note = services.match_add_note(match=match, actor=group_user, text="よろしくお願いします")
    assert not note.coordinator_only
    with pytest.raises(PermissionDenied):
        services.match_add_note(match=match, actor=f.UserFactory(), text="x")


def test_board_move_goes_through_the_checked_services(coordinator):
    match, group_user, _ = make_match(coordinator)
    services.match_move(match=match, actor=coordinator, to=Stage.AWAITING)
    match.refresh_from_db()
    assert match.stage == Stage.AWAITING
    with pytest.raises(TransitionError):
        services.match_move(match=match, actor=coordinator, to=Stage.ESTABLISHED)
    with pytest.raises(TransitionError):
        services.match_move(match=match, actor=coordinator, to=Stage.PRE_MEETING)
    with pytest.raises(PermissionDenied):
        services.match_move(match=match, actor=group_user, to=Stage.ON_HOLD)


# --- meetings ---


def test_meetings_only_after_everyone_accepted(coordinator):
    match, _, _ = make_match(coordinator, stage="awaiting")
    with pytest.raises(TransitionError, match="承諾後"):
        services.meeting_schedule(match=match, actor=coordinator, starts_at=timezone.now(), place="会議室")


def test_scheduling_a_meeting_notifies_every_participant(coordinator):
    match, group_user, dept_user = make_match(coordinator, stage="pre_meeting")
    meeting = services.meeting_schedule(
        match=match,
        actor=group_user,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        online_url="https://meet.example.jp/abc",
        agenda="目的の共有",
    )
    for user in (group_user, dept_user):
        assert Notification.objects.filter(recipient=user, kind="meeting", url=meeting.get_absolute_url()).exists()
    assert match.timeline.filter(kind="meeting").exists()
    with pytest.raises(TransitionError, match="場所かオンライン"):
        services.meeting_schedule(match=match, actor=coordinator, starts_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(match=match, actor=f.UserFactory(), starts_at=timezone.now(), place="x")


def test_minutes_with_action_items_mark_the_meeting_held(coordinator):
    match, group_user, _ = make_match(coordinator, stage="pre_meeting")
    meeting = f.MeetingFactory(match=match, starts_at=timezone.now() - datetime.timedelta(hours=1))
    group_party = match.participants.get(party__kind="organization").party
    services.meeting_record_minutes(
        meeting=meeting,
        actor=group_user,
        minutes="役割分担を話し合った",
        action_items=[{"description": "企画書を作る", "owner": group_party, "due_on": datetime.date(2026, 12, 1)}],
        version=meeting.version,
    )
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.action_items.get().owner == group_party
    assert match.timeline.filter(kind="minutes").exists()
    with pytest.raises(ConflictError):
        services.meeting_record_minutes(meeting=meeting, actor=group_user, minutes="x", version=meeting.version - 1)
    outsider = f.OrganizationFactory().party
    with pytest.raises(TransitionError, match="参加者から"):
        services.meeting_record_minutes(
            meeting=meeting, actor=coordinator, minutes="x", action_items=[{"description": "d", "owner": outsider}]
        )


def test_minutes_are_refused_before_the_meeting_and_for_cancelled_ones(coordinator):
    match, _, _ = make_match(coordinator, stage="pre_meeting")
    future = f.MeetingFactory(match=match)
    with pytest.raises(TransitionError, match="開始日時の前"):
        services.meeting_record_minutes(meeting=future, actor=coordinator, minutes="x")
    services.meeting_cancel(meeting=future, actor=coordinator, reason="台風")
    future.refresh_from_db()
    assert future.status == Meeting.Status.CANCELLED
    with pytest.raises(TransitionError):
        services.meeting_record_minutes(meeting=future, actor=coordinator, minutes="x")


def test_reminders_go_out_the_day_before_once(coordinator):
    match, group_user, _ = make_match(coordinator, stage="pre_meeting")
    tomorrow = timezone.localtime() + datetime.timedelta(days=1)
    due = f.MeetingFactory(match=match, starts_at=tomorrow.replace(hour=10, minute=0))
    later = f.MeetingFactory(match=match, starts_at=tomorrow + datetime.timedelta(days=3))
    Notification.objects.all().delete()

    call_command("send_meeting_reminders")
    call_command("send_meeting_reminders")

    due.refresh_from_db()
    later.refresh_from_db()
    assert due.reminder_sent_at and later.reminder_sent_at is None
    assert Notification.objects.filter(recipient=group_user, title__startswith="明日の").count() == 1


def test_reminders_are_idempotent(coordinator):
    match, _, _ = make_match(coordinator, stage="pre_meeting")
    f.MeetingFactory(match=match, starts_at=timezone.localtime() + datetime.timedelta(days=1))
    assert services.send_meeting_reminders() == 1
    assert services.send_meeting_reminders() == 0


# --- exchange event outcomes ---


def test_outcomes_record_interests_and_matches_that_started_at_the_event(coordinator, organization):
    event = f.ExchangeEventFactory(starts_at=timezone.now() - datetime.timedelta(days=3))
    interest = f.InterestFactory(from_party=organization.party)
    match, _, _ = make_match(coordinator, group=organization)
    services.event_record_outcomes(event=event, actor=coordinator, interests=[interest], matches=[match])
    interest.refresh_from_db()
    match.refresh_from_db()
    assert interest.origin_event == event and match.origin_event == event
    future = f.ExchangeEventFactory()
    with pytest.raises(TransitionError, match="開催後"):
        services.event_record_outcomes(event=future, actor=coordinator, interests=[interest])


def test_hold_meeting_helper_counts_as_held(coordinator):
    match, _, _ = make_match(coordinator, stage="pre_meeting")
    hold_meeting(match, coordinator)
    services.match_advance(match=match, actor=coordinator)
    match.refresh_from_db()
    assert match.stage == Stage.NEGOTIATING
    assert CollaborationProject.objects.count() == 0


def test_meeting_link_typed_without_scheme_is_stored_as_https():
    form = MeetingForm(
        data={"kind": "pre_meeting", "starts_at": "2026-12-01T10:00", "online_url": "meet.example.jp/kyodo-123"}
    )
    form.is_valid()
    assert form.cleaned_data["online_url"] == "https://meet.example.jp/kyodo-123"
