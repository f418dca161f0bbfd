"""Every write of groups and departments: profiles and their review, claims, members, invitations,
activities and department pages. One function per use case; each checks who may act."""

import datetime
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import reset_roles
from core.bulk import BulkOutcome, apply_each
from core.exceptions import PermissionDenied, TransitionError
from core.locking import check_version
from core.site import absolute_url
from notifications.models import NoticeKind
from notifications.services import notify

from . import permissions
from .models import (
    Activity,
    Area,
    Department,
    DepartmentMembership,
    Invitation,
    Organization,
    OrganizationMembership,
    ProfileRevision,
    ReviewStatus,
)
from .selectors import M2M_FIELDS, PROFILE_FIELDS, profile_data_of

INVITATION_VALID_DAYS = 7

DEPARTMENT_FIELDS = ("duties", "policies", "public_email", "public_phone", "location")


# --- profile data ---------------------------------------------------------------------------


def profile_data_from_cleaned(cleaned: dict, *, current: dict | None = None) -> dict:
    """Turn a profile form's cleaned data into the JSON a ProfileRevision keeps.

    A newly uploaded logo is stored at once under a random name and the revision keeps that name;
    without an upload the current logo is kept (clearing it stores "").
    """
    data = {}
    for name in PROFILE_FIELDS:
        value = cleaned.get(name)
        if name in M2M_FIELDS:
            data[name] = sorted(obj.pk for obj in (value or []))
        elif name == "area":
            data[name] = value.pk if value else None
        elif name == "founded_on":
            data[name] = value.isoformat() if value else None
        elif name == "logo":
            if value is False:  # ClearableFileInput's "clear"
                data[name] = ""
            elif isinstance(value, UploadedFile):
                field = Organization._meta.get_field("logo")
                data[name] = default_storage.save(field.generate_filename(None, value.name), value)
            else:
                data[name] = (current or {}).get("logo", "")
        else:
            data[name] = value if value is not None else ("" if name != "member_count" else None)
    return data


def _apply_profile(organization: Organization, data: dict) -> None:
    for name in PROFILE_FIELDS:
        if name in M2M_FIELDS:
            continue
        value = data.get(name)
        if name == "area":
            organization.area = Area.objects.filter(pk=value).first() if value else None
        elif name == "founded_on":
            organization.founded_on = datetime.date.fromisoformat(value) if value else None
        elif name == "logo":
            organization.logo.name = value or ""
        else:
            setattr(organization, name, value if value is not None else getattr(Organization(), name))
    organization.full_clean(exclude=["logo", "party"])
    organization.save()
    organization.activity_fields.set(data.get("activity_fields") or [])
    organization.open_forms.set(data.get("open_forms") or [])


def _members(organization):
    return [m.user for m in organization.memberships.select_related("user")]


# --- group profile and review ---------------------------------------------------------------


@transaction.atomic
def organization_create(*, user, data: dict) -> Organization:
    """A verified user registers a new group; they become its representative and the profile goes
    to review (申請中). Nothing is public until a coordinator approves."""
    if not permissions.can_create_organization(user):
        raise PermissionDenied(_("団体を登録するには、メールアドレスの確認を済ませてください。"))
    organization = Organization(review_status=ReviewStatus.PENDING)
    _apply_profile(organization, data)
    OrganizationMembership.objects.create(
        user=user, organization=organization, role=OrganizationMembership.Role.REPRESENTATIVE
    )
    reset_roles(user)
    ProfileRevision.objects.create(organization=organization, data=data, submitted_by=user)
    return organization


@transaction.atomic
def organization_submit_profile(
    *, user, organization: Organization, data: dict, version: int | None
) -> ProfileRevision:
    """A member submits an edited profile for review.

    A published profile stays as it is until approval; an unpublished one is updated at once (it is
    not public) so its members see what they sent. A still-pending earlier submission is replaced.
    """
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not permissions.can_edit_organization(user, organization):
        raise PermissionDenied(_("この団体の情報を編集する権限がありません。"))
    check_version(organization, version)
    organization.revisions.filter(kind=ProfileRevision.Kind.PROFILE, status=ProfileRevision.Status.PENDING).update(
        status=ProfileRevision.Status.SUPERSEDED, reviewed_at=timezone.now()
    )
    if not organization.is_published:
        _apply_profile(organization, data)
    revision = ProfileRevision.objects.create(organization=organization, data=data, submitted_by=user)
    organization.review_status = ReviewStatus.PENDING
    organization.version += 1
    organization.save(update_fields=["review_status", "version", "updated_at"])
    return revision


