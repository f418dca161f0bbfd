"""The programme's workflows, declared once: states, transitions and who may make them.

`CALL_ACTIONS` and `PROPOSAL_ACTIONS` are the only moves there are. Each names the states it starts
from, the state it leads to (None: the action records something without moving the state), who may
make it (`who(user, obj)`) and when the object allows it (`when(obj)` returns the reason it does
not, in Japanese, or ""). Services call `check()` before they write; views and templates call
`allowed_actions()` to know which buttons and forms to draw. Visibility (who reads what) lives here
too, so a page and its service never disagree.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import PermissionDenied, TransitionError
from organizations.permissions import is_coordinator_or_admin, party_ids_of

from .models import Call, Proposal

CS = Call.Status
PS = Proposal.Status


# ---------------------------------------------------------------------------------------------
# Roles (read from the user's cached memberships; one query per request for the committee)


def is_coordinator(user) -> bool:
    return is_coordinator_or_admin(user)


def is_applicant(user, proposal: Proposal) -> bool:
    return proposal.applicant_id in party_ids_of(user)


def is_department_in_charge(user, proposal: Proposal) -> bool:
    return bool(user and user.is_authenticated and proposal.department_id in user.department_ids)


def reviewed_call_ids(user) -> set[int]:
    """Calls whose committee the user sits on (cached on the user for the request)."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_reviewed_call_ids", None)
    if cached is None:
        cached = set(user.proposal_calls_reviewed.values_list("id", flat=True))
        user._reviewed_call_ids = cached
    return cached


def is_reviewer(user, call: Call) -> bool:
    return call.pk in reviewed_call_ids(user)


# ---------------------------------------------------------------------------------------------
# Conditions on the object


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


def _always(obj) -> str:
    return ""


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str | None
    who: Callable
    when: Callable = _always


CALL_ACTIONS = {
    a.name: a
    for a in [
        Action("edit", gettext_lazy("公募を編集"), (CS.DRAFT, CS.OPEN), None, lambda u, c: is_coordinator(u)),
        Action("open", gettext_lazy("募集を始める"), (CS.DRAFT,), CS.OPEN, lambda u, c: is_coordinator(u)),
        Action("close", gettext_lazy("募集を締め切る"), (CS.OPEN,), CS.CLOSED, lambda u, c: is_coordinator(u)),
        Action("schedule", gettext_lazy("発表順を決める"), (CS.OPEN, CS.CLOSED), None, lambda u, c: is_coordinator(u)),
        Action(
            "publish_results",
            gettext_lazy("結果を公表する"),
            (CS.CLOSED,),
            CS.DECIDED,
            lambda u, c: is_coordinator(u),
            _all_decided,
        ),
    ]
}

PROPOSAL_ACTIONS = {
    a.name: a
    for a in [
        Action("edit", gettext_lazy("編集"), (PS.DRAFT,), None, is_applicant, _proposal_accepting),
        Action("submit", gettext_lazy("提出する"), (PS.DRAFT,), PS.SUBMITTED, is_applicant, _proposal_accepting),
        Action(
            "withdraw",
            gettext_lazy("取り下げる"),
            (PS.DRAFT, PS.SUBMITTED),
            PS.WITHDRAWN,
            is_applicant,
            _proposal_accepting,
        ),
        Action("state_view", gettext_lazy("担当課の意見を記入"), (PS.SUBMITTED,), None, is_department_in_charge),
        Action(
            "start_review",
            gettext_lazy("審査を始める"),
            (PS.SUBMITTED,),
            PS.REVIEWING,
            lambda u, p: is_coordinator(u),
            _ready_for_review,
        ),
        Action("score", gettext_lazy("採点する"), (PS.REVIEWING,), None, lambda u, p: is_reviewer(u, p.call)),
        Action("adopt", gettext_lazy("採択"), (PS.REVIEWING,), PS.ADOPTED, lambda u, p: is_coordinator(u)),
        Action(
            "adopt_conditionally",
            gettext_lazy("条件付き採択"),
            (PS.REVIEWING,),
            PS.CONDITIONAL,
            lambda u, p: is_coordinator(u),
        ),
        Action("reject", gettext_lazy("不採択"), (PS.REVIEWING,), PS.REJECTED, lambda u, p: is_coordinator(u)),
        Action(
            "record_next_step",
            gettext_lazy("期間終了後の方向性を記録"),
            (PS.ADOPTED, PS.CONDITIONAL),
            None,
            lambda u, p: is_coordinator(u) or is_department_in_charge(u, p),
            _has_project,
        ),
    ]
}

DECISIONS = ("adopt", "adopt_conditionally", "reject")


def _table(obj) -> dict[str, Action]:
    return CALL_ACTIONS if isinstance(obj, Call) else PROPOSAL_ACTIONS


def check(user, obj, name: str) -> Action:
    """The action if `user` may make it on `obj` now; else PermissionDenied or TransitionError saying why."""
    action = _table(obj)[name]
    if not action.who(user, obj):
        raise PermissionDenied(_("この操作（%(action)s）を行う権限がありません。") % {"action": action.label})
    if obj.status not in action.sources:
        raise TransitionError(
            _("「%(state)s」の状態では「%(action)s」はできません。")
            % {"state": obj.get_status_display(), "action": action.label}
        )
    reason = action.when(obj)
    if reason:
        raise TransitionError(reason)
    return action


def allowed_actions(user, obj) -> set[str]:
    """The names of the actions `user` may make on `obj` now (what a page offers)."""
    return {name for name, a in _table(obj).items() if obj.status in a.sources and a.who(user, obj) and not a.when(obj)}


# ---------------------------------------------------------------------------------------------
# Who reads what


def calls_visible_to(user):
    """Calls in preparation are the coordinators'; every other call is public."""
    qs = Call.objects.all()
    return qs if is_coordinator(user) else qs.exclude(status=CS.DRAFT)


def can_view_call(user, call: Call) -> bool:
    return call.status != CS.DRAFT or is_coordinator(user)


REVIEWED_STATES = (PS.REVIEWING, PS.ADOPTED, PS.CONDITIONAL, PS.REJECTED)


def can_view_proposal(user, proposal: Proposal) -> bool:
    """Drafts only to the applicant's members; once submitted also to coordinators and the department
    in charge; the committee reads the proposals under review and decided in its calls."""
    if is_applicant(user, proposal):
        return True
    if proposal.status == PS.DRAFT:
        return False
    if is_coordinator(user) or is_department_in_charge(user, proposal):
        return True
    return proposal.status in REVIEWED_STATES and is_reviewer(user, proposal.call)


def proposals_visible_to(user):
    """The proposals `user` may read (the same rule as can_view_proposal, as a queryset)."""
    from django.db.models import Q

    if user is None or not user.is_authenticated:
        return Proposal.objects.none()
    mine = Q(applicant_id__in=party_ids_of(user))
    if is_coordinator(user):
        return Proposal.objects.filter(mine | ~Q(status=PS.DRAFT))
    return Proposal.objects.filter(
        mine
        | (Q(department_id__in=user.department_ids) & ~Q(status=PS.DRAFT))
        | Q(call_id__in=reviewed_call_ids(user), status__in=REVIEWED_STATES)
    )


def can_view_scores(user, call: Call) -> bool:
    """The summary sheet (every reviewer's scores) is for coordinators only; applicants never see scores."""
    return is_coordinator(user)


def can_view_decision(user, proposal: Proposal) -> bool:
    """The decision, with the 不採択 reason, once it is recorded."""
    return proposal.is_decided and can_view_proposal(user, proposal)
