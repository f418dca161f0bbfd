"""Who reads what in the proposal programme (roles come from accounts.roles)."""

from django.db.models import Q

from accounts.roles import (
    group_party_ids_of,
    is_coordinator_or_admin,
    is_department_member,
    is_member_of,
    party_ids_of,
)
from organizations.models import Party

from .models import Call, Proposal

PS = Proposal.Status
REVIEWED_STATES = (PS.REVIEWING, PS.ADOPTED, PS.CONDITIONAL, PS.REJECTED)


def is_applicant(user, proposal: Proposal) -> bool:
    return is_member_of(user, proposal.applicant_id)


def is_department_in_charge(user, proposal: Proposal) -> bool:
    return is_department_member(user, proposal.department)


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


def may_apply_as(call: Call, party: Party) -> bool:
    """The call's eligibility: a registered group always; a department only when the call is not for
    groups only."""
    return party.kind == Party.Kind.ORGANIZATION or not call.groups_only


def eligible_party_ids(user, call: Call) -> set[int]:
    """The parties the user may apply to this call as."""
    return group_party_ids_of(user) if call.groups_only else party_ids_of(user)


def calls_visible_to(user):
    """Calls in preparation are the coordinators'; every other call is public."""
    qs = Call.objects.all()
    return qs if is_coordinator_or_admin(user) else qs.exclude(status=Call.Status.DRAFT)


def can_view_call(user, call: Call) -> bool:
    return call.status != Call.Status.DRAFT or is_coordinator_or_admin(user)


def can_view_proposal(user, proposal: Proposal) -> bool:
    """Drafts only to the applicant's members; once submitted also to coordinators and the department
    in charge; the committee reads the proposals under review and decided in its calls."""
    if is_applicant(user, proposal):
        return True
    if proposal.status == PS.DRAFT:
        return False
    if is_coordinator_or_admin(user) or is_department_in_charge(user, proposal):
        return True
    return proposal.status in REVIEWED_STATES and is_reviewer(user, proposal.call)


def proposals_visible_to(user):
    """The proposals `user` may read (the rule of can_view_proposal, as a queryset)."""
    if user is None or not user.is_authenticated:
        return Proposal.objects.none()
    mine = Q(applicant_id__in=party_ids_of(user))
    if is_coordinator_or_admin(user):
        return Proposal.objects.filter(mine | ~Q(status=PS.DRAFT))
    return Proposal.objects.filter(
        mine
        | (Q(department_id__in=user.department_ids) & ~Q(status=PS.DRAFT))
        | Q(call_id__in=reviewed_call_ids(user), status__in=REVIEWED_STATES)
    )


def can_view_scores(user, call: Call) -> bool:
    """The summary sheet (every reviewer's scores) is for coordinators only; applicants never see scores."""
    return is_coordinator_or_admin(user)


def can_view_decision(user, proposal: Proposal) -> bool:
    """The decision, with the 不採択 reason, once it is recorded."""
    return proposal.is_decided and can_view_proposal(user, proposal)
