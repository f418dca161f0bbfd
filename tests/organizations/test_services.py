import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.exceptions import ConflictError, PermissionDenied, TransitionError
from demo import factories as f
from notifications.models import Notification
from organizations import selectors, services
from organizations.models import (
    Department,
    DepartmentMembership,
    Invitation,
    Organization,
    OrganizationMembership,
    ProfileRevision,
    ReviewStatus,
)

from .helpers import profile_data

pytestmark = pytest.mark.django_db


# --- creating and submitting profiles ----------------------------------------------------------


def test_verified_user_creates_group_as_representative_and_it_waits_for_review():
    user = f.UserFactory()
    org = services.organization_create(user=user, data=profile_data())
    assert org.name == "NPO法人 子育てひろば"
    assert not org.is_published and org.review_status == ReviewStatus.PENDING
    assert org.memberships.get().user == user
    assert org.memberships.get().role == OrganizationMembership.Role.REPRESENTATIVE
    revision = org.revisions.get()
    assert revision.status == ProfileRevision.Status.PENDING and revision.submitted_by == user
    assert list(org.activity_fields.values_list("number", flat=True)) == [13]


def test_unverified_user_cannot_create_a_group():
    user = f.UserFactory(verified=False)
    with pytest.raises(PermissionDenied):
        services.organization_create(user=user, data=profile_data())
    assert not Organization.objects.exists()


def test_edit_of_published_profile_keeps_published_version_until_approval(coordinator):
    org = f.OrganizationFactory(name="旧い名前の会", description="公開中の紹介")
    member = f.make_group_member(org)
    services.organization_submit_profile(
        user=member,
        organization=org,
        data=profile_data(name="新しい名前の会", description="申請中の紹介"),
        version=org.version,
    )
    org.refresh_from_db()
    assert org.name == "旧い名前の会" and org.description == "公開中の紹介"
    assert org.is_published and org.review_status == ReviewStatus.PENDING
    revision = selectors.pending_profile_revision(org)
    services.profile_revision_approve(user=coordinator, revision=revision)
    org.refresh_from_db()
    assert org.name == "新しい名前の会" and org.description == "申請中の紹介"
    assert org.review_status == ReviewStatus.PUBLISHED and org.is_published
    revision.refresh_from_db()
    assert revision.status == ProfileRevision.Status.APPROVED
    assert revision.reviewed_by == coordinator and revision.reviewed_at is not None


def test_resubmission_replaces_the_pending_revision():
    org = f.OrganizationFactory()
    member = f.make_group_member(org)
    first = services.organization_submit_profile(
        user=member, organization=org, data=profile_data(name="案1"), version=org.version
    )
    org.refresh_from_db()
    second = services.organization_submit_profile(
        user=member, organization=org, data=profile_data(name="案2"), version=org.version
    )
    first.refresh_from_db()
    assert first.status == ProfileRevision.Status.SUPERSEDED
    assert selectors.pending_profile_revision(org) == second


def test_stale_version_raises_conflict():
    org = f.OrganizationFactory()
    member = f.make_group_member(org)
    loaded_version = org.version
    services.organization_submit_profile(user=member, organization=org, data=profile_data(), version=loaded_version)
    with pytest.raises(ConflictError):
        services.organization_submit_profile(
            user=member, organization=org, data=profile_data(name="後から"), version=loaded_version
        )


def test_member_of_group_a_cannot_submit_profile_of_group_b():
    a, b = f.OrganizationFactory(), f.OrganizationFactory()
    member_a = f.make_group_member(a)
    with pytest.raises(PermissionDenied):
        services.organization_submit_profile(user=member_a, organization=b, data=profile_data(), version=b.version)


def test_unpublished_group_is_updated_at_once_on_submit():
    user = f.UserFactory()
    org = services.organization_create(user=user, data=profile_data(name="最初の名前"))
    org.refresh_from_db()
    services.organization_submit_profile(
        user=user, organization=org, data=profile_data(name="直した名前"), version=org.version
    )
    org.refresh_from_db()
    assert org.name == "直した名前" and not org.is_published


