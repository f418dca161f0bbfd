"""Who may do what with organizations and departments, and which parties a user acts for."""

from django.db.models import Q

from .models import Organization, OrganizationMembership, Party


def party_ids_of(user) -> set[int]:
    """Ids of the parties a user acts for: their organizations' and their departments' parties."""
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_party_ids", None)
    if cached is None:
        cached = set(
            Party.objects.filter(organization__id__in=user.organization_ids).values_list("id", flat=True)
        ) | set(Party.objects.filter(department__id__in=user.department_ids).values_list("id", flat=True))
        user._party_ids = cached
    return cached


def has_verified_email(user) -> bool:
    """Only users who confirmed their e-mail may create or claim a group profile."""
    from allauth.account.models import EmailAddress

    if user is None or not user.is_authenticated:
        return False
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def is_coordinator_or_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or user.is_coordinator))


def is_organization_member(user, organization) -> bool:
    return bool(user and user.is_authenticated and organization.pk in user.organization_ids)


def is_representative(user, organization) -> bool:
    if not is_organization_member(user, organization):
        return False
    return organization.memberships.filter(user=user, role=OrganizationMembership.Role.REPRESENTATIVE).exists()


def can_create_organization(user) -> bool:
    return has_verified_email(user)


def can_claim_organization(user, organization) -> bool:
    """A verified user may ask to manage a group nobody manages yet (a coordinator decides)."""
    return has_verified_email(user) and not organization.memberships.exists()


def can_edit_organization(user, organization) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or is_organization_member(user, organization)))


def can_manage_members(user, organization) -> bool:
    """The representative invites and removes members (admins too)."""
    return bool(user and user.is_authenticated and (user.is_superuser or is_representative(user, organization)))


def can_view_organization(user, organization) -> bool:
    """Published profiles are public; unpublished ones only for members and coordinators."""
    return organization.is_published or can_edit_organization(user, organization) or is_coordinator_or_admin(user)


def can_review_profiles(user) -> bool:
    return is_coordinator_or_admin(user)


def can_view_contacts(user, organization) -> bool:
    """Private contact persons: the group's members, coordinators, admins, and the other parties of
    a match with this group that every participant has accepted."""
    if user is None or not user.is_authenticated:
        return False
    if is_organization_member(user, organization) or is_coordinator_or_admin(user):
        return True
    my_parties = party_ids_of(user)
    if not my_parties:
        return False
    from matching.models import Match, MatchParticipant

    not_accepted = [MatchParticipant.Response.PENDING, MatchParticipant.Response.DECLINED]
    return (
        Match.objects.filter(participants__party_id=organization.party_id)
        .filter(participants__party_id__in=my_parties)
        .exclude(participants__response__in=not_accepted)
        .exists()
    )


def can_edit_department(user, department) -> bool:
    return bool(user and user.is_authenticated and (user.is_superuser or department.pk in user.department_ids))


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
