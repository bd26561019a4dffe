"""Send notification digests. Run from cron: daily, and weekly, e.g.

0 7 * * *   manage.py send_notification_digests --frequency daily
0 7 * * MON manage.py send_notification_digests --frequency weekly
"""

from django.core.management.base import BaseCommand

from realtime.notifications import send_digests


class Command(BaseCommand):
    help = "E-mail everyone their pending notifications as a daily or weekly digest."

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=["daily", "weekly"], required=True)

    def handle(self, *args, **options):
        sent = send_digests(frequency=options["frequency"])
        self.stdout.write(f"Sent {sent} {options['frequency']} digest(s).")
