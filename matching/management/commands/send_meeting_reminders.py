from django.core.management.base import BaseCommand

from matching.services import send_meeting_reminders


class Command(BaseCommand):
    help = "Remind participants of tomorrow's meetings (idempotent: each meeting is reminded once)."

    def handle(self, *args, **options):
        sent = send_meeting_reminders()
        self.stdout.write(f"send_meeting_reminders: {sent} meeting(s) reminded")
