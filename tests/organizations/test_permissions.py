import pytest
from django.contrib.auth.models import AnonymousUser

from demo import factories as f
from matching.models import MatchParticipant
from organizations import permissions as p

pytestmark = pytest.mark.django_db

Response = MatchParticipant.Response


def _match(*parties, responses):
    match = f.MatchFactory()
    for party, response in zip(parties, responses, strict=True):
        f.MatchParticipantFactory(match=match, party=party, response=response)
    return match


def test_anonymous_never_sees_contacts(organization):
    assert not p.can_view_contacts(AnonymousUser(), organization)


def test_own_members_and_coordinators_see_contacts(organization, group_member, coordinator, admin_user):
    assert p.can_view_contacts(group_member, organization)
    assert p.can_view_contacts(coordinator, organization)
    assert p.can_view_contacts(admin_user, organization)


def test_member_of_other_group_does_not_see_contacts(organization):
    assert not p.can_view_contacts(f.make_group_member(), organization)


def test_department_staff_without_match_does_not_see_contacts(organization, department_staff):
    assert not p.can_view_contacts(department_staff, organization)


def test_party_of_a_match_everyone_accepted_sees_contacts(organization, department, department_staff):
    _match(organization.party, department.party, responses=[Response.ACCEPTED, Response.ACCEPTED])
    assert p.can_view_contacts(department_staff, organization)


@pytest.mark.parametrize("pending", [Response.PENDING, Response.DECLINED])
def test_contacts_stay_hidden_until_every_participant_accepted(organization, department, department_staff, pending):
    third = f.OrganizationFactory()
    _match(
        organization.party,
        department.party,
        third.party,
        responses=[Response.ACCEPTED, Response.ACCEPTED, pending],
    )
    assert not p.can_view_contacts(department_staff, organization)


def test_accepted_match_without_this_group_does_not_open_its_contacts(organization, department, department_staff):
    other = f.OrganizationFactory()
    _match(other.party, department.party, responses=[Response.ACCEPTED, Response.ACCEPTED])
    assert not p.can_view_contacts(department_staff, organization)


def test_member_of_group_a_cannot_edit_group_b():
    a, b = f.OrganizationFactory(), f.OrganizationFactory()
    member_a = f.make_group_member(a)
    assert p.can_edit_organization(member_a, a)
    assert not p.can_edit_organization(member_a, b)
    assert not p.can_edit_organization(AnonymousUser(), a)


def test_only_representative_manages_members(organization):
    rep = f.make_group_member(organization)
    editor = f.make_group_member(organization, role="editor")
    assert p.can_manage_members(rep, organization)
    assert not p.can_manage_members(editor, organization)


def test_unpublished_group_visible_only_to_members_and_coordinators(coordinator):
    org = f.OrganizationFactory(is_published=False, review_status="pending")
    member = f.make_group_member(org)
    assert p.can_view_organization(member, org)
    assert p.can_view_organization(coordinator, org)
    assert not p.can_view_organization(AnonymousUser(), org)
    assert not p.can_view_organization(f.make_group_member(), org)
    assert org not in p.organizations_visible_to(AnonymousUser())
    assert org in p.organizations_visible_to(member)
    assert org in p.organizations_visible_to(coordinator)


def test_unverified_user_cannot_create_or_claim():
    user = f.UserFactory(verified=False)
    assert not p.can_create_organization(user)
    assert not p.can_claim_organization(user, f.OrganizationFactory())
    assert p.can_create_organization(f.UserFactory())


def test_department_edit_and_staff_invitation_rights(department, department_staff, coordinator):
    assert p.can_edit_department(department_staff, department)
    assert not p.can_edit_department(f.make_department_staff(), department)
    assert not p.can_edit_department(f.make_group_member(), department)
    assert p.can_invite_staff(coordinator)
    assert not p.can_invite_staff(department_staff)


def test_party_ids_of_covers_groups_and_departments(organization, department):
    user = f.make_group_member(organization)
    f.DepartmentMembershipFactory(user=user, department=department)
    user = type(user).objects.get(pk=user.pk)
    assert p.party_ids_of(user) == {organization.party_id, department.party_id}
