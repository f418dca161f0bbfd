import datetime

import pytest

from core.exceptions import ConflictError, PermissionDenied, TransitionError
from demo import factories as f
from notifications.models import Notification
from organizations.models import CollaborationForm
from projects import services
from projects.models import Agreement, CollaborationProject, FollowUp, PartStatus

from .conftest import PRE_DATA, REVIEW_DATA, agree, part_of, submit_all_pre_parts

Status = CollaborationProject.Status
pytestmark = pytest.mark.django_db


def start(project, people):
    agree(project, people)
    # A past date, before the agreement (drafted today): recorded as confirmed by the coordinator.
    services.project_start(
        actor=people.coordinator, project=project, started_on=datetime.date(2025, 5, 1), outside_period_confirmed=True
    )
    project.refresh_from_db()
    return project


def review_all(project, people, org_data=None):
    services.review_open(actor=people.coordinator, project=project)
    sheet = project.review_sheet
    dept_part = sheet.parts.get(participant__party=people.dept.party)
    org_part = sheet.parts.get(participant__party=people.org.party)
    services.review_part_save(actor=people.dept_staff, part=dept_part, data=REVIEW_DATA, version=None, submit=True)
    services.review_part_save(
        actor=people.group_rep, part=org_part, data=org_data or REVIEW_DATA, version=None, submit=True
    )


# --- creating -----------------------------------------------------------------------------------


def test_coordinator_enters_project_directly_with_participants_and_an_open_pre_sheet(project, people):
    assert project.status == Status.PREPARING
    assert {p.party_id for p in project.participants.all()} == {people.dept.party_id, people.org.party_id}
    assert project.department == people.dept
    assert project.pre_sheet.parts.count() == 2
    assert project.history.first().history_user == people.coordinator


def test_group_member_cannot_enter_a_project(people):
    with pytest.raises(PermissionDenied):
        services.project_create(
            actor=people.group_rep, title="x", parties=[people.org.party, people.dept.party], fiscal_year_start=2025
        )


def test_project_needs_two_parties(people):
    with pytest.raises(TransitionError, match="2者以上"):
        services.project_create(actor=people.coordinator, title="x", parties=[people.org.party], fiscal_year_start=2025)


def test_project_from_established_match_opens_the_pre_sheet(people):
    match = f.MatchFactory(title="見守りの協働", coordinator=people.coordinator, stage="established")
    f.MatchParticipantFactory(match=match, party=people.org.party, response="accepted")
    f.MatchParticipantFactory(match=match, party=people.dept.party, response="accepted")
    f.MatchParticipantFactory(match=match, party=f.OrganizationFactory().party, response="declined")
    project = services.project_create_from_match(match=match, actor=people.coordinator)
    assert project.participants.count() == 2
    assert project.pre_sheet.parts.count() == 2
    assert project.department == people.dept


# --- 事前確認シート --------------------------------------------------------------------------------


def test_each_party_edits_only_its_own_pre_sheet_part(project, people):
    dept_part = part_of(project, people.dept.party)
    with pytest.raises(PermissionDenied):
        services.pre_part_save(actor=people.group_rep, part=dept_part, data={"purpose": "横取り"}, version=None)
    dept_part.refresh_from_db()
    assert dept_part.purpose == ""
    services.pre_part_save(actor=people.dept_staff, part=dept_part, data={"purpose": "自分の目的"}, version=1)
    dept_part.refresh_from_db()
    assert dept_part.purpose == "自分の目的" and dept_part.version == 2 and dept_part.status == PartStatus.DRAFT


def test_second_save_of_the_same_part_is_refused_with_the_other_version(project, people):
    part = part_of(project, people.org.party)
    services.pre_part_save(actor=people.group_rep, part=part, data={"purpose": "代表者の案"}, version=1)
    with pytest.raises(ConflictError) as exc:
        services.pre_part_save(actor=people.group_editor, part=part, data={"purpose": "編集者の案"}, version=1)
    assert exc.value.current.purpose == "代表者の案"
    part.refresh_from_db()
    assert part.purpose == "代表者の案"


