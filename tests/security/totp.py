"""TOTP helpers for tests (browser tests log coordinators in with these).

from tests.security.totp import give_totp, totp_code
give_totp(coordinator)            # known secret
page.fill("input[name=code]", totp_code())
"""

from demo.mfa import DEMO_TOTP_SECRET, give_totp, totp_code

__all__ = ["DEMO_TOTP_SECRET", "give_totp", "totp_code"]