@transaction.atomic
def organization_claim(*, user, organization: Organization, message: str = "") -> ProfileRevision:
    """A verified user asks to manage an existing group that nobody manages yet."""
    if not permissions.can_claim_organization(user, organization):
        raise PermissionDenied(_("この団体の管理者申請はできません。"))
    if organization.revisions.filter(
        kind=ProfileRevision.Kind.CLAIM, status=ProfileRevision.Status.PENDING, submitted_by=user
    ).exists():
        raise TransitionError(_("この団体への管理者申請はすでに審査中です。"))
    return ProfileRevision.objects.create(
        organization=organization,
        kind=ProfileRevision.Kind.CLAIM,
        data=profile_data_of(organization),
        message=message,
        submitted_by=user,
    )


def _locked_pending(revision: ProfileRevision) -> ProfileRevision:
    revision = ProfileRevision.objects.select_for_update().select_related("organization").get(pk=revision.pk)
    if revision.status != ProfileRevision.Status.PENDING:
        raise TransitionError(
            _("この申請は「%(status)s」のため審査できません。") % {"status": revision.get_status_display()}
        )
    return revision


@transaction.atomic
def profile_revision_approve(*, user, revision: ProfileRevision) -> ProfileRevision:
    """A coordinator approves: a profile is applied and published; a claim makes the claimant the
    group's representative. The group's members are notified."""
    if not permissions.can_review_profiles(user):
        raise PermissionDenied(_("審査はコーディネーターのみが行えます。"))
    revision = _locked_pending(revision)
    organization = revision.organization
    now = timezone.now()
    if revision.kind == ProfileRevision.Kind.CLAIM:
        Organization.objects.select_for_update().filter(pk=organization.pk).first()  # one claim at a time
        if organization.memberships.exists():
            raise TransitionError(_("この団体にはすでに管理者がいるため、管理者申請を承認できません。"))
        OrganizationMembership.objects.create(
            user=revision.submitted_by, organization=organization, role=OrganizationMembership.Role.REPRESENTATIVE
        )

        def title():
            return _("「%(name)s」の管理者申請が承認されました") % {"name": organization.name}
    else:
        _apply_profile(organization, revision.data)
        organization.is_published = True
        organization.review_status = ReviewStatus.PUBLISHED
        organization.published_at = now
        organization.version += 1
        organization.save(update_fields=["is_published", "review_status", "published_at", "version", "updated_at"])

        def title():
            return _("「%(name)s」の団体情報が公開されました") % {"name": organization.name}

    revision.status = ProfileRevision.Status.APPROVED
    revision.reviewed_by = user
    revision.reviewed_at = now
    revision.save(update_fields=["status", "reviewed_by", "reviewed_at", "updated_at"])
    notify(
        recipients=_members(organization),
        kind=NoticeKind.REVIEW,
        title=title,
        body=lambda: _("コーディネーターが申請を承認しました。"),
        url=organization.get_absolute_url(),
    )
    return revision


@transaction.atomic
def profile_revision_return(*, user, revision: ProfileRevision, reason: str) -> ProfileRevision:
    """A coordinator returns a submission with a reason (差戻し); the published version stays."""
    if not permissions.can_review_profiles(user):
        raise PermissionDenied(_("審査はコーディネーターのみが行えます。"))
    reason = (reason or "").strip()
    if not reason:
        raise TransitionError(_("差戻しの理由を入力してください。"))
    revision = _locked_pending(revision)
    organization = revision.organization
    revision.status = ProfileRevision.Status.RETURNED
    revision.return_reason = reason
    revision.reviewed_by = user
    revision.reviewed_at = timezone.now()
    revision.save(update_fields=["status", "return_reason", "reviewed_by", "reviewed_at", "updated_at"])
    if revision.kind == ProfileRevision.Kind.CLAIM:
        recipients = [revision.submitted_by]

        def title():
            return _("「%(name)s」の管理者申請が差し戻されました") % {"name": organization.name}

        url = reverse("organizations:my_organizations")
    else:
        organization.review_status = ReviewStatus.RETURNED
        organization.save(update_fields=["review_status", "updated_at"])
        recipients = _members(organization)

        def title():
            return _("「%(name)s」の団体情報が差し戻されました") % {"name": organization.name}

        url = reverse("organizations:edit", args=[organization.pk])
    notify(
        recipients=recipients,
        kind=NoticeKind.REVIEW,
        title=title,
        body=lambda: _("差戻しの理由：%(reason)s") % {"reason": reason},
        url=url,
    )
    return revision