def test_submitted_part_is_read_only_until_a_coordinator_returns_it(project, people):
    part = part_of(project, people.org.party)
    services.pre_part_save(actor=people.group_rep, part=part, data=PRE_DATA, version=None, submit=True)
    with pytest.raises(TransitionError, match="提出済み"):
        services.pre_part_save(actor=people.group_rep, part=part, data={"purpose": "後から"}, version=None)
    with pytest.raises(PermissionDenied):
        services.pre_part_return(actor=people.group_rep, part=part, reason="x")
    with pytest.raises(TransitionError, match="理由"):
        services.pre_part_return(actor=people.coordinator, part=part, reason=" ")
    services.pre_part_return(actor=people.coordinator, part=part, reason="目的をもう少し具体的に")
    part.refresh_from_db()
    assert part.status == PartStatus.RETURNED and part.return_reason
    assert Notification.objects.filter(recipient=people.group_rep, title__contains="差し戻").exists()
    services.pre_part_save(
        actor=people.group_rep, part=part, data={"purpose": "具体的な目的"}, version=None, submit=True
    )
    part.refresh_from_db()
    assert part.status == PartStatus.SUBMITTED and part.return_reason == ""


def test_submit_requires_purpose_and_contribution(project, people):
    with pytest.raises(TransitionError, match="目的"):
        services.pre_part_save(
            actor=people.group_rep, part=part_of(project, people.org.party), data={}, version=None, submit=True
        )


def test_coordinator_confirms_the_sheet_only_when_every_part_is_submitted(project, people):
    form = CollaborationForm.objects.get(code="commission")
    services.pre_part_save(
        actor=people.group_rep, part=part_of(project, people.org.party), data=PRE_DATA, version=None, submit=True
    )
    with pytest.raises(TransitionError, match=people.dept.name):
        services.pre_sheet_confirm(
            actor=people.coordinator,
            sheet=project.pre_sheet,
            purpose_shared=True,
            chosen_form=form,
            note="",
            version=None,
        )
    services.pre_part_save(
        actor=people.dept_staff, part=part_of(project, people.dept.party), data=PRE_DATA, version=None, submit=True
    )
    with pytest.raises(PermissionDenied):
        services.pre_sheet_confirm(
            actor=people.dept_manager,
            sheet=project.pre_sheet,
            purpose_shared=True,
            chosen_form=form,
            note="",
            version=None,
        )
    sheet = services.pre_sheet_confirm(
        actor=people.coordinator,
        sheet=project.pre_sheet,
        purpose_shared=True,
        chosen_form=form,
        note="良い",
        version=None,
    )
    assert sheet.confirmed_by == people.coordinator and sheet.chosen_form == form


# --- the lifecycle's refusals -------------------------------------------------------------------


def test_no_agreement_before_every_pre_sheet_part_is_submitted(project, people):
    services.pre_part_save(
        actor=people.group_rep, part=part_of(project, people.org.party), data=PRE_DATA, version=None, submit=True
    )
    with pytest.raises(TransitionError) as exc:
        services.agreement_draft(actor=people.coordinator, project=project)
    assert "事前確認シートが提出されるまで確認書は作成できません" in str(exc.value)
    assert people.dept.name in str(exc.value)
    assert not project.agreements.exists()


def test_no_agreement_before_the_sheet_is_confirmed(project, people):
    submit_all_pre_parts(project, people)
    with pytest.raises(TransitionError, match="確認してから"):
        services.agreement_draft(actor=people.coordinator, project=project)


def test_no_start_before_the_agreement_is_fixed(project, people):
    with pytest.raises(TransitionError, match="確認書締結済の事業だけを開始できます"):
        services.project_start(actor=people.coordinator, project=project)
    submit_all_pre_parts(project, people)
    services.pre_sheet_confirm(
        actor=people.coordinator,
        sheet=project.pre_sheet,
        purpose_shared=True,
        chosen_form=None,
        note="",
        version=None,
    )
    agreement = services.agreement_draft(actor=people.coordinator, project=project)
    services.agreement_send(actor=people.coordinator, agreement=agreement)
    with pytest.raises(TransitionError, match="確認書締結済の事業だけ"):
        services.project_start(actor=people.coordinator, project=project)
    project.refresh_from_db()
    assert project.status == Status.PREPARING


