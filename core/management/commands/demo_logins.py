from django.core.management.base import BaseCommand

from organizations.demo import DEMO_USERS
from tests.factories import DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo logins that seed_demo creates."

    def handle(self, *args, **options):
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD})")
        for email, label, _key in DEMO_USERS:
            self.stdout.write(f"  {email:<28} {label}")
        self.stdout.write("Open http://127.0.0.1:8000/  (admin: http://127.0.0.1:8000/admin/)\n")
