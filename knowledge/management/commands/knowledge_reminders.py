"""Remind owners of the knowledge articles whose review is due within a week. Run from cron
daily, beside the projects' reminders, e.g.

5 7 * * * manage.py knowledge_reminders

Safe to run more than once: each owner is told once per article and due date.
"""

from django.core.management.base import BaseCommand

from knowledge.tasks import review_reminders


class Command(BaseCommand):
    help = "Tell owners about the knowledge articles whose review is due within a week."

    def add_arguments(self, parser):
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Leave the work to the task worker instead of doing it now.",
        )

    def handle(self, *args, **options):
        if options["enqueue"]:
            result = review_reminders.enqueue()
            self.stdout.write(f"Queued the knowledge review reminders (task {result.id}).")
            return
        told = review_reminders.call()
        self.stdout.write(f"Sent {told} review reminder(s) to article owners.")
