"""Writes of the proposal programme; every state change goes through here and asks proposals.workflow.

Each function checks the move with `workflow.check` (PermissionDenied / TransitionError with the
reason in Japanese), records who and when, and saves with update_fields.
"""

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from accounts.roles import is_coordinator_or_admin, party_ids_of
from core.exceptions import PermissionDenied, TransitionError
from core.locking import check_version
from core.validators import upload_details
from notifications.models import NoticeKind
from notifications.services import notify
from organizations.models import DepartmentMembership, OrganizationMembership, Party
from projects import services as project_services
from projects.models import CollaborationProject, NextStep, Origin

from . import permissions, workflow
from .models import Call, CallTheme, CallType, Criterion, Proposal, ProposalAttachment, Review, Score

PS = Proposal.Status

CALL_FIELDS = [
    "title",
    "call_type",
    "course_name",
    "fiscal_year",
    "year_round",
    "description",
    "eligibility",
    "groups_only",
    "briefing_on",
    "exchange_period",
    "deadline",
    "presentation_on",
    "decision_on",
    "cap_per_project",
    "cap_total",
]
PROPOSAL_FIELDS = [
    "title",
    "theme",
    "department",
    "purpose",
    "content",
    "local_problem",
    "beneficiaries",
    "public_interest",
    "roles",
    "schedule",
    "budget_total",
    "city_share_requested",
    "track_record",
    "term_year",
    "previous",
]
# What a proposal must say before it is submitted.
REQUIRED_TO_SUBMIT = ["purpose", "content", "local_problem", "beneficiaries", "public_interest", "roles"]


def _locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


def _members_of(party: Party):
    if party.kind == Party.Kind.ORGANIZATION:
        return [m.user for m in OrganizationMembership.objects.filter(organization__party=party).select_related("user")]
    return [m.user for m in DepartmentMembership.objects.filter(department__party=party).select_related("user")]


# ---------------------------------------------------------------------------------------------
# Calls


def _validate_call(call: Call):
    if call.call_type == CallType.COURSE and not call.course_name:
        raise TransitionError(_("コースの公募にはコース名が必要です。"))
    if not call.year_round and not call.deadline:
        raise TransitionError(_("通年募集でない公募には締切が必要です。"))
    call.full_clean()


def _set_themes_and_criteria(call: Call, *, themes, criteria):
    if call.call_type != CallType.ADMINISTRATION:
        themes = []
    call.themes.exclude(listing__in=themes).delete()
    existing = set(call.themes.values_list("listing_id", flat=True))
    CallTheme.objects.bulk_create(CallTheme(call=call, listing=t) for t in themes if t.pk not in existing)
    if criteria is not None:
        call.criteria.all().delete()
        Criterion.objects.bulk_create(
            Criterion(call=call, name=c["name"], weight=c["weight"], order=i) for i, c in enumerate(criteria)
        )


@transaction.atomic
def call_create(*, actor, data: dict, themes=(), criteria: list[dict], events=(), reviewers=()) -> Call:
    """A coordinator sets up a call (準備中) with its themes, review criteria, events and committee."""
    if not is_coordinator_or_admin(actor):
        raise PermissionDenied(_("公募を作成できるのはコーディネーターです。"))
    if not criteria:
        raise TransitionError(_("審査項目を1つ以上定めてください。"))
    call = Call(**{k: data.get(k) for k in CALL_FIELDS if k in data}, created_by=actor)
    _validate_call(call)
    call.save()
    _set_themes_and_criteria(call, themes=list(themes), criteria=criteria)
    call.events.set(events)
    call.reviewers.set(reviewers)
    return call


@transaction.atomic
def call_update(*, actor, call: Call, data: dict, themes=(), criteria=None, events=(), reviewers=()) -> Call:
    call = _locked(Call, call)
    workflow.check(actor, call, "edit")
    for k in CALL_FIELDS:
        if k in data:
            setattr(call, k, data[k])
    _validate_call(call)
    call.version += 1
    call.save()
    # Criteria stay fixed once the call is open: applicants read them.
    _set_themes_and_criteria(call, themes=list(themes), criteria=criteria if call.status == Call.Status.DRAFT else None)
    call.events.set(events)
    call.reviewers.set(reviewers)
    return call


