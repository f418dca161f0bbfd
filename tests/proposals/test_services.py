"""The programme's services: each move checks who and when (proposals.workflow) and records who/when."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.exceptions import PermissionDenied, TransitionError
from demo import factories as f
from notifications.models import Notification
from projects import services as project_services
from projects.models import CollaborationProject
from proposals import permissions, services
from proposals.models import Call, CallType, Proposal, Review
from tests.proposals.factories import CallFactory

PS = Proposal.Status
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CALL_DATA = {
    "title": "令和7年度 市民提案型協働推進事業",
    "call_type": CallType.CITIZEN,
    "fiscal_year": 2025,
    "description": "提案を募集します",
    "eligibility": "市内の団体",
    "deadline": timezone.now() + datetime.timedelta(days=10),
    "cap_per_project": 3_000_000,
    "cap_total": 10_000_000,
}


def scores_for(call, value=4):
    return {c.pk: value for c in call.criteria.all()}


# --- calls ---------------------------------------------------------------------------------


def test_coordinator_sets_up_a_call_in_preparation_with_criteria_and_committee(cast):
    call = services.call_create(
        actor=cast.coordinator,
        data=CALL_DATA,
        criteria=[{"name": "公益性", "weight": 3}],
        reviewers=[cast.reviewer1],
    )
    assert call.status == Call.Status.DRAFT
    assert [(c.name, c.weight) for c in call.criteria.all()] == [("公益性", 3)]
    assert list(call.reviewers.all()) == [cast.reviewer1]
    assert call.created_by == cast.coordinator


def test_a_group_member_cannot_set_up_a_call(cast):
    with pytest.raises(PermissionDenied):
        services.call_create(actor=cast.member, data=CALL_DATA, criteria=[{"name": "公益性", "weight": 1}])


def test_a_course_needs_its_name_and_a_dated_call_its_deadline(cast):
    with pytest.raises(TransitionError, match="コース名"):
        services.call_create(
            actor=cast.coordinator,
            data=CALL_DATA | {"call_type": CallType.COURSE},
            criteria=[{"name": "a", "weight": 1}],
        )
    with pytest.raises(TransitionError, match="締切"):
        services.call_create(
            actor=cast.coordinator, data=CALL_DATA | {"deadline": None}, criteria=[{"name": "a", "weight": 1}]
        )
    call = services.call_create(
        actor=cast.coordinator,
        data=CALL_DATA
        | {"call_type": CallType.COURSE, "course_name": "育成コース", "deadline": None, "year_round": True},
        criteria=[{"name": "a", "weight": 1}],
    )
    assert call.type_label == "育成コース"


def test_administration_call_keeps_the_departments_published_themes(cast):
    theme = f.ListingFactory(owner=cast.dept.party, title="子育てサロンの運営", status="published")
    call = services.call_create(
        actor=cast.coordinator,
        data=CALL_DATA | {"call_type": CallType.ADMINISTRATION},
        themes=[theme],
        criteria=[{"name": "a", "weight": 1}],
    )
    assert [t.listing for t in call.themes.all()] == [theme]


def test_call_moves_and_records_who_and_when(cast):
    call = CallFactory(status=Call.Status.DRAFT)
    services.call_move(actor=cast.coordinator, call=call, action="open")
    call.refresh_from_db()
    assert (call.status, call.status_changed_by) == (Call.Status.OPEN, cast.coordinator)
    with pytest.raises(TransitionError):
        services.call_move(actor=cast.coordinator, call=call, action="publish_results")
    with pytest.raises(PermissionDenied):
        services.call_move(actor=cast.member, call=call, action="close")


def test_results_are_published_only_when_every_proposal_is_decided(cast):
    cast.under_review()
    services.call_move(actor=cast.coordinator, call=cast.call, action="close")
    with pytest.raises(TransitionError, match="決定していない提案"):
        services.call_move(actor=cast.coordinator, call=cast.call, action="publish_results")


# --- applications --------------------------------------------------------------------------


def test_a_group_applies_as_its_own_party_only(cast):
    with pytest.raises(PermissionDenied):
        services.proposal_create(
            actor=cast.member,
            call=cast.call,
            applicant=cast.other_org.party,
            data={"title": "x", "department": cast.dept},
        )
    p = services.proposal_create(
        actor=cast.member,
        call=cast.call,
        applicant=cast.org.party,
        data={"title": "居場所づくり", "department": cast.dept},
    )
    assert p.status == PS.DRAFT and p.created_by == cast.member


def test_no_application_to_a_call_in_preparation_or_after_the_deadline(cast):
    draft = CallFactory(status=Call.Status.DRAFT)
    with pytest.raises(TransitionError, match="募集していません"):
        services.proposal_create(
            actor=cast.member, call=draft, applicant=cast.org.party, data={"title": "x", "department": cast.dept}
        )
    p = cast.proposal()
    cast.pass_deadline()
    with pytest.raises(TransitionError, match="締切"):
        services.proposal_move(actor=cast.member, proposal=p, action="submit")


def test_an_administration_proposal_takes_its_department_from_the_theme(cast):
    call = CallFactory(call_type=CallType.ADMINISTRATION)
    theme = call.themes.create(listing=f.ListingFactory(owner=cast.dept.party, status="published"))
    with pytest.raises(TransitionError, match="テーマ"):
        services.proposal_create(actor=cast.member, call=call, applicant=cast.org.party, data={"title": "x"})
    p = services.proposal_create(
        actor=cast.member, call=call, applicant=cast.org.party, data={"title": "x", "theme": theme}
    )
    assert p.department == cast.dept


def test_submit_needs_the_main_fields_and_a_request_within_the_cap(cast):
    p = cast.proposal(purpose="")
    with pytest.raises(TransitionError, match="目的"):
        services.proposal_move(actor=cast.member, proposal=p, action="submit")
    p = cast.proposal(city_share_requested=3_500_000, budget_total=4_000_000)
    with pytest.raises(TransitionError, match="上限額"):
        services.proposal_move(actor=cast.member, proposal=p, action="submit")


def test_submit_and_withdraw_until_the_deadline_by_the_applicant_only(cast):
    p = cast.proposal()
    with pytest.raises(PermissionDenied):
        services.proposal_move(actor=cast.other_member, proposal=p, action="submit")
    p = services.proposal_move(actor=cast.member, proposal=p, action="submit")
    assert p.status == PS.SUBMITTED and p.submitted_at
    assert Notification.objects.filter(recipient=cast.staff).exists()  # the department is asked for its view
    p = services.proposal_move(actor=cast.member, proposal=p, action="withdraw")
    assert p.status == PS.WITHDRAWN and p.withdrawn_at
    with pytest.raises(TransitionError):
        services.proposal_move(actor=cast.member, proposal=p, action="submit")


def test_withdrawal_after_the_deadline_is_refused(cast):
    p = cast.submitted()
    cast.pass_deadline()
    with pytest.raises(TransitionError, match="締切"):
        services.proposal_move(actor=cast.member, proposal=p, action="withdraw")


def test_only_the_department_in_charge_states_its_view(cast):
    p = cast.submitted()
    for outsider in (cast.other_staff, cast.member, cast.coordinator):
        with pytest.raises(PermissionDenied):
            services.department_view_state(actor=outsider, proposal=p, view="意見")
    p = services.department_view_state(actor=cast.staff, proposal=p, view="協働の意義がある")
    assert (p.department_view_by, bool(p.department_view_at)) == (cast.staff, True)


def test_review_starts_after_the_department_view_and_the_deadline(cast):
    p = cast.submitted()
    with pytest.raises(TransitionError, match="担当課の意見"):
        services.proposal_move(actor=cast.coordinator, proposal=p, action="start_review")
    services.department_view_state(actor=cast.staff, proposal=p, view="意見")
    with pytest.raises(TransitionError, match="締切の後"):
        services.proposal_move(actor=cast.coordinator, proposal=p, action="start_review")
    cast.pass_deadline()
    assert services.proposal_move(actor=cast.coordinator, proposal=p, action="start_review").status == PS.REVIEWING


def test_a_year_round_call_reviews_as_proposals_come(cast):
    cast.call.year_round, cast.call.deadline = True, None
    cast.call.save()
    p = cast.submitted()
    services.department_view_state(actor=cast.staff, proposal=p, view="意見")
    assert services.proposal_move(actor=cast.coordinator, proposal=p, action="start_review").status == PS.REVIEWING


# --- review --------------------------------------------------------------------------------


def test_reviewers_score_every_criterion_and_others_cannot(cast):
    p = cast.under_review()
    with pytest.raises(PermissionDenied):
        services.review_save(actor=cast.other_staff, proposal=p, conflict=False, scores=scores_for(cast.call))
    with pytest.raises(TransitionError, match="すべての審査項目"):
        services.review_save(actor=cast.reviewer1, proposal=p, conflict=False, scores={})
    review = services.review_save(
        actor=cast.reviewer1, proposal=p, conflict=False, scores=scores_for(cast.call), comment="良い"
    )
    assert review.scores.count() == 2


def test_a_declared_conflict_excludes_the_reviewer_for_good(cast):
    p = cast.under_review()
    services.review_save(actor=cast.reviewer2, proposal=p, conflict=True, scores={})
    with pytest.raises(TransitionError, match="利害関係"):
        services.review_save(actor=cast.reviewer2, proposal=p, conflict=False, scores=scores_for(cast.call))
    assert not Review.objects.get(reviewer=cast.reviewer2).scores.exists()


def test_the_presentation_order_must_not_repeat(cast):
    a, b = cast.submitted(), cast.submitted()
    with pytest.raises(TransitionError, match="重複"):
        services.presentation_schedule(actor=cast.coordinator, call=cast.call, slots={a.pk: (1, None), b.pk: (1, None)})
    services.presentation_schedule(actor=cast.coordinator, call=cast.call, slots={a.pk: (2, None), b.pk: (1, None)})
    assert list(cast.call.proposals.order_by("presentation_order").values_list("pk", flat=True)) == [b.pk, a.pk]


# --- decision and adoption -----------------------------------------------------------------


def test_adoption_creates_the_project_with_the_amount_and_the_term(cast):
    p = cast.under_review()
    p = services.proposal_decide(actor=cast.coordinator, proposal=p, decision="adopt", amount=1_200_000)
    assert (p.status, p.adopted_amount, p.decided_by) == (PS.ADOPTED, 1_200_000, cast.coordinator)
    project = p.project
    assert project.city_share == 1_200_000 and project.fiscal_year_start == 2025
    assert {pp.party_id for pp in project.participants.all()} == {cast.org.party_id, cast.dept.party_id}
    assert project.department == cast.dept
    assert project.pre_sheet.parts.count() == 2  # the three records start as for any project
    assert project.route == CollaborationProject.Route.PROPOSAL
    assert project.history.get().history_change_reason == "協働事業提案の採択により作成"
    assert Notification.objects.filter(recipient=cast.member, title__contains="採択").exists()


def test_adoption_cannot_exceed_the_cap_per_project_or_the_calls_budget(cast):
    cast.call.cap_per_project, cast.call.cap_total = 3_000_000, 5_000_000
    cast.call.save()
    a, b = cast.submitted(), cast.submitted()
    for p in (a, b):
        services.department_view_state(actor=cast.staff, proposal=p, view="意見")
    cast.pass_deadline()
    a, b = (services.proposal_move(actor=cast.coordinator, proposal=p, action="start_review") for p in (a, b))
    with pytest.raises(TransitionError, match="1事業あたりの上限額"):
        services.proposal_decide(actor=cast.coordinator, proposal=a, decision="adopt", amount=3_000_001)
    services.proposal_decide(actor=cast.coordinator, proposal=a, decision="adopt", amount=3_000_000)
    with pytest.raises(TransitionError, match="予算額"):
        services.proposal_decide(
            actor=cast.coordinator, proposal=b, decision="adopt_conditionally", amount=2_000_001, conditions="c"
        )
    assert Proposal.objects.get(pk=b.pk).status == PS.REVIEWING
    assert CollaborationProject.objects.count() == 1
    services.proposal_decide(
        actor=cast.coordinator,
        proposal=b,
        decision="adopt_conditionally",
        amount=2_000_000,
        conditions="役割分担を見直す",
    )


def test_rejection_needs_a_reason_the_applicant_then_reads(cast):
    p = cast.under_review()
    with pytest.raises(TransitionError, match="理由"):
        services.proposal_decide(actor=cast.coordinator, proposal=p, decision="reject", rejection_category="roles")
    p = services.proposal_decide(
        actor=cast.coordinator, proposal=p, decision="reject", rejection_category="roles", reason="市の役割が不明確"
    )
    assert p.status == PS.REJECTED and p.project is None
    assert permissions.can_view_decision(cast.member, p)


def test_only_coordinators_decide_and_only_once(cast):
    p = cast.under_review()
    with pytest.raises(PermissionDenied):
        services.proposal_decide(actor=cast.reviewer1, proposal=p, decision="adopt", amount=1)
    services.proposal_decide(actor=cast.coordinator, proposal=p, decision="adopt", amount=1)
    with pytest.raises(TransitionError):
        services.proposal_decide(
            actor=cast.coordinator, proposal=p, decision="reject", rejection_category="other", reason="x"
        )


def test_a_second_year_continues_the_first_years_project(cast):
    first = services.proposal_decide(
        actor=cast.coordinator, proposal=cast.under_review(), decision="adopt", amount=1_000_000
    )
    cast.call = CallFactory(fiscal_year=2026)
    cast.call.reviewers.set([cast.reviewer1])
    second = cast.under_review(term_year=2, previous=first)
    second = services.proposal_decide(actor=cast.coordinator, proposal=second, decision="adopt", amount=800_000)
    assert second.project == first.project
    assert CollaborationProject.objects.count() == 1


def test_the_department_records_the_next_step_at_the_end_of_the_term(cast):
    p = services.proposal_decide(actor=cast.coordinator, proposal=cast.under_review(), decision="adopt", amount=1)
    with pytest.raises(PermissionDenied):
        services.next_step_record(actor=cast.member, proposal=p, next_step="group")
    with pytest.raises(TransitionError):
        services.next_step_record(actor=cast.staff, proposal=p, next_step="reduced")
    p = services.next_step_record(actor=cast.staff, proposal=p, next_step="department")
    assert (p.next_step, p.next_step_by) == ("department", cast.staff)


def test_services_judge_the_stored_state_not_the_callers_stale_copy(cast):
    stale = cast.submitted()
    services.department_view_state(actor=cast.staff, proposal=stale, view="意見")
    cast.pass_deadline()
    services.proposal_move(actor=cast.coordinator, proposal=stale, action="start_review")
    assert stale.status == PS.SUBMITTED  # the caller's copy
    review = services.review_save(actor=cast.reviewer1, proposal=stale, conflict=False, scores=scores_for(cast.call))
    assert review.scores.count() == 2


def test_the_second_year_extends_the_projects_end_year_and_the_next_agreement_period(cast):
    first = services.proposal_decide(
        actor=cast.coordinator, proposal=cast.under_review(), decision="adopt", amount=1_000_000
    )
    assert (first.project.fiscal_year_start, first.project.fiscal_year_end) == (2025, 2025)
    CollaborationProject.objects.filter(pk=first.project_id).update(status="in_progress")
    agreement = f.AgreementFactory(
        project=first.project,
        status="fixed",
        period_start=datetime.date(2025, 4, 1),
        period_end=datetime.date(2026, 3, 31),
    )
    cast.call = CallFactory(fiscal_year=2026)
    cast.call.reviewers.set([cast.reviewer1])
    second = services.proposal_decide(
        actor=cast.coordinator, proposal=cast.under_review(term_year=2, previous=first), decision="adopt", amount=1
    )
    project = CollaborationProject.objects.get()
    assert second.project == project and project.fiscal_year_end == 2026
    assert project.history.first().history_change_reason == "2年目の提案を採択"
    change = project_services.agreement_amend(actor=cast.coordinator, agreement=agreement, change_reason="2年目")
    assert (change.period_start, change.period_end) == (datetime.date(2025, 4, 1), datetime.date(2027, 3, 31))


def test_a_project_term_is_extended_by_coordinators_only_and_never_shortened(cast):
    project = f.CollaborationProjectFactory(fiscal_year_start=2025, fiscal_year_end=2026)
    with pytest.raises(PermissionDenied):
        project_services.project_extend_term(actor=cast.staff, project=project, fiscal_year_end=2027, reason="x")
    kept = project_services.project_extend_term(
        actor=cast.coordinator, project=project, fiscal_year_end=2025, reason=""
    )
    assert kept.fiscal_year_end == 2026
    with pytest.raises(TransitionError, match="開始年度"):
        project_services.project_extend_term(actor=cast.coordinator, project=project, fiscal_year_end=2024, reason="")


# --- eligibility and attachments ------------------------------------------------------------


def test_a_call_for_groups_only_refuses_a_department_as_applicant(cast):
    data = {"title": "課からの提案", "department": cast.dept}
    with pytest.raises(PermissionDenied, match="登録団体だけ"):
        services.proposal_create(actor=cast.staff, call=cast.call, applicant=cast.dept.party, data=data)
    assert permissions.eligible_party_ids(cast.staff, cast.call) == set()
    cast.call.groups_only = False
    cast.call.save()
    p = services.proposal_create(actor=cast.staff, call=cast.call, applicant=cast.dept.party, data=data)
    assert p.applicant == cast.dept.party
    assert permissions.eligible_party_ids(cast.staff, cast.call) == {cast.dept.party_id}


def _attachment(proposal):
    upload = SimpleUploadedFile("計画書.pdf", PDF, content_type="application/pdf")
    return services.proposal_add_attachment(actor=proposal.created_by, proposal=proposal, upload=upload)


def test_an_attachment_is_removed_from_a_draft_and_from_storage(cast, django_capture_on_commit_callbacks):
    p = cast.proposal(created_by=cast.member)
    attachment = _attachment(p)
    storage, name = attachment.file.storage, attachment.file.name
    assert storage.exists(name)
    with pytest.raises(PermissionDenied):
        services.proposal_remove_attachment(actor=cast.other_member, attachment=attachment)
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_remove_attachment(actor=cast.member, attachment=attachment)
    assert not p.attachments.exists() and not storage.exists(name)


def test_an_attachment_stays_once_the_proposal_is_submitted(cast):
    p = cast.proposal(created_by=cast.member)
    attachment = _attachment(p)
    services.proposal_move(actor=cast.member, proposal=p, action="submit")
    with pytest.raises(TransitionError):
        services.proposal_remove_attachment(actor=cast.member, attachment=attachment)
    assert p.attachments.get().file.storage.exists(attachment.file.name)
