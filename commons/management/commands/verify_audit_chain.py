"""``manage.py verify_audit_chain``: walk the commons' audit log and say whether its hash chain
holds — "OK" with the number of entries, or the first broken entry and what is wrong with it
(exit status 1), so a scheduled job or a person can tell tampering from a clean log."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from commons import audit


class Command(BaseCommand):
    help = "Verify the commons audit log's hash chain; name the first broken entry."

    def handle(self, *args: Any, **options: Any) -> None:
        verdict = audit.verify()
        if verdict.broken is not None:
            raise CommandError(
                f"The audit chain is broken at {verdict.broken} "
                f"({verdict.count} entries read up to it).",
                returncode=1,
            )
        self.stdout.write(f"OK: the audit chain holds ({verdict.count} entries).")