@transaction.atomic
def call_move(*, actor, call: Call, action: str) -> Call:
    """open / close / publish_results, as workflow.CALL_WORKFLOW allows."""
    call = _locked(Call, call)
    move = workflow.check(actor, call, action)
    if move.target is None:
        raise TransitionError(_("この操作は状態を変えません。"))
    call.status = move.target
    call.status_changed_by = actor
    call.status_changed_at = timezone.now()
    call.version += 1
    call.save(update_fields=["status", "status_changed_by", "status_changed_at", "version", "updated_at"])
    return call


@transaction.atomic
def presentation_schedule(*, actor, call: Call, slots: dict[int, tuple[int | None, object]]) -> None:
    """The 公開プレゼンテーション: order and time per proposal id ({pk: (order, datetime)})."""
    call = _locked(Call, call)
    workflow.check(actor, call, "schedule")
    proposals = {p.pk: p for p in call.proposals.filter(pk__in=slots, status__in=[PS.SUBMITTED, PS.REVIEWING])}
    if set(proposals) != set(slots):
        raise TransitionError(_("発表順は提出済みの提案にだけ決められます。"))
    orders = [o for o, _at in slots.values() if o is not None]
    if len(orders) != len(set(orders)):
        raise TransitionError(_("発表順が重複しています。"))
    for pk, (order, at) in slots.items():
        p = proposals[pk]
        p.presentation_order, p.presentation_at = order, at
        p.save(update_fields=["presentation_order", "presentation_at", "updated_at"])


# ---------------------------------------------------------------------------------------------
# Proposals


def _check_party(actor, call: Call, applicant: Party, data: dict):
    if applicant.pk not in party_ids_of(actor):
        raise PermissionDenied(_("提案できるのは、自分が所属する団体または課としてだけです。"))
    if not permissions.may_apply_as(call, applicant):
        raise PermissionDenied(_("この公募に応募できるのは登録団体だけです。"))
    theme = data.get("theme")
    if call.call_type == CallType.ADMINISTRATION:
        if theme is None or theme.call_id != call.pk:
            raise TransitionError(_("行政提案型の公募では、テーマを選んでください。"))
        data["department"] = theme.listing.owner.department
    else:
        data["theme"] = None
    if data.get("department") is None:
        raise TransitionError(_("担当課を選んでください。"))
    previous = data.get("previous")
    if data.get("term_year") == 2:
        if previous is None or previous.applicant_id != applicant.pk or not previous.is_adopted:
            raise TransitionError(_("2年目の提案には、採択された1年目の提案を選んでください。"))
    else:
        data["previous"] = None


@transaction.atomic
def proposal_create(*, actor, call: Call, applicant: Party, data: dict) -> Proposal:
    """A draft application to an open call, as one of the actor's parties."""
    reason = workflow.accepting(call)
    if reason:
        raise TransitionError(reason)
    data = dict(data)
    _check_party(actor, call, applicant, data)
    proposal = Proposal(
        call=call, applicant=applicant, created_by=actor, **{k: data.get(k) for k in PROPOSAL_FIELDS if k in data}
    )
    proposal.full_clean()
    proposal.save()
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal: Proposal, data: dict, version: int | None = None) -> Proposal:
    proposal = _locked(Proposal, proposal)
    workflow.check(actor, proposal, "edit")
    check_version(proposal, version)
    data = dict(data)
    _check_party(actor, proposal.call, proposal.applicant, data)
    for k in PROPOSAL_FIELDS:
        if k in data:
            setattr(proposal, k, data[k])
    proposal.full_clean()
    proposal.version += 1
    proposal.save()
    return proposal