def test_no_review_sheet_before_the_work_started(project, people):
    with pytest.raises(TransitionError, match="実施中の事業でだけふりかえりを始められます"):
        services.review_open(actor=people.coordinator, project=project)
    agree(project, people)
    with pytest.raises(TransitionError, match="実施中の事業でだけ"):
        services.review_open(actor=people.coordinator, project=project)


def test_no_completion_before_every_review_part_is_submitted(project, people):
    start(project, people)
    services.review_open(actor=people.coordinator, project=project)
    with pytest.raises(TransitionError, match="提出していない当事者"):
        services.project_complete(actor=people.coordinator, project=project, agreed_improvements="x", outcome="good")


def test_lifecycle_never_skips_a_state(project, people):
    with pytest.raises(TransitionError, match="準備中"):
        services._move(project, "complete", actor=people.coordinator, reason="test")


# --- 協働事業確認書 ---------------------------------------------------------------------------------


def test_agreement_is_drafted_from_the_confirmed_sheet(project, people):
    submit_all_pre_parts(project, people)
    services.pre_sheet_confirm(
        actor=people.coordinator,
        sheet=project.pre_sheet,
        purpose_shared=True,
        chosen_form=CollaborationForm.objects.get(code="co_hosting"),
        note="",
        version=None,
    )
    agreement = services.agreement_draft(actor=people.coordinator, project=project)
    assert PRE_DATA["purpose"] in agreement.purpose
    assert "食堂の運営とボランティア" in agreement.content
    assert [f.code for f in agreement.forms.all()] == ["co_hosting"]
    assert agreement.budget_total == 500000 and agreement.city_share == 300000
    assert {(r.task, r.assignee) for r in agreement.roles.all()} == {
        ("会場の確保と広報", "city"),
        ("食堂の運営", "group"),
    }


def test_only_authorised_persons_confirm_and_all_confirmations_fix_the_agreement(project, people):
    submit_all_pre_parts(project, people)
    services.pre_sheet_confirm(
        actor=people.coordinator, sheet=project.pre_sheet, purpose_shared=True, chosen_form=None, note="", version=None
    )
    agreement = services.agreement_draft(actor=people.coordinator, project=project)
    org_p = project.participants.get(party=people.org.party)
    dept_p = project.participants.get(party=people.dept.party)
    with pytest.raises(TransitionError, match="確認中"):
        services.agreement_confirm(actor=people.group_rep, agreement=agreement, participant=org_p)
    services.agreement_send(actor=people.coordinator, agreement=agreement)
    for user, participant in [
        (people.group_editor, org_p),
        (people.dept_staff, dept_p),
        (people.group_rep, dept_p),
        (people.coordinator, org_p),
    ]:
        with pytest.raises(PermissionDenied):
            services.agreement_confirm(actor=user, agreement=agreement, participant=participant)
    services.agreement_confirm(actor=people.group_rep, agreement=agreement, participant=org_p)
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.CONFIRMING
    with pytest.raises(TransitionError, match="すでに確認"):
        services.agreement_confirm(actor=people.group_rep, agreement=agreement, participant=org_p)
    services.agreement_confirm(actor=people.dept_manager, agreement=agreement, participant=dept_p)
    agreement.refresh_from_db()
    project.refresh_from_db()
    assert agreement.status == Agreement.Status.FIXED and agreement.fixed_at
    assert project.status == Status.AGREED


def test_fixed_agreement_can_never_be_altered(project, people):
    agreement = agree(project, people)
    with pytest.raises(TransitionError, match="変更確認書"):
        services.agreement_save(
            actor=people.coordinator, agreement=agreement, data={"purpose": "書き換え"}, roles=[], version=None
        )
    agreement.refresh_from_db()
    assert agreement.purpose != "書き換え" and agreement.roles.exists()


