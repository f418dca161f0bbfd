"""Who a user is: the one module that answers role questions.

Admin policy (decided once, applied everywhere, navigation included): an admin (a superuser) may do
everything a coordinator may. Permission checks for coordinators' work therefore ask
`is_coordinator_or_admin`; `is_coordinator` alone means "a member of a coordinating section" and is
asked only where membership itself matters (who is told about new work: `coordinators()`).

A user's memberships are read in one query (`User.load_roles`) the first time any role is asked and
kept on the user object for the request; `reset_roles(user)` forgets them wherever a membership changes.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy

from core.workflow import Action

from .models import SIGNING_ROLES

# What User.load_roles puts in the instance's __dict__; reset_roles pops them all.
ROLE_ATTRIBUTES = (
    "organization_ids",
    "department_ids",
    "is_coordinator",
    "_party_ids",
    "organization_party_ids",
    "party_names",
    "authorised_party_ids",
)


def _authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def load_roles(user) -> None:
    """Load every role of `user` now (one query); later questions are answered from memory."""
    if _authenticated(user):
        user.load_roles()


def reset_roles(user) -> None:
    """Forget the cached roles after a membership of `user` changed; the next question reloads them."""
    for name in ROLE_ATTRIBUTES:
        user.__dict__.pop(name, None)


def is_admin(user) -> bool:
    return _authenticated(user) and user.is_superuser


def is_coordinator(user) -> bool:
    """A member of a coordinating section (市民自治推進課, 市民活動サポートセンター)."""
    return _authenticated(user) and user.is_coordinator


def is_coordinator_or_admin(user) -> bool:
    """May do coordinators' work: the check every permission for that work uses."""
    return _authenticated(user) and (user.is_superuser or user.is_coordinator)


def party_ids_of(user) -> set[int]:
    """Ids of the parties a user acts for: their organizations' and their departments' parties."""
    return set(user._party_ids) if _authenticated(user) else set()


def group_party_ids_of(user) -> set[int]:
    """Ids of the parties of the user's organizations (groups), without their departments'."""
    return set(user.organization_party_ids) if _authenticated(user) else set()


def authorised_party_ids_of(user) -> set[int]:
    """Parties for which the user may sign: a group's representative, a department's manager."""
    return set(user.authorised_party_ids) if _authenticated(user) else set()


def _ids(parties) -> set[int]:
    if isinstance(parties, int) or hasattr(parties, "pk"):
        parties = [parties]
    return {getattr(p, "pk", p) for p in parties}


def is_member_of(user, parties) -> bool:
    """Whether the user acts for the party (a Party or its id) or for any of several."""
    return _authenticated(user) and bool(_ids(parties) & user._party_ids)


def is_organization_member(user, organization) -> bool:
    return _authenticated(user) and organization.pk in user.organization_ids


def is_department_member(user, department) -> bool:
    return _authenticated(user) and department.pk in user.department_ids


def is_representative(user, organization) -> bool:
    """The group's representative (代表者), who manages its members and signs for it."""
    return organization.party_id in authorised_party_ids_of(user)


def members_of(parties: Iterable, *, signing_only: bool = False):
    """Active users who act for any of these parties (Party objects or ids); with `signing_only`, only
    those who sign for them (representatives, managers)."""
    party_ids = _ids(parties)
    in_organization = Q(organization_memberships__organization__party_id__in=party_ids)
    in_department = Q(department_memberships__department__party_id__in=party_ids)
    if signing_only:
        in_organization &= Q(organization_memberships__role=SIGNING_ROLES[0])
        in_department &= Q(department_memberships__role=SIGNING_ROLES[1])
    return get_user_model().objects.filter(is_active=True).filter(in_organization | in_department).distinct()


def coordinators():
    """Active members of the coordinating sections, in 50音順."""
    return (
        get_user_model()
        .objects.filter(is_active=True, department_memberships__department__is_coordinating_section=True)
        .distinct()
        .order_by("family_name_kana", "given_name_kana", "email")
    )


# Coordinators and admins as a workflow guard (core.workflow.Action's `who`) and in the tables' words.
COORDINATORS = gettext_lazy("コーディネーター・管理者")


def coordinator_guard(user, obj) -> bool:
    """Coordinators and admins, whatever the object."""
    return is_coordinator_or_admin(user)


def coordinator_action(name: str, sources, target, label, **kwargs) -> Action:
    """An Action open to coordinators and admins: most moves of the declared workflows."""
    return Action(name, tuple(sources), target, coordinator_guard, label, COORDINATORS, **kwargs)