def profile_revisions_review_bulk(*, user, revision_ids: list[int], action: str, reason: str = "") -> BulkOutcome:
    """Approve or return several requests from the profile review queue: each goes through
    `profile_revision_approve` or `profile_revision_return` (permission, who and when, notice) in its
    own transaction, and each one refused is reported with the reason."""
    revisions = {r.pk: r for r in ProfileRevision.objects.filter(pk__in=revision_ids).select_related("organization")}
    if action == "approve":

        def move(revision):
            profile_revision_approve(user=user, revision=revision)

    elif action == "return":

        def move(revision):
            profile_revision_return(user=user, revision=revision, reason=reason)

    else:
        raise TransitionError(_("この操作はまとめて行えません。"))
    outcome = apply_each(
        (revisions[pk] for pk in revision_ids if pk in revisions), move, label=lambda r: r.organization.name
    )
    outcome.failed += [(f"#{pk}", _("見つかりません。")) for pk in revision_ids if pk not in revisions]
    return outcome


@transaction.atomic
def contact_persons_save(*, user, organization: Organization, formset) -> None:
    """Save the private contact persons (a valid inline formset). They are never public, so they
    do not go through review."""
    if not permissions.can_edit_organization(user, organization):
        raise PermissionDenied(_("この団体の情報を編集する権限がありません。"))
    formset.instance = organization
    formset.save()


# --- members and invitations ----------------------------------------------------------------


def _send_invitation(invitation: Invitation, target_name: str) -> None:
    # The invitee has no account yet, so this cannot go through notify(); it is the one direct mail.
    url = absolute_url(reverse("organizations:invitation_accept", args=[invitation.token]))
    context = {"invitation": invitation, "target_name": target_name, "url": url, "days": INVITATION_VALID_DAYS}
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + _("%(target)sへの招待") % {"target": target_name}
    body = render_to_string("organizations/email/invitation.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, None, [invitation.email]))


def _create_invitation(*, user, email: str, role: str, department=None, organization=None) -> Invitation:
    email = email.strip()
    Invitation.objects.filter(
        email__iexact=email, department=department, organization=organization, accepted_at__isnull=True
    ).update(expires_at=timezone.now())
    invitation = Invitation.objects.create(
        email=email,
        department=department,
        organization=organization,
        role=role,
        token=secrets.token_urlsafe(32),
        invited_by=user,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_VALID_DAYS),
    )
    _send_invitation(invitation, (department or organization).__str__())
    return invitation


@transaction.atomic
def staff_invite(*, user, department: Department, email: str, role: str = DepartmentMembership.Role.STAFF):
    """A coordinator invites a staff member (or a coordinator) to a department by e-mail."""
    if not permissions.can_invite_staff(user):
        raise PermissionDenied(_("職員の招待はコーディネーターのみが行えます。"))
    if role not in DepartmentMembership.Role.values:
        raise TransitionError(_("役割の指定が正しくありません。"))
    if department.memberships.filter(user__email__iexact=email.strip()).exists():
        raise TransitionError(_("この方はすでにこの部署の職員として登録されています。"))
    return _create_invitation(user=user, email=email, role=role, department=department)


@transaction.atomic
def member_invite(
    *, user, organization: Organization, email: str, role: str = OrganizationMembership.Role.EDITOR
) -> Invitation:
    """The group's representative invites another member by e-mail."""
    if not permissions.can_manage_members(user, organization):
        raise PermissionDenied(_("構成員の招待は団体の代表者のみが行えます。"))
    if role not in OrganizationMembership.Role.values:
        raise TransitionError(_("役割の指定が正しくありません。"))
    if organization.memberships.filter(user__email__iexact=email.strip()).exists():
        raise TransitionError(_("この方はすでにこの団体の構成員です。"))
    return _create_invitation(user=user, email=email, role=role, organization=organization)


@transaction.atomic
def member_remove(*, user, membership: OrganizationMembership) -> None:
    """The representative removes a member; the last representative cannot be removed."""
    organization = membership.organization
    if not permissions.can_manage_members(user, organization):
        raise PermissionDenied(_("構成員の削除は団体の代表者のみが行えます。"))
    # Lock the group first: two representatives removing each other at once must not both pass
    # the "last representative" check.
    Organization.objects.select_for_update().filter(pk=organization.pk).first()
    reps = organization.memberships.filter(role=OrganizationMembership.Role.REPRESENTATIVE)
    if membership.role == OrganizationMembership.Role.REPRESENTATIVE and reps.count() <= 1:
        raise TransitionError(_("最後の代表者は削除できません。先に別の代表者を決めてください。"))
    membership.delete()
    reset_roles(membership.user)