def test_change_is_a_new_version_that_supersedes_the_old_once_confirmed(project, people):
    first = agree(project, people)
    services.project_start(actor=people.coordinator, project=project)
    with pytest.raises(TransitionError, match="理由"):
        services.agreement_amend(actor=people.coordinator, agreement=first, change_reason="")
    second = services.agreement_amend(actor=people.coordinator, agreement=first, change_reason="事業費の増額")
    assert second.number == 2 and second.status == Agreement.Status.DRAFT
    assert [(r.task, r.assignee) for r in second.roles.all()] == [(r.task, r.assignee) for r in first.roles.all()]
    with pytest.raises(TransitionError, match="すでにあります"):
        services.agreement_amend(actor=people.coordinator, agreement=first, change_reason="もう一つ")
    services.agreement_save(
        actor=people.group_rep,
        agreement=second,
        data={"budget_total": 800000, "city_share": 400000},
        roles=[
            *({"task": r.task, "assignee": r.assignee} for r in first.roles.all()),
            {"task": "報告書", "assignee": "joint"},
        ],
        version=second.version,
    )
    services.agreement_send(actor=people.coordinator, agreement=second)
    first.refresh_from_db()
    assert first.status == Agreement.Status.FIXED  # still in force until the change is confirmed
    for p in project.participants.all():
        user = people.dept_manager if p.party_id == people.dept.party_id else people.group_rep
        services.agreement_confirm(actor=user, agreement=second, participant=p)
    first.refresh_from_db()
    second.refresh_from_db()
    project.refresh_from_db()
    assert first.status == Agreement.Status.SUPERSEDED and second.status == Agreement.Status.FIXED
    assert project.status == Status.IN_PROGRESS and project.budget_total == 800000


def test_agreement_save_conflict_keeps_the_first_save(project, people):
    submit_all_pre_parts(project, people)
    services.pre_sheet_confirm(
        actor=people.coordinator, sheet=project.pre_sheet, purpose_shared=True, chosen_form=None, note="", version=None
    )
    agreement = services.agreement_draft(actor=people.coordinator, project=project)
    loaded = agreement.version
    services.agreement_save(
        actor=people.coordinator,
        agreement=agreement,
        data={"content": "A"},
        roles=[{"task": "t", "assignee": "joint"}],
        version=loaded,
    )
    with pytest.raises(ConflictError):
        services.agreement_save(
            actor=people.group_rep, agreement=agreement, data={"content": "B"}, roles=[], version=loaded
        )
    agreement.refresh_from_db()
    assert agreement.content == "A" and agreement.roles.count() == 1


def test_city_share_cannot_exceed_budget(project, people):
    submit_all_pre_parts(project, people)
    services.pre_sheet_confirm(
        actor=people.coordinator, sheet=project.pre_sheet, purpose_shared=True, chosen_form=None, note="", version=None
    )
    agreement = services.agreement_draft(actor=people.coordinator, project=project)
    with pytest.raises(TransitionError, match="市負担額"):
        services.agreement_save(
            actor=people.coordinator,
            agreement=agreement,
            data={"budget_total": 10, "city_share": 20},
            roles=[],
            version=None,
        )


# --- during the work, review, completion, follow-up --------------------------------------------


def test_checkins_only_while_the_work_runs(project, people):
    with pytest.raises(TransitionError, match="実施中"):
        services.checkin_add(actor=people.group_rep, project=project, held_on=datetime.date(2025, 6, 1), done="x")
    start(project, people)
    checkin = services.checkin_add(
        actor=people.group_rep,
        project=project,
        held_on=datetime.date(2025, 9, 1),
        done="中間評価",
        is_interim_review=True,
    )
    assert checkin.is_interim_review and checkin.author == people.group_rep
    with pytest.raises(PermissionDenied):
        services.checkin_add(actor=people.outsider, project=project, held_on=datetime.date(2025, 9, 2), done="x")