@transaction.atomic
def proposal_add_attachment(*, actor, proposal: Proposal, upload) -> ProposalAttachment:
    """Attachments are checked like listings' (extension, first bytes, size: core.validators)."""
    proposal = _locked(Proposal, proposal)
    workflow.check(actor, proposal, "edit")
    attachment = ProposalAttachment(proposal=proposal, file=upload, **upload_details(upload))
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def proposal_remove_attachment(*, actor, attachment: ProposalAttachment) -> None:
    """Only while the proposal is a draft the applicant may edit; the file leaves storage once the
    row is gone (after commit, so a rollback keeps both)."""
    proposal = _locked(Proposal, attachment.proposal)
    workflow.check(actor, proposal, "remove_attachment")
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def proposal_move(*, actor, proposal: Proposal, action: str) -> Proposal:
    """submit / withdraw / start_review."""
    if action not in ("submit", "withdraw", "start_review"):
        raise TransitionError(_("この操作はここではできません。"))
    proposal = _locked(Proposal, proposal)
    move = workflow.check(actor, proposal, action)
    fields = ["status", "version", "updated_at"]
    if action == "submit":
        missing = [Proposal._meta.get_field(f).verbose_name for f in REQUIRED_TO_SUBMIT if not getattr(proposal, f)]
        if missing:
            raise TransitionError(
                _("提出の前に次の項目を記入してください: %(fields)s")
                % {"fields": pgettext("list separator", "、").join(map(str, missing))}
            )
        if proposal.city_share_requested and proposal.city_share_requested > proposal.call.cap_per_project:
            raise TransitionError(_("市負担額の要望が1事業あたりの上限額を超えています。"))
        proposal.submitted_at = timezone.now()
        fields.append("submitted_at")
    elif action == "withdraw":
        proposal.withdrawn_at = timezone.now()
        fields.append("withdrawn_at")
    proposal.status = move.target
    proposal.version += 1
    proposal.save(update_fields=fields)
    if action == "submit":
        staff = [
            m.user for m in DepartmentMembership.objects.filter(department=proposal.department).select_related("user")
        ]
        notify(
            recipients=staff,
            kind=NoticeKind.REVIEW,
            title=lambda: _("提案「%(t)s」が提出されました。担当課の意見をお願いします。") % {"t": proposal.title},
            url=proposal.get_absolute_url(),
        )
    return proposal


@transaction.atomic
def department_view_state(*, actor, proposal: Proposal, view: str) -> Proposal:
    """The department in charge states its view before review."""
    proposal = _locked(Proposal, proposal)
    workflow.check(actor, proposal, "state_view")
    if not view.strip():
        raise TransitionError(_("担当課の意見を記入してください。"))
    proposal.department_view = view.strip()
    proposal.department_view_by = actor
    proposal.department_view_at = timezone.now()
    proposal.save(update_fields=["department_view", "department_view_by", "department_view_at", "updated_at"])
    return proposal


@transaction.atomic
def review_save(*, actor, proposal: Proposal, conflict: bool, scores: dict[int, int], comment: str = "") -> Review:
    """A committee member's review: a declared conflict (no scores, excluded), or a score per criterion."""
    proposal = _locked(Proposal, proposal)  # the stored state, not the caller's copy
    workflow.check(actor, proposal, "score")
    review, _created = Review.objects.select_for_update().get_or_create(proposal=proposal, reviewer=actor)
    if review.conflict:
        raise TransitionError(_("利害関係を申告した提案は審査に加わりません（申告は取り消せません）。"))
    review.conflict = conflict
    review.comment = "" if conflict else comment
    review.save()
    review.scores.all().delete()
    if conflict:
        return review
    criteria = {c.pk: c for c in proposal.call.criteria.all()}
    if set(scores) != set(criteria):
        raise TransitionError(_("すべての審査項目を採点してください。"))
    if any(not (1 <= v <= 5) for v in scores.values()):
        raise TransitionError(_("評点は1から5で付けてください。"))
    Score.objects.bulk_create(Score(review=review, criterion=criteria[pk], value=v) for pk, v in scores.items())
    return review


def _city_share_adopted(call: Call, *, excluding: int) -> int:
    return (
        call.proposals.filter(status__in=[PS.ADOPTED, PS.CONDITIONAL])
        .exclude(pk=excluding)
        .aggregate(s=Sum("adopted_amount"))["s"]
        or 0
    )


