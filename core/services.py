"""Security and personal-data use cases: deactivating and anonymising users, group data requests."""

from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import coordinators, is_coordinator_or_admin, is_representative, reset_roles
from core.exceptions import PermissionDenied, TransitionError
from core.models import DataRequest, SecurityEvent
from core.security import log_event

ANONYMOUS_FAMILY_NAME = "退会済み"
ANONYMOUS_GIVEN_NAME = "利用者"


def end_user_sessions(user) -> int:
    """Delete every server-side session of `user` (database sessions); returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


def _check_may_manage_user(actor, user):
    if not is_coordinator_or_admin(actor):
        raise PermissionDenied(_("利用者を停止・匿名化できるのはコーディネーターと管理者だけです。"))
    if user.pk == actor.pk:
        raise TransitionError(_("自分自身を停止・匿名化することはできません。"))
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(_("管理者を停止・匿名化できるのは管理者だけです。"))


@transaction.atomic
def user_deactivate(*, actor, user, request=None):
    """Stop a user from logging in and end all their sessions at once."""
    _check_may_manage_user(actor, user)
    if not user.is_active:
        raise TransitionError(_("この利用者はすでに停止されています。"))
    user.is_active = False
    user.save(update_fields=["is_active"])
    ended = end_user_sessions(user)
    log_event(
        SecurityEvent.Kind.USER_DEACTIVATED, request=request, user=actor, obj=user, detail={"sessions_ended": ended}
    )
    return user


@transaction.atomic
def user_anonymize(*, actor, user, request=None):
    """Replace a departed user's personal data; the row (and every record pointing to it) stays.

    Names become 退会済み 利用者, the e-mail a unique placeholder, the password unusable; the user's
    e-mail addresses, authenticators, memberships and sessions are removed.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    _check_may_manage_user(actor, user)
    if user.anonymized_at is not None:
        raise TransitionError(_("この利用者はすでに匿名化されています。"))
    user.family_name = ANONYMOUS_FAMILY_NAME
    user.given_name = ANONYMOUS_GIVEN_NAME
    user.family_name_kana = ""
    user.given_name_kana = ""
    user.phone = ""
    user.email = f"anonymized-{user.pk}@invalid.example"
    user.password = make_password(None)
    user.is_active = False
    user.is_staff = False
    user.anonymized_at = timezone.now()
    user.save()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    user.organization_memberships.all().delete()
    user.department_memberships.all().delete()
    reset_roles(user)
    user.notifications.all().delete()
    end_user_sessions(user)
    log_event(SecurityEvent.Kind.USER_ANONYMIZED, request=request, user=actor, obj=user)
    return user


def can_request_data(user, organization) -> bool:
    return is_representative(user, organization)


def can_export_group_data(user, organization) -> bool:
    return is_representative(user, organization) or is_coordinator_or_admin(user)


def can_handle_data_requests(user) -> bool:
    return is_coordinator_or_admin(user)


@transaction.atomic
def data_request_create(*, actor, organization, kind: str, body: str) -> DataRequest:
    """A group's representative asks for correction or deletion of the group's data."""
    if not can_request_data(actor, organization):
        raise PermissionDenied(_("申出ができるのは団体の代表者だけです。"))
    data_request = DataRequest(organization=organization, kind=kind, body=body, requested_by=actor)
    data_request.full_clean()
    data_request.save()
    from notifications.models import NoticeKind
    from notifications.services import notify

    notify(
        recipients=list(coordinators()),
        kind=NoticeKind.SYSTEM,
        title=lambda: (
            _("個人情報の%(kind)sの申出: %(org)s") % {"kind": data_request.get_kind_display(), "org": organization}
        ),
        body=body[:500],
        url="/coordination/data-requests/",
    )
    return data_request


@transaction.atomic
def data_request_resolve(*, actor, data_request: DataRequest, status: str, resolution: str) -> DataRequest:
    """A coordinator closes a request as done or rejected, saying what was done or why not."""
    if not can_handle_data_requests(actor):
        raise PermissionDenied(_("申出に対応できるのはコーディネーターと管理者だけです。"))
    data_request = DataRequest.objects.select_for_update().get(pk=data_request.pk)
    if data_request.status != DataRequest.Status.OPEN:
        raise TransitionError(_("この申出はすでに対応が終わっています。"))
    if status not in (DataRequest.Status.DONE, DataRequest.Status.REJECTED):
        raise TransitionError(_("対応の結果を選んでください。"))
    if not resolution.strip():
        raise TransitionError(_("対応内容（対応しない場合はその理由）を入力してください。"))
    data_request.status = status
    data_request.resolution = resolution
    data_request.resolved_by = actor
    data_request.resolved_at = timezone.now()
    data_request.save(update_fields=["status", "resolution", "resolved_by", "resolved_at", "updated_at"])
    from notifications.models import NoticeKind
    from notifications.services import notify

    notify(
        recipients=[data_request.requested_by],
        kind=NoticeKind.SYSTEM,
        title=lambda: _("個人情報の申出への対応: %(status)s") % {"status": data_request.get_status_display()},
        body=resolution[:500],
        url="",
    )
    return data_request
