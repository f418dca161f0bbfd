"""A user's roles come from one query, once per request, and a role change shows on the next request."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from organizations.permissions import party_ids_of
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
    user.__dict__.pop("organization_ids")  # what organizations.services does after changing memberships
    assert user.organization_ids == {organization.pk}
    assert user.is_coordinator