# --- review ------------------------------------------------------------------------------------


def test_approval_publishes_and_notifies_members_by_notice_and_mail(coordinator, django_capture_on_commit_callbacks):
    user = f.UserFactory(email="rep@example.jp")
    org = services.organization_create(user=user, data=profile_data())
    with django_capture_on_commit_callbacks(execute=True):
        services.profile_revision_approve(user=coordinator, revision=org.revisions.get())
    org.refresh_from_db()
    assert org.is_published and org.published_at is not None
    notice = Notification.objects.get(recipient=user)
    assert notice.kind == "review" and "公開されました" in notice.title
    assert any("rep@example.jp" in m.to for m in mail.outbox)


def test_return_requires_reason_and_keeps_published_version(coordinator):
    org = f.OrganizationFactory(name="公開中の会")
    member = f.make_group_member(org)
    revision = services.organization_submit_profile(
        user=member, organization=org, data=profile_data(name="変更案"), version=org.version
    )
    with pytest.raises(TransitionError):
        services.profile_revision_return(user=coordinator, revision=revision, reason="  ")
    services.profile_revision_return(user=coordinator, revision=revision, reason="団体の紹介文を具体的に")
    org.refresh_from_db()
    revision.refresh_from_db()
    assert org.name == "公開中の会" and org.is_published
    assert org.review_status == ReviewStatus.RETURNED
    assert revision.status == ProfileRevision.Status.RETURNED
    assert revision.return_reason == "団体の紹介文を具体的に" and revision.reviewed_by == coordinator
    notice = Notification.objects.get(recipient=member)
    assert "差戻しの理由：団体の紹介文を具体的に" in notice.body


def test_only_coordinators_review(group_member):
    org = group_member.organization_memberships.get().organization
    revision = services.organization_submit_profile(
        user=group_member, organization=org, data=profile_data(), version=org.version
    )
    with pytest.raises(PermissionDenied):
        services.profile_revision_approve(user=group_member, revision=revision)
    with pytest.raises(PermissionDenied):
        services.profile_revision_return(user=group_member, revision=revision, reason="x")


def test_a_reviewed_revision_cannot_be_reviewed_again(coordinator):
    user = f.UserFactory()
    org = services.organization_create(user=user, data=profile_data())
    revision = org.revisions.get()
    services.profile_revision_approve(user=coordinator, revision=revision)
    with pytest.raises(TransitionError, match="承認"):
        services.profile_revision_approve(user=coordinator, revision=revision)
    with pytest.raises(TransitionError):
        services.profile_revision_return(user=coordinator, revision=revision, reason="遅れて差戻し")


# --- claims ------------------------------------------------------------------------------------


def test_claim_of_unmanaged_group_makes_claimant_representative_on_approval(coordinator):
    org = f.OrganizationFactory()
    user = f.UserFactory()
    revision = services.organization_claim(user=user, organization=org, message="事務局長です")
    assert revision.kind == ProfileRevision.Kind.CLAIM
    with pytest.raises(TransitionError):
        services.organization_claim(user=user, organization=org, message="再送")
    services.profile_revision_approve(user=coordinator, revision=revision)
    assert org.memberships.get().user == user
    assert org.memberships.get().role == OrganizationMembership.Role.REPRESENTATIVE


def test_claim_of_managed_group_is_refused(organization, group_member):
    with pytest.raises(PermissionDenied):
        services.organization_claim(user=f.UserFactory(), organization=organization)


def test_unverified_user_cannot_claim():
    with pytest.raises(PermissionDenied):
        services.organization_claim(user=f.UserFactory(verified=False), organization=f.OrganizationFactory())