@transaction.atomic
def proposal_decide(
    *,
    actor,
    proposal: Proposal,
    decision: str,
    amount: int | None = None,
    conditions: str = "",
    rejection_category: str = "",
    reason: str = "",
) -> Proposal:
    """採択 (with the amount), 条件付き採択 (with the conditions) or 不採択 (with the reason the applicant
    sees). An adoption never takes the call over its caps; it creates the collaboration project
    (or, for a 2年目 proposal, continues the first year's)."""
    if decision not in workflow.DECISIONS:
        raise TransitionError(_("決定の種類が正しくありません。"))
    call = Call.objects.select_for_update().get(pk=proposal.call_id)  # serialises decisions of one call
    proposal = _locked(Proposal, proposal)
    move = workflow.check(actor, proposal, decision)
    fields = ["status", "decided_by", "decided_at", "version", "updated_at"]
    if decision == "reject":
        if not reason.strip() or not rejection_category:
            raise TransitionError(_("不採択の理由（区分と説明）を記入してください。提案者に示されます。"))
        proposal.rejection_category, proposal.rejection_reason = rejection_category, reason.strip()
        fields += ["rejection_category", "rejection_reason"]
    else:
        if not amount or amount <= 0:
            raise TransitionError(_("採択額を記入してください。"))
        if amount > call.cap_per_project:
            raise TransitionError(
                _("採択額が1事業あたりの上限額（%(cap)s円）を超えています。") % {"cap": f"{call.cap_per_project:,}"}
            )
        already = _city_share_adopted(call, excluding=proposal.pk)
        if already + amount > call.cap_total:
            raise TransitionError(
                _("採択額の合計が公募の予算額（%(cap)s円）を超えます（採択済み %(done)s円）。")
                % {"cap": f"{call.cap_total:,}", "done": f"{already:,}"}
            )
        if decision == "adopt_conditionally" and not conditions.strip():
            raise TransitionError(_("条件付き採択の条件を記入してください。"))
        proposal.adopted_amount, proposal.conditions = amount, conditions.strip()
        fields += ["adopted_amount", "conditions", "project"]
        proposal.project = _project_for(actor, proposal, amount)
    proposal.status = move.target
    proposal.decided_by, proposal.decided_at = actor, timezone.now()
    proposal.version += 1
    proposal.save(update_fields=fields)
    notify(
        recipients=_members_of(proposal.applicant),
        kind=NoticeKind.REVIEW,
        title=lambda: _("提案「%(t)s」の審査結果: %(d)s") % {"t": proposal.title, "d": proposal.get_status_display()},
        url=proposal.get_absolute_url(),
    )
    return proposal


def _project_for(actor, proposal: Proposal, amount: int):
    """A first-year adoption starts a collaboration project; a second year continues the first's."""
    fiscal_year = proposal.call.fiscal_year
    if proposal.term_year == 2 and proposal.previous and proposal.previous.project_id:
        return project_services.project_extend_term(
            actor=actor, project=proposal.previous.project, fiscal_year_end=fiscal_year, reason="2年目の提案を採択"
        )
    parties = [proposal.applicant, proposal.department.party]
    return project_services.project_create(
        actor=actor,
        title=proposal.title,
        parties=parties,
        department=proposal.department,
        summary=proposal.content,
        fiscal_year_start=fiscal_year,
        fiscal_year_end=fiscal_year,
        budget_total=max(proposal.budget_total or amount, amount),
        city_share=amount,
        origin=Origin.CITY if proposal.call.call_type == CallType.ADMINISTRATION else Origin.GROUP,
        route=CollaborationProject.Route.PROPOSAL,
    )


TERM_END_STEPS = [NextStep.DEPARTMENT, NextStep.GROUP, NextStep.ENDED]


@transaction.atomic
def next_step_record(*, actor, proposal: Proposal, next_step: str) -> Proposal:
    """At the end of the term the department records what comes next: its own work, the group's, or the end."""
    proposal = _locked(Proposal, proposal)
    workflow.check(actor, proposal, "record_next_step")
    if next_step not in TERM_END_STEPS:
        raise TransitionError(_("方向性を選んでください。"))
    proposal.next_step, proposal.next_step_by, proposal.next_step_at = next_step, actor, timezone.now()
    proposal.save(update_fields=["next_step", "next_step_by", "next_step_at", "updated_at"])
    return proposal
