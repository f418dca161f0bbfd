"""Who may do what with organizations and departments, and which parties a user acts for."""

from collections.abc import Callable

from django.db.models import Q

from accounts.roles import (
    is_admin,
    is_coordinator_or_admin,
    is_department_member,
    is_organization_member,
    is_representative,
    party_ids_of,
)

from .models import Organization

# Higher apps that let other parties see a group's contact persons register a predicate
# (their parties' ids, the organization) -> bool here: matching adds "a match with this group that
# every participant accepted". Organizations sit below them and may not import them.
CONTACT_GRANTS: list[Callable[[set[int], Organization], bool]] = []


def has_verified_email(user) -> bool:
    """Only users who confirmed their e-mail may create or claim a group profile."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def can_create_organization(user) -> bool:
    return has_verified_email(user)


def can_claim_organization(user, organization) -> bool:
    """A verified user may ask to manage a group nobody manages yet (a coordinator decides)."""
    return has_verified_email(user) and not organization.memberships.exists()


def can_edit_organization(user, organization) -> bool:
    return is_admin(user) or is_organization_member(user, organization)


def can_manage_members(user, organization) -> bool:
    """The representative invites and removes members (admins too)."""
    return is_admin(user) or is_representative(user, organization)


def can_view_organization(user, organization) -> bool:
    """Published profiles are public; unpublished ones only for members and coordinators."""
    return organization.is_published or can_edit_organization(user, organization) or is_coordinator_or_admin(user)


def can_review_profiles(user) -> bool:
    return is_coordinator_or_admin(user)


def can_view_contacts(user, organization) -> bool:
    """Private contact persons: the group's members, coordinators, admins, and the parties a higher
    app grants sight of them (CONTACT_GRANTS)."""
    if user is None or not user.is_authenticated:
        return False
    if is_organization_member(user, organization) or is_coordinator_or_admin(user):
        return True
    my_parties = party_ids_of(user)
    return bool(my_parties) and any(grant(my_parties, organization) for grant in CONTACT_GRANTS)


def can_edit_department(user, department) -> bool:
    return is_admin(user) or is_department_member(user, department)


def can_invite_staff(user) -> bool:
    """Coordinators (and admins) invite department staff and other coordinators."""
    return is_coordinator_or_admin(user)


def organizations_visible_to(user):
    """Published groups for everyone; plus a member's own and, for coordinators, all."""
    qs = Organization.objects.all()
    if is_coordinator_or_admin(user):
        return qs
    if user is not None and user.is_authenticated and user.organization_ids:
        return qs.filter(Q(is_published=True) | Q(pk__in=user.organization_ids))
    return qs.published()