def test_returned_claim_notifies_only_the_claimant(coordinator):
    org = f.OrganizationFactory()
    user = f.UserFactory()
    revision = services.organization_claim(user=user, organization=org)
    services.profile_revision_return(user=coordinator, revision=revision, reason="確認が取れませんでした")
    assert not org.memberships.exists()
    assert Notification.objects.get().recipient == user


# --- members and invitations ----------------------------------------------------------------------


def test_representative_invites_member_by_mail_with_seven_day_link(django_capture_on_commit_callbacks):
    org = f.OrganizationFactory(name="みどりの会")
    rep = f.make_group_member(org)
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.member_invite(user=rep, organization=org, email="new@example.jp")
    assert invitation.invited_by == rep and invitation.role == OrganizationMembership.Role.EDITOR
    delta = invitation.expires_at - timezone.now()
    assert datetime.timedelta(days=6, hours=23) < delta <= datetime.timedelta(days=7)
    assert mail.outbox[-1].to == ["new@example.jp"]
    assert f"/invitations/{invitation.token}/" in mail.outbox[-1].body
    assert "みどりの会" in mail.outbox[-1].subject


def test_editor_cannot_invite_or_remove_members():
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    editor = f.make_group_member(org, role=OrganizationMembership.Role.EDITOR)
    with pytest.raises(PermissionDenied):
        services.member_invite(user=editor, organization=org, email="x@example.jp")
    with pytest.raises(PermissionDenied):
        services.member_remove(user=editor, membership=rep.organization_memberships.get())


def test_representative_removes_a_member_but_not_the_last_representative():
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    editor = f.make_group_member(org, role=OrganizationMembership.Role.EDITOR)
    services.member_remove(user=rep, membership=editor.organization_memberships.get())
    assert not org.memberships.filter(user=editor).exists()
    with pytest.raises(TransitionError, match="最後の代表者"):
        services.member_remove(user=rep, membership=rep.organization_memberships.get())
    # who removed whom is kept in the membership history
    removal = OrganizationMembership.history.filter(user_id=editor.pk, history_type="-").get()
    assert removal.history_date is not None


def test_coordinator_invites_department_staff_and_invitee_signs_up(coordinator):
    dept = f.DepartmentFactory(parent=f.DivisionFactory())
    invitation = services.staff_invite(user=coordinator, department=dept, email="staff@city.example.jp")
    user = services.invitation_sign_up(
        invitation=invitation, password="kyodo-pass-2025", family_name="山田", given_name="花子"
    )
    assert user.email == "staff@city.example.jp"
    assert user.emailaddress_set.get().verified
    assert dept.memberships.get().user == user
    assert dept.memberships.get().role == DepartmentMembership.Role.STAFF
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None


def test_coordinator_can_invite_into_the_coordinating_section(coordinator):
    section = Department.objects.get(is_coordinating_section=True)
    invitation = services.staff_invite(user=coordinator, department=section, email="c2@city.example.jp")
    user = services.invitation_sign_up(
        invitation=invitation, password="kyodo-pass-2025", family_name="a", given_name="b"
    )
    assert user.is_coordinator


def test_only_coordinators_invite_staff(department_staff, department):
    with pytest.raises(PermissionDenied):
        services.staff_invite(user=department_staff, department=department, email="x@city.example.jp")


def test_expired_invitation_fails_with_clear_message(coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="late@city.example.jp")
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    invitation.refresh_from_db()
    with pytest.raises(TransitionError, match="有効期限.*切れています"):
        services.invitation_sign_up(invitation=invitation, password="kyodo-pass-2025", family_name="a", given_name="b")
    assert not department.memberships.filter(user__email="late@city.example.jp").exists()


def test_used_invitation_cannot_be_used_again(coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="once@city.example.jp")
    user = services.invitation_sign_up(
        invitation=invitation, password="kyodo-pass-2025", family_name="a", given_name="b"
    )
    with pytest.raises(TransitionError, match="すでに使用"):
        services.invitation_accept(user=user, invitation=invitation)


