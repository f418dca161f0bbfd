"""A user's roles come from one query, once per request, and a role change shows on the next request."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts import roles
from accounts.models import User
from accounts.roles import party_ids_of
from organizations.models import DepartmentMembership, OrganizationMembership
from tests import factories as f

pytestmark = pytest.mark.django_db


def _membership_queries(queries):
    return [q for q in queries.captured_queries if "membership" in q["sql"]]


def test_all_roles_come_from_one_query(organization, department, django_assert_num_queries):
    user = f.make_group_member(organization)
    f.DepartmentMembershipFactory(user=user, department=department)
    section = f.CoordinatingSectionFactory()
    f.DepartmentMembershipFactory(user=user, department=section)
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user.organization_ids == {organization.pk}
        assert user.department_ids == {department.pk, section.pk}
        assert user.is_coordinator
        assert party_ids_of(user) == {organization.party_id, department.party_id, section.party_id}
        assert user.party_names == {
            department.party_id: department.name,
            section.party_id: section.name,
            organization.party_id: organization.name,
        }
        assert user.is_group_member and user.is_department_staff


def test_a_user_without_memberships_has_no_roles(django_assert_num_queries):
    user = User.objects.get(pk=f.UserFactory().pk)
    with django_assert_num_queries(1):
        assert not user.is_coordinator and user.organization_ids == set() and party_ids_of(user) == set()


def test_roles_are_read_once_per_request(client, coordinator, organization):
    f.OrganizationMembershipFactory(user=coordinator, organization=organization)
    listing = f.ListingFactory()
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(listing.get_absolute_url())  # asks for roles many times: views, permissions, tags
    assert response.context["is_coordinator"] is True
    assert len(_membership_queries(queries)) == 1


def test_a_role_change_shows_on_the_next_request(client, department):
    listing = f.ListingFactory()
    user = f.make_department_staff(department)
    client.force_login(user)
    assert client.get(listing.get_absolute_url()).context["is_coordinator"] is False

    f.DepartmentMembershipFactory(user=user, department=f.CoordinatingSectionFactory())
    assert client.get(listing.get_absolute_url()).context["is_coordinator"] is True

    user.department_memberships.all().delete()
    response = client.get(listing.get_absolute_url())
    assert response.context["is_coordinator"] is False and response.context["interest_form"] is None


def test_forgetting_one_role_reloads_them_all(organization):
    user = User.objects.get(pk=f.make_group_member(organization).pk)
    assert user.organization_ids == {organization.pk} and not user.is_coordinator
    f.DepartmentMembershipFactory(user=user, department=f.CoordinatingSectionFactory())
    assert not user.is_coordinator  # cached for this request
    user.__dict__.pop("organization_ids")
    assert user.organization_ids == {organization.pk}
    assert user.is_coordinator


def test_signing_parties_come_from_the_same_query(organization, department, django_assert_num_queries):
    rep = f.make_group_member(organization)
    f.DepartmentMembershipFactory(user=rep, department=department, role=DepartmentMembership.Role.STAFF)
    editor = f.make_group_member(organization, role=OrganizationMembership.Role.EDITOR)
    rep, editor = User.objects.get(pk=rep.pk), User.objects.get(pk=editor.pk)
    with django_assert_num_queries(1):
        assert roles.authorised_party_ids_of(rep) == {organization.party_id}
        assert roles.is_representative(rep, organization)
    assert roles.authorised_party_ids_of(editor) == set() and not roles.is_representative(editor, organization)


def test_admins_act_as_coordinators_but_are_not_told_of_their_work(coordinator, admin_user):
    assert roles.is_coordinator_or_admin(admin_user) and roles.is_admin(admin_user)
    assert not roles.is_coordinator(admin_user)
    assert roles.is_coordinator_or_admin(coordinator) and not roles.is_admin(coordinator)
    assert not roles.is_coordinator_or_admin(AnonymousUser()) and not roles.is_admin(AnonymousUser())
    assert list(roles.coordinators()) == [coordinator]


def test_the_navigation_shows_coordinators_links_to_admins(client, admin_user, group_member):
    client.force_login(admin_user)
    assert reverse("listings:review_queue") in client.get("/").content.decode()
    client.force_login(group_member)
    assert reverse("listings:review_queue") not in client.get("/").content.decode()


def test_members_of_parties_and_only_those_who_sign(organization, department):
    rep = f.make_group_member(organization)
    editor = f.make_group_member(organization, role=OrganizationMembership.Role.EDITOR)
    manager = f.make_department_staff(department, role=DepartmentMembership.Role.MANAGER)
    staff = f.make_department_staff(department)
    f.make_group_member(f.OrganizationFactory())  # another party's member
    gone = f.make_group_member(organization, is_active=False)
    parties = [organization.party, department.party_id]
    assert set(roles.members_of(parties)) == {rep, editor, manager, staff}
    assert gone not in roles.members_of(parties)
    assert set(roles.members_of(parties, signing_only=True)) == {rep, manager}
    assert roles.is_member_of(editor, organization.party) and roles.is_member_of(staff, parties)
    assert not roles.is_member_of(staff, organization.party_id)


def test_reset_roles_reloads_after_a_membership_change(organization):
    user = User.objects.get(pk=f.UserFactory().pk)
    assert roles.party_ids_of(user) == set()
    f.OrganizationMembershipFactory(user=user, organization=organization)
    assert roles.party_ids_of(user) == set()  # cached for this request
    roles.reset_roles(user)
    assert roles.party_ids_of(user) == {organization.party_id}