def test_review_parts_are_separate_and_completion_creates_three_follow_ups(project, people):
    start(project, people)
    services.review_open(actor=people.coordinator, project=project)
    org_part = project.review_sheet.parts.get(participant__party=people.org.party)
    with pytest.raises(PermissionDenied):
        services.review_part_save(actor=people.dept_staff, part=org_part, data=REVIEW_DATA, version=None)
    with pytest.raises(TransitionError, match="すべての評価"):
        services.review_part_save(actor=people.group_rep, part=org_part, data={"trust": 3}, version=None, submit=True)
    project.refresh_from_db()
    dept_part = project.review_sheet.parts.get(participant__party=people.dept.party)
    services.review_part_save(actor=people.dept_staff, part=dept_part, data=REVIEW_DATA, version=None, submit=True)
    services.review_part_save(actor=people.group_rep, part=org_part, data=REVIEW_DATA, version=None, submit=True)
    with pytest.raises(TransitionError, match="改善点"):
        services.project_complete(actor=people.coordinator, project=project, agreed_improvements="", outcome="good")
    services.project_complete(
        actor=people.coordinator,
        project=project,
        agreed_improvements="情報共有を週1回に",
        outcome="good",
        completed_on=datetime.date(2026, 3, 31),
        outside_period_confirmed=True,
    )
    project.refresh_from_db()
    assert project.status == Status.COMPLETED and project.outcome == "good"
    assert list(project.follow_ups.values_list("years_after", "due_on")) == [
        (1, datetime.date(2027, 3, 31)),
        (2, datetime.date(2028, 3, 31)),
        (3, datetime.date(2029, 3, 31)),
    ]


def test_recording_a_follow_up_moves_the_project_to_after_follow(project, people):
    start(project, people)
    review_all(project, people)
    services.project_complete(actor=people.coordinator, project=project, agreed_improvements="x", outcome="good")
    fu = project.follow_ups.get(years_after=1)
    with pytest.raises(PermissionDenied):
        services.follow_up_record(
            actor=people.group_rep, follow_up=fu, recorded_on=datetime.date.today(), continued=True
        )
    services.follow_up_record(
        actor=people.coordinator, follow_up=fu, recorded_on=datetime.date.today(), continued=True, continuation="group"
    )
    project.refresh_from_db()
    assert project.status == Status.FOLLOW_UP and project.continuation == "group"


def test_due_follow_ups_remind_the_coordinator_once(project, people):
    start(project, people)
    review_all(project, people)
    services.project_complete(
        actor=people.coordinator,
        project=project,
        agreed_improvements="x",
        outcome="good",
        completed_on=datetime.date(2025, 3, 31),
        outside_period_confirmed=True,
    )
    assert services.follow_up_send_reminders(today=datetime.date(2026, 3, 30)) == 0
    assert services.follow_up_send_reminders(today=datetime.date(2026, 4, 1)) == 1
    assert Notification.objects.filter(recipient=people.coordinator, title__contains="アフターフォロー").count() == 1
    assert services.follow_up_send_reminders(today=datetime.date(2026, 4, 2)) == 0
    assert FollowUp.objects.filter(reminded_at__isnull=False).count() == 1


def test_case_study_is_published_with_every_participants_consent(project, people):
    start(project, people)
    with pytest.raises(TransitionError, match="完了した事業"):
        services.case_study_prepare(actor=people.coordinator, project=project, summary="x")
    review_all(project, people)
    services.project_complete(actor=people.coordinator, project=project, agreed_improvements="x", outcome="good")
    case = services.case_study_prepare(actor=people.coordinator, project=project, summary="子ども食堂の事例")
    org_p = project.participants.get(party=people.org.party)
    dept_p = project.participants.get(party=people.dept.party)
    with pytest.raises(PermissionDenied):
        services.case_study_consent(actor=people.group_editor, case_study=case, participant=org_p)
    services.case_study_consent(actor=people.group_rep, case_study=case, participant=org_p)
    case.refresh_from_db()
    assert not case.is_published
    services.case_study_consent(actor=people.dept_manager, case_study=case, participant=dept_p)
    case.refresh_from_db()
    assert case.is_published and case.published_at
