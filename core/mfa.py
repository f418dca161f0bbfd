from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings


class PortalMFAAdapter(DefaultMFAAdapter):
    """Coordinators and admins may not remove their authenticator app (two-factor is required)."""

    def can_delete_authenticator(self, authenticator) -> bool:
        from core.middleware import is_privileged

        if settings.MFA_REQUIRED_FOR_PRIVILEGED and authenticator.type == "totp":
            return not is_privileged(authenticator.user)
        return super().can_delete_authenticator(authenticator)
