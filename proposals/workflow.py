"""The programme's two workflows, declared once (core.workflow): calls (`Call.status`) and proposals
(`Proposal.status`), with who may make each move.

Some moves also depend on the data, not only on the state: an application only while the call
accepts them, review only after the department's view and the deadline. Those conditions are
declared here beside the table (`CONDITIONS`), so that `check` (services) and `allowed_actions`
(pages) apply the same rule.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import is_coordinator_or_admin
from core.exceptions import TransitionError
from core.workflow import Action, Workflow

from .models import Call, Proposal
from .permissions import is_applicant, is_department_in_charge, is_reviewer

CS = Call.Status
PS = Proposal.Status
COORDINATORS = gettext_lazy("コーディネーター・管理者")


def _coordinator(user, obj) -> bool:
    return is_coordinator_or_admin(user)


def _committee(user, proposal) -> bool:
    return is_reviewer(user, proposal.call)


def _department_or_coordinator(user, proposal) -> bool:
    return is_coordinator_or_admin(user) or is_department_in_charge(user, proposal)


CALL_WORKFLOW = Workflow(
    "proposal_call",
    field="status",
    states=CS,
    actions=[
        Action("edit", (CS.DRAFT, CS.OPEN), None, _coordinator, gettext_lazy("公募を編集"), COORDINATORS),
        Action("open", (CS.DRAFT,), CS.OPEN, _coordinator, gettext_lazy("募集を始める"), COORDINATORS),
        Action("close", (CS.OPEN,), CS.CLOSED, _coordinator, gettext_lazy("募集を締め切る"), COORDINATORS),
        Action("schedule", (CS.OPEN, CS.CLOSED), None, _coordinator, gettext_lazy("発表順を決める"), COORDINATORS),
        Action("publish_results", (CS.CLOSED,), CS.DECIDED, _coordinator, gettext_lazy("結果を公表する"), COORDINATORS),
    ],
)

APPLICANT = gettext_lazy("提案者（団体・課の構成員）")
PROPOSAL_WORKFLOW = Workflow(
    "proposal",
    field="status",
    states=PS,
    actions=[
        Action("edit", (PS.DRAFT,), None, is_applicant, gettext_lazy("編集"), APPLICANT),
        Action(
            "remove_attachment",
            (PS.DRAFT,),
            None,
            is_applicant,
            gettext_lazy("添付ファイルを削除"),
            APPLICANT,
        ),
        Action("submit", (PS.DRAFT,), PS.SUBMITTED, is_applicant, gettext_lazy("提出する"), APPLICANT),
        Action("withdraw", (PS.DRAFT, PS.SUBMITTED), PS.WITHDRAWN, is_applicant, gettext_lazy("取り下げる"), APPLICANT),
        Action(
            "state_view",
            (PS.SUBMITTED,),
            None,
            is_department_in_charge,
            gettext_lazy("担当課の意見を記入"),
            gettext_lazy("担当課"),
        ),
        Action("start_review", (PS.SUBMITTED,), PS.REVIEWING, _coordinator, gettext_lazy("審査を始める"), COORDINATORS),
        Action("score", (PS.REVIEWING,), None, _committee, gettext_lazy("採点する"), gettext_lazy("審査委員")),
        Action("adopt", (PS.REVIEWING,), PS.ADOPTED, _coordinator, gettext_lazy("採択"), COORDINATORS),
        Action(
            "adopt_conditionally",
            (PS.REVIEWING,),
            PS.CONDITIONAL,
            _coordinator,
            gettext_lazy("条件付き採択"),
            COORDINATORS,
        ),
        Action("reject", (PS.REVIEWING,), PS.REJECTED, _coordinator, gettext_lazy("不採択"), COORDINATORS),
        Action(
            "record_next_step",
            (PS.ADOPTED, PS.CONDITIONAL),
            None,
            _department_or_coordinator,
            gettext_lazy("期間終了後の方向性を記録"),
            gettext_lazy("担当課、コーディネーター・管理者"),
        ),
    ],
)

DECISIONS = ("adopt", "adopt_conditionally", "reject")


# ---------------------------------------------------------------------------------------------
# Conditions on the data: each returns why the move is not possible now, or "".


def accepting(call: Call) -> str:
    """Why the call takes no application now ("" when it does)."""
    if call.status != CS.OPEN:
        return _("この公募は現在募集していません。")
    if call.deadline and timezone.now() > call.deadline:
        return _("提案の締切を過ぎています。")
    return ""


def _proposal_accepting(proposal: Proposal) -> str:
    return accepting(proposal.call)


def _ready_for_review(proposal: Proposal) -> str:
    if not proposal.department_view_at:
        return _("審査の前に担当課の意見が必要です。")
    call = proposal.call
    if not call.year_round and call.deadline and timezone.now() <= call.deadline:
        return _("締切の後に審査を始めます（通年募集の公募は随時審査できます）。")
    return ""


def _has_project(proposal: Proposal) -> str:
    return _("協働事業がまだありません。") if not proposal.project_id else ""


def _all_decided(call: Call) -> str:
    pending = [p for p in call.proposals.all() if p.status in (PS.SUBMITTED, PS.REVIEWING)]
    return _("まだ決定していない提案が %(n)s 件あります。") % {"n": len(pending)} if pending else ""


CONDITIONS = {
    (CALL_WORKFLOW, "publish_results"): _all_decided,
    (PROPOSAL_WORKFLOW, "edit"): _proposal_accepting,
    (PROPOSAL_WORKFLOW, "remove_attachment"): _proposal_accepting,
    (PROPOSAL_WORKFLOW, "submit"): _proposal_accepting,
    (PROPOSAL_WORKFLOW, "withdraw"): _proposal_accepting,
    (PROPOSAL_WORKFLOW, "start_review"): _ready_for_review,
    (PROPOSAL_WORKFLOW, "record_next_step"): _has_project,
}


def workflow_of(obj) -> Workflow:
    return CALL_WORKFLOW if isinstance(obj, Call) else PROPOSAL_WORKFLOW


def check(user, obj, action: str) -> Action:
    """The action if `user` may make it on `obj` now; else PermissionDenied or TransitionError saying why."""
    flow = workflow_of(obj)
    move = flow.check(user, obj, action)
    condition = CONDITIONS.get((flow, action))
    reason = condition(obj) if condition else ""
    if reason:
        raise TransitionError(reason)
    return move


def allowed_actions(user, obj) -> set[str]:
    """The names of the actions `user` may make on `obj` now (what a page offers)."""
    flow = workflow_of(obj)
    return {
        name
        for name in flow.allowed_actions(user, obj)
        if not (CONDITIONS.get((flow, name)) and CONDITIONS[(flow, name)](obj))
    }


def may(user, obj, action: str) -> bool:
    """Whether the action is this user's to make at all (whatever the state): refuse a page with 403 if not."""
    return any(a.who(user, obj) for a in workflow_of(obj).actions if a.name == action)
