"""Remind people of the cards given to them that are due within two days. Run from cron daily,
e.g.

0 7 * * * manage.py send_due_soon_reminders

Safe to run more than once a day: each card's assignee is told once a day at most. It also ends
the memberships of guests whose end date was yesterday, so their open pages stop receiving the
project's live events.
"""

from django.core.management.base import BaseCommand

from projects.tasks import due_soon


class Command(BaseCommand):
    help = "Tell people about the project cards given to them that are due within two days."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Leave the work to the task worker instead of doing it now.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = due_soon.enqueue()
            self.stdout.write(f"Queued the due-soon reminders (task {result.id}).")
            return
        told = due_soon.call()
        self.stdout.write(f"Sent {told} due-soon reminder(s) about cards given to people.")
