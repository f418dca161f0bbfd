from django.core.management.base import BaseCommand

from core.demo_mfa import DEMO_MFA_EMAILS, DEMO_TOTP_SECRET, totp_code
from core.site import absolute_url
from organizations.demo import DEMO_USERS
from tests.factories import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo creates."

    def handle(self, *args, **options):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email, label, _key in DEMO_USERS:
            mark = "  *2FA" if email in DEMO_MFA_EMAILS else ""
            self.stdout.write(f"  {email:<28} {label}{mark}")
        self.stdout.write(
            f"*2FA: two-factor login is required for coordinators and admins. Add the secret {DEMO_TOTP_SECRET}\n"
            f"      to an authenticator app, or use the current code: {totp_code()} "
            "(changes every 30 s; run `python manage.py demo_logins` again for a fresh one)."
        )
        self.stdout.write(f"Open {absolute_url('/')}  (admin: {absolute_url('/admin/')})\n")
