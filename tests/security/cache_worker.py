"""One "worker process" for the cross-worker tests: it uses the cache at CACHE_URL, like a gunicorn
worker would, and prints a JSON result.

python -m tests.security.cache_worker reset_password EMAIL TRIES  → how many of TRIES were allowed
python -m tests.security.cache_worker totp USER_ID SECRET CODE    → whether the code was accepted
"""

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def reset_password(email: str, tries: str) -> int:
    """Consume allauth's password-reset rate limit as its view does (per address and per e-mail)."""
    from allauth.core import ratelimit
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/password/reset/", REMOTE_ADDR="203.0.113.7")
    return sum(bool(ratelimit.consume(request, action="reset_password", key=email.lower())) for _ in range(int(tries)))


def totp(user_id: str, secret: str, code: str) -> bool:
    """Validate a TOTP code as the login's second step does (allauth marks it used in the cache)."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from allauth.mfa.utils import encrypt

    authenticator = Authenticator(user_id=int(user_id), type=Authenticator.Type.TOTP, data={"secret": encrypt(secret)})
    return TOTP(authenticator).validate_code(code)


if __name__ == "__main__":
    import django

    django.setup()
    action, *args = sys.argv[1:]
    print(json.dumps({"reset_password": reset_password, "totp": totp}[action](*args)))
