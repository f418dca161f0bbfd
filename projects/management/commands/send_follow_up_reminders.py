from django.core.management.base import BaseCommand

from projects import services


class Command(BaseCommand):
    help = "Remind coordinators of follow-ups (1, 2, 3 years after completion) that are due (run daily)."

    def handle(self, *args, **options):
        sent = services.follow_up_send_reminders()
        self.stdout.write(f"send_follow_up_reminders: {sent} reminder(s) sent.")
