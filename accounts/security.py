"""The security log and the login-related hooks: who did what, from where, when.

Other apps call `log_personal_data_view(request, obj)` when a coordinator opens a page showing
personal data (contact persons, a user's details). Nothing here stores a password or a token.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from accounts.models import SecurityEvent
from accounts.roles import is_coordinator_or_admin

logger = logging.getLogger("security")

# Keys never written to the log, whatever a caller passes in `detail`.
SECRET_KEYS = ("password", "token", "secret", "code", "key", "otp")


def client_ip(request) -> str | None:
    """The client's address; behind one proxy (BEHIND_PROXY) the last X-Forwarded-For entry."""
    if request is None:
        return None
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[-1].strip() or None
    return request.META.get("REMOTE_ADDR") or None


def axes_username(request, credentials=None) -> str:
    """The login name axes counts failures against: allauth passes `email`, its form posts `login`."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("login") or credentials.get("username")
    if not name and request is not None:
        data = getattr(request, "data", None) or request.POST
        name = data.get("login") or data.get("email") or data.get("username")
    return (name or "").strip().lower()


def _clean(detail: dict | None) -> dict:
    return {k: v for k, v in (detail or {}).items() if not any(s in k.lower() for s in SECRET_KEYS)}


def log_event(kind: str, *, request=None, user=None, username: str = "", obj=None, detail: dict | None = None):
    """Record one security event (and write it to the `security` logger)."""
    if user is None and request is not None and getattr(request, "user", None) is not None:
        user = request.user if request.user.is_authenticated else None
    event = SecurityEvent.objects.create(
        kind=kind,
        user=user,
        username=(username or (user.email if user is not None else ""))[:254],
        ip_address=client_ip(request),
        path=(request.path if request is not None else "")[:500],
        object_label=(f"{obj._meta.label}:{obj.pk}" if obj is not None else "")[:200],
        detail=_clean(detail),
    )
    logger.info(
        "%s user=%s ip=%s path=%s obj=%s", kind, event.username, event.ip_address, event.path, event.object_label
    )
    return event


def log_personal_data_view(request, obj, *, detail: dict | None = None):
    """Call from a view that shows personal data (e.g. contact persons) to a coordinator or admin.

    Views by the data's own group are not logged: only staff of the city reading someone else's data.
    """
    if not is_coordinator_or_admin(getattr(request, "user", None)):
        return None
    return log_event(SecurityEvent.Kind.PERSONAL_DATA_VIEW, request=request, obj=obj, detail=detail)


@receiver(user_logged_in, dispatch_uid="accounts.security.logged_in")
def _on_logged_in(sender, request, user, **kwargs):
    from accounts.middleware import start_session_clock

    if request is not None and hasattr(request, "session"):
        start_session_clock(request, user)
    log_event(SecurityEvent.Kind.LOGIN, request=request, user=user)


@receiver(user_logged_out, dispatch_uid="accounts.security.logged_out")
def _on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        log_event(SecurityEvent.Kind.LOGOUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="accounts.security.login_failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Django already masks the password in `credentials`; we keep only the login name.
    log_event(
        SecurityEvent.Kind.LOGIN_FAILED,
        request=request,
        user=None,
        username=axes_username(request, credentials),
    )


def _on_locked_out(sender, request, username, ip_address, **kwargs):
    log_event(SecurityEvent.Kind.LOCKOUT, request=request, user=None, username=username or "")


def _on_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    """A wrong second-factor code: logged, and counted by django-axes like a wrong password."""
    from axes.handlers.proxy import AxesProxyHandler

    from accounts.mfa import axes_credentials

    log_event(
        SecurityEvent.Kind.MFA_FAILED,
        request=request,
        user=user,
        detail={"type": authenticator.type, "reauthentication": reauthentication},
    )
    AxesProxyHandler.user_login_failed(sender=sender, credentials=axes_credentials(user), request=request)


def connect_axes():
    from allauth.mfa.signals import authentication_failed
    from axes.signals import user_locked_out

    user_locked_out.connect(_on_locked_out, dispatch_uid="accounts.security.locked_out")
    authentication_failed.connect(_on_mfa_failed, dispatch_uid="accounts.security.mfa_failed")
