import pytest
from django.contrib.auth import authenticate

from accounts.models import User
from demo import factories as f


@pytest.mark.django_db
def test_email_is_the_login():
    user = User.objects.create_user(email="Taro@Example.JP", password="long-enough-pass")
    assert user.email == "Taro@example.jp"
    assert authenticate(username="Taro@example.jp", password="long-enough-pass") == user


@pytest.mark.django_db
def test_user_keeps_names_and_readings():
    user = f.UserFactory(family_name="佐藤", given_name="花子", family_name_kana="さとう", given_name_kana="はなこ")
    assert str(user) == "佐藤 花子"
    assert user.family_name_kana == "さとう"


@pytest.mark.django_db
def test_roles_follow_memberships(organization, department, coordinator):
    member = f.make_group_member(organization)
    staff = f.make_department_staff(department)
    assert member.is_group_member and not member.is_department_staff and not member.is_coordinator
    assert staff.is_department_staff and not staff.is_group_member and not staff.is_coordinator
    assert coordinator.is_coordinator
    assert member.organization_ids == {organization.pk}
    assert staff.department_ids == {department.pk}


@pytest.mark.django_db
def test_a_person_can_belong_to_several_organizations():
    user = f.make_group_member()
    other = f.OrganizationFactory()
    f.OrganizationMembershipFactory(user=user, organization=other, role="editor")
    assert len(User.objects.get(pk=user.pk).organization_ids) == 2


@pytest.mark.django_db
def test_create_superuser_is_admin():
    admin = User.objects.create_superuser(email="root@example.jp", password="long-enough-pass")
    assert admin.is_staff and admin.is_superuser
