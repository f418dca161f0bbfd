"""Session limits and required two-factor login (ASVS 7 and 6).

SessionSecurityMiddleware ends a session after an idle period (30 minutes for coordinators and
admins, a few hours for others) and after an absolute lifetime, and flushes the session of a user
who was deactivated. MFARequiredMiddleware sends coordinators and admins without a TOTP
authenticator to the set-up page. Both work from values stored in the session at login, so an
ordinary page costs no extra query.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.roles import is_coordinator_or_admin

SESSION_STARTED = "_portal_started"
SESSION_SEEN = "_portal_seen"
SESSION_PRIVILEGED = "_portal_privileged"
SESSION_MFA_OK = "_portal_mfa_ok"
# Refresh the idle clock at most once a minute, so most requests do not write the session.
SEEN_RESOLUTION = 60


def is_privileged(user) -> bool:
    """Coordinators and admins: two-factor login required and a short idle timeout."""
    return is_coordinator_or_admin(user)


def has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def start_session_clock(request, user):
    """Called at login (accounts.security): the timestamps and role facts this session is held to."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    refresh_session_roles(request.session, user)


def refresh_session_roles(session, user):
    """Store whether the user is privileged now. Called at login, when a logged-in user joins a
    department (a coordinator must then set up two-factor login at once), and once a minute by
    SessionSecurityMiddleware, so a role granted elsewhere (e.g. in the admin) is not missed."""
    privileged = is_privileged(user)
    session[SESSION_PRIVILEGED] = privileged
    session[SESSION_MFA_OK] = bool(privileged and has_totp(user))


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None:
            if "_auth_user_id" in session and not request.user.is_authenticated:
                # The user was deactivated (or removed) since this session started: end it.
                session.flush()
            elif request.user.is_authenticated:
                expired = self._expired(session, request.user)
                if expired:
                    from accounts.models import SecurityEvent
                    from accounts.security import log_event

                    log_event(SecurityEvent.Kind.SESSION_EXPIRED, request=request, detail={"reason": expired})
                    logout(request)
                    messages.info(
                        request, _("一定時間操作がなかったため、ログアウトしました。もう一度ログインしてください。")
                    )
                    return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    def _expired(self, session, user) -> str:
        now = int(time.time())
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:
            # A session from before this middleware: start its clock now.
            session[SESSION_STARTED] = session[SESSION_SEEN] = now
            return ""
        idle_limit = (
            settings.SESSION_IDLE_TIMEOUT_PRIVILEGED
            if session.get(SESSION_PRIVILEGED)
            else settings.SESSION_IDLE_TIMEOUT
        )
        if now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
            return "absolute"
        if now - seen > idle_limit:
            return "idle"
        if now - seen >= SEEN_RESOLUTION:
            session[SESSION_SEEN] = now
            refresh_session_roles(session, user)
        return ""


# Paths a user who must set up two-factor login can still open.
MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/healthz", "/readyz", "/metrics", "/i18n/", "/privacy/")


class MFARequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.MFA_REQUIRED_FOR_PRIVILEGED
            and request.user.is_authenticated
            and not request.path.startswith(MFA_EXEMPT_PREFIXES)
            and self._needs_setup(request)
        ):
            messages.warning(
                request,
                _("コーディネーター・管理者は二段階認証が必須です。認証アプリを登録してください。"),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _needs_setup(self, request) -> bool:
        session = request.session
        if session.get(SESSION_MFA_OK):
            return False
        privileged = session.get(SESSION_PRIVILEGED)
        if privileged is None:
            privileged = session[SESSION_PRIVILEGED] = is_privileged(request.user)
        if not privileged:
            return False
        if has_totp(request.user):
            session[SESSION_MFA_OK] = True
            return False
        return True
