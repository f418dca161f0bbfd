from django.core.management.base import BaseCommand

from matching.services import send_meeting_reminders


class Command(BaseCommand):
    help = "Remind participants of tomorrow's meetings (idempotent: each meeting is reminded once)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="queue the django-tasks task instead")

    def handle(self, *args, enqueue, **options):
        if enqueue:
            from matching.tasks import send_meeting_reminders_task

            send_meeting_reminders_task.enqueue()
            self.stdout.write("send_meeting_reminders: queued")
            return
        sent = send_meeting_reminders()
        self.stdout.write(f"send_meeting_reminders: {sent} meeting(s) reminded")