def test_invitation_is_accepted_only_by_the_invited_address(coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="right@city.example.jp")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=f.UserFactory(email="wrong@example.jp"), invitation=invitation)


def test_existing_user_accepts_group_invitation():
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    invitee = f.UserFactory(email="Friend@example.jp")
    invitation = services.member_invite(user=rep, organization=org, email="friend@example.jp")
    services.invitation_accept(user=invitee, invitation=invitation)
    assert org.pk in invitee.organization_ids


def test_representative_revokes_a_group_invitation_and_the_link_stops_working():
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    invitation = services.member_invite(user=rep, organization=org, email="typo@example.jp")
    services.invitation_revoke(user=rep, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_by == rep and invitation.revoked_at is not None
    assert not invitation.is_pending
    with pytest.raises(TransitionError, match="取り消されました"):
        services.invitation_accept(user=f.UserFactory(email="typo@example.jp"), invitation=invitation)
    with pytest.raises(TransitionError, match="すでに取り消されています"):
        services.invitation_revoke(user=rep, invitation=invitation)


def test_only_the_inviting_side_revokes_invitations(coordinator, department, department_staff):
    org = f.OrganizationFactory()
    rep = f.make_group_member(org)
    editor = f.make_group_member(org, role=OrganizationMembership.Role.EDITOR)
    group_invitation = services.member_invite(user=rep, organization=org, email="a@example.jp")
    staff_invitation = services.staff_invite(user=coordinator, department=department, email="b@city.example.jp")
    other_rep = f.make_group_member(f.OrganizationFactory())
    for user, invitation in [
        (editor, group_invitation),
        (other_rep, group_invitation),
        (coordinator, group_invitation),  # a group's members are the representative's business
        (department_staff, staff_invitation),
        (rep, staff_invitation),
    ]:
        with pytest.raises(PermissionDenied):
            services.invitation_revoke(user=user, invitation=invitation)
    assert not Invitation.objects.filter(revoked_at__isnull=False).exists()
    services.invitation_revoke(user=coordinator, invitation=staff_invitation)


def test_an_accepted_invitation_cannot_be_revoked(coordinator, department):
    invitation = services.staff_invite(user=coordinator, department=department, email="in@city.example.jp")
    services.invitation_sign_up(invitation=invitation, password="kyodo-pass-2025", family_name="a", given_name="b")
    with pytest.raises(TransitionError, match="受諾されているため"):
        services.invitation_revoke(user=coordinator, invitation=invitation)


def test_inviting_an_existing_member_is_refused():
    org = f.OrganizationFactory()
    rep = f.make_group_member(org, email="rep@example.jp")
    with pytest.raises(TransitionError):
        services.member_invite(user=rep, organization=org, email="rep@example.jp")


# --- activities and departments --------------------------------------------------------------------


def test_department_staff_update_their_page_and_version_guards_conflicts(department, department_staff):
    services.department_update(
        user=department_staff,
        department=department,
        data={"duties": "子育て支援", "policies": "子ども食堂の支援"},
        version=department.version,
    )
    department.refresh_from_db()
    assert department.duties == "子育て支援" and department.version == 2
    with pytest.raises(ConflictError):
        services.department_update(user=department_staff, department=department, data={"duties": "x"}, version=1)


def test_staff_of_another_department_cannot_edit(department):
    other = f.make_department_staff(f.DepartmentFactory())
    with pytest.raises(PermissionDenied):
        services.department_update(user=other, department=department, data={"duties": "x"}, version=None)


def test_activity_delete_checks_membership():
    activity = f.ActivityFactory()
    with pytest.raises(PermissionDenied):
        services.activity_delete(user=f.make_group_member(), activity=activity)
    services.activity_delete(user=f.make_group_member(activity.organization), activity=activity)
    assert not type(activity).objects.filter(pk=activity.pk).exists()
