"""Two-factor login for the demo: the demo coordinators and admin get a TOTP authenticator with a
fixed, documented secret, so that people trying the demo (and browser tests) can still log in.

Add the secret to an authenticator app (or run `python manage.py demo_logins`, which prints the
current code). Never use this outside demo data.
"""

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

# base32; shown by `demo_logins` and in the README.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPKYODOMATCHING234"  # noqa: S105 - demo data only, documented
DEMO_MFA_EMAILS = ("admin@example.jp", "coordinator@example.jp", "center@example.jp")


def totp_code(secret: str = DEMO_TOTP_SECRET, at: float | None = None) -> str:
    """The 6-digit code an authenticator app shows now (or at `at`) for `secret`."""
    from allauth.mfa import app_settings

    counter = int(at if at is not None else time.time()) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def give_totp(user, secret: str = DEMO_TOTP_SECRET):
    """Activate TOTP for `user` with a known secret (replacing any TOTP it had)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.utils import encrypt

    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    return Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})


def seed(ctx):
    """seed_demo step: the demo admin and every demo coordinator login get the demo authenticator."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(email__in=DEMO_MFA_EMAILS)
    for user in users:
        give_totp(user)
    ctx.count("demo authenticators", len(users))
