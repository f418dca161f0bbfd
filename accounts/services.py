"""Account writes that are not allauth's own: profiles, and deactivating or anonymising users."""

from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import SecurityEvent
from accounts.roles import is_coordinator_or_admin, reset_roles
from accounts.security import log_event
from core.exceptions import PermissionDenied, TransitionError


@transaction.atomic
def profile_update(*, user, data: dict) -> None:
    """A user updates their own names, readings and phone."""
    fields = ["family_name", "given_name", "family_name_kana", "given_name_kana", "phone"]
    for name in fields:
        setattr(user, name, data.get(name, getattr(user, name)) or "")
    user.full_clean(exclude=["password"])
    user.save(update_fields=fields)


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