@transaction.atomic
def invitation_revoke(*, user, invitation: Invitation) -> Invitation:
    """Withdraw an invitation that was sent to the wrong address or is no longer wanted: the
    representative for a group's, coordinators for a department's."""
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("organization").get(pk=invitation.pk)
    allowed = (
        permissions.can_manage_members(user, invitation.organization)
        if invitation.organization_id
        else permissions.can_invite_staff(user)
    )
    if not allowed:
        raise PermissionDenied(_("この招待を取り消す権限がありません。"))
    if invitation.accepted_at:
        raise TransitionError(_("この招待はすでに受諾されているため取り消せません。"))
    if invitation.revoked_at:
        raise TransitionError(_("この招待はすでに取り消されています。"))
    invitation.revoked_at = timezone.now()
    invitation.revoked_by = user
    invitation.save(update_fields=["revoked_at", "revoked_by", "updated_at"])
    return invitation


def invitation_check(invitation: Invitation) -> None:
    """Raise TransitionError with the reason when the invitation can no longer be used."""
    if invitation.accepted_at:
        raise TransitionError(_("この招待はすでに使用されています。ログインしてご利用ください。"))
    if invitation.revoked_at:
        raise TransitionError(_("この招待は取り消されました。必要な場合は、招待した担当者にお問い合わせください。"))
    if invitation.expires_at <= timezone.now():
        raise TransitionError(
            _(
                "この招待リンクは有効期限（%(date)s）が切れています。招待した担当者に、もう一度招待を送るよう依頼してください。"
            )
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y年%m月%d日 %H:%M")}
        )


@transaction.atomic
def invitation_accept(*, user, invitation: Invitation):
    """A logged-in user with the invited e-mail joins the department or group."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    invitation_check(invitation)
    if not user.is_authenticated or user.email.lower() != invitation.email.lower():
        raise PermissionDenied(_("この招待は別のメールアドレス宛てです。招待されたアカウントでログインしてください。"))
    if invitation.department_id:
        membership, _created = DepartmentMembership.objects.get_or_create(
            user=user, department=invitation.department, defaults={"role": invitation.role}
        )
    else:
        membership, _created = OrganizationMembership.objects.get_or_create(
            user=user, organization=invitation.organization, defaults={"role": invitation.role}
        )
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at", "updated_at"])
    reset_roles(user)
    return membership


@transaction.atomic
def invitation_sign_up(
    *,
    invitation: Invitation,
    password: str,
    family_name: str,
    given_name: str,
    family_name_kana: str = "",
    given_name_kana: str = "",
):
    """Create the invitee's account from the invitation. The e-mail counts as verified: the link
    reached that mailbox. Then the invitation is accepted."""
    from allauth.account.models import EmailAddress

    invitation_check(invitation)
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise TransitionError(
            _("このメールアドレスのアカウントはすでにあります。ログインしてから招待を受けてください。")
        )
    user = User.objects.create_user(
        email=invitation.email,
        password=password,
        family_name=family_name,
        given_name=given_name,
        family_name_kana=family_name_kana,
        given_name_kana=given_name_kana,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    invitation_accept(user=user, invitation=invitation)
    return user


# --- activities -------------------------------------------------------------------------------


@transaction.atomic
def activity_save(*, user, organization: Organization, form, photo_formset) -> Activity:
    """Create or update an activity report and its photos (valid bound form and formset)."""
    if not permissions.can_edit_organization(user, organization):
        raise PermissionDenied(_("この団体の活動紹介を編集する権限がありません。"))
    activity = form.save(commit=False)
    if activity.organization_id and activity.organization_id != organization.pk:
        raise PermissionDenied(_("この団体の活動紹介を編集する権限がありません。"))
    activity.organization = organization
    activity.save()
    photo_formset.instance = activity
    photo_formset.save()
    return activity


@transaction.atomic
def activity_delete(*, user, activity: Activity) -> None:
    if not permissions.can_edit_organization(user, activity.organization):
        raise PermissionDenied(_("この団体の活動紹介を削除する権限がありません。"))
    activity.delete()


# --- departments -----------------------------------------------------------------------------


@transaction.atomic
def department_update(*, user, department: Department, data: dict, version: int | None) -> Department:
    """Staff of a department update its public page (所管業務, 施策, 公開の連絡先)."""
    department = Department.objects.select_for_update().get(pk=department.pk)
    if not permissions.can_edit_department(user, department):
        raise PermissionDenied(_("この担当課のページを編集する権限がありません。"))
    check_version(department, version)
    for name in DEPARTMENT_FIELDS:
        if name in data:
            setattr(department, name, data[name] or "")
    department.version += 1
    department.full_clean(exclude=["party"])
    department.save(update_fields=[*DEPARTMENT_FIELDS, "version", "updated_at"])
    return department
