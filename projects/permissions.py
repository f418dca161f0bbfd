"""Who may see and act on collaboration projects and their records."""

from organizations.models import DepartmentMembership, OrganizationMembership, Party
from organizations.permissions import party_ids_of

from .models import CollaborationProject


def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.is_coordinator))


def authorised_party_ids_of(user) -> set[int]:
    """Parties for which the user may sign: a group's representative, a department's manager."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_authorised_party_ids", None)
    if cached is None:
        orgs = OrganizationMembership.objects.filter(
            user=user, role=OrganizationMembership.Role.REPRESENTATIVE
        ).values_list("organization_id", flat=True)
        depts = DepartmentMembership.objects.filter(user=user, role=DepartmentMembership.Role.MANAGER).values_list(
            "department_id", flat=True
        )
        cached = set(Party.objects.filter(organization__id__in=list(orgs)).values_list("id", flat=True)) | set(
            Party.objects.filter(department__id__in=list(depts)).values_list("id", flat=True)
        )
        user._authorised_party_ids = cached
    return cached


def projects_visible_to(user):
    """Coordinators see every project; others the projects their organizations or departments take part in."""
    qs = CollaborationProject.objects.all()
    if is_coordinator(user):
        return qs
    parties = party_ids_of(user)
    if not parties:
        return qs.none()
    return qs.filter(participants__party_id__in=parties).distinct()


def is_participant(user, project) -> bool:
    parties = party_ids_of(user)
    return any(p.party_id in parties for p in project.participants.all())


def can_view_project(user, project) -> bool:
    return is_coordinator(user) or is_participant(user, project)


def can_create_project(user) -> bool:
    return is_coordinator(user)


def can_manage_project(user, project) -> bool:
    """Coordinator-only moves: confirm the pre-sheet, draft/amend the agreement, open and close the review."""
    return is_coordinator(user)


def can_edit_part(user, part) -> bool:
    """A sheet part (pre-confirmation or review) is edited only by the members of its own party."""
    return part.participant.party_id in party_ids_of(user)


def can_confirm_for(user, participant) -> bool:
    """The participant's authorised person confirms agreements and consents to case studies."""
    return participant.party_id in authorised_party_ids_of(user)


def can_edit_agreement(user, agreement) -> bool:
    return is_coordinator(user) or is_participant(user, agreement.project)


def can_add_checkin(user, project) -> bool:
    return can_view_project(user, project)


def can_record_follow_up(user, project) -> bool:
    return is_coordinator(user)
