"""Two-factor (allauth MFA) the portal's way: required authenticators stay, wrong codes lock out."""

from allauth.core import context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base import forms as mfa_forms
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class PortalMFAAdapter(DefaultMFAAdapter):
    """Coordinators and admins may not remove their authenticator app (two-factor is required)."""

    def can_delete_authenticator(self, authenticator) -> bool:
        from accounts.middleware import is_privileged

        if settings.MFA_REQUIRED_FOR_PRIVILEGED and authenticator.type == "totp":
            return not is_privileged(authenticator.user)
        return super().can_delete_authenticator(authenticator)


def axes_credentials(user) -> dict:
    """The credentials django-axes counts a second-factor failure against: the account's login."""
    return {"login": user.email}


class LockedOutMixin:
    """Refuse every code while django-axes has locked the account or the address.

    Wrong codes are counted by accounts.security (allauth's `authentication_failed` signal) in the same
    django-axes counters as wrong passwords, so 10 failures of either kind lock for 15 minutes.
    allauth's own throttle is off (ACCOUNT_RATE_LIMITS) because it would hide axes' lockout page.
    """

    def clean_code(self):
        from axes.handlers.proxy import AxesProxyHandler

        request = context.request
        credentials = axes_credentials(self.user)
        if settings.AXES_ENABLED and not AxesProxyHandler.is_allowed(request, credentials):
            # AxesMiddleware turns this into the lockout page, as for a locked password login.
            request.axes_locked_out = True
            request.axes_credentials = credentials
            raise forms.ValidationError(_("試行回数が多すぎるため、一時的に制限しています。"), code="locked_out")
        return super().clean_code()


class AuthenticateForm(LockedOutMixin, mfa_forms.AuthenticateForm):
    """The login's second step."""


class ReauthenticateForm(LockedOutMixin, mfa_forms.ReauthenticateForm):
    """Confirming a sensitive change with a code."""
