"""The append-only, hash-chained audit log of restricted data access (DESIGN.md section 8,
rule 8): every request, approval, decline and use of restricted values, every export and every
change to a dataset's rules is one ``AuditEntry``.

Each entry stores the previous entry's hash and its own: SHA-256 over a canonical JSON of its
fields and that previous hash. Changing an entry's contents breaks its own hash; removing or
inserting one breaks the next entry's link. :func:`verify` walks the chain and names the first
entry where it breaks (``manage.py verify_audit_chain``).

Appends are serialised so the chain never forks: on PostgreSQL by a transaction-scoped advisory
lock taken before the last entry is read (it works on an empty table, where ``SELECT … FOR
UPDATE`` would lock nothing); on SQLite a write transaction already excludes every other writer.
Either way ``sequence`` and ``prev_hash`` are unique, so a racing append that slipped past the
lock fails instead of forking the chain.
"""

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from commons.models import AuditEntry, Dataset

GENESIS = "0" * 64  # the previous hash of the first entry
ADVISORY_LOCK = 0x636F6D6D6F6E73  # "commons": one key for the whole log

ACTIONS = (
    "access.requested",
    "access.approved",
    "access.declined",
    "access.used",
    "export",
    "rules.proposed",
    "rules.answered",
    "rules.changed",
    "governance.changed",
)


def canonical(
    *,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    action: str,
    dataset_id: int | None,
    object_ref: str,
    details: Any,
    prev_hash: str,
) -> bytes:
    """The bytes an entry's hash covers: every field, in a fixed form (sorted keys, no spaces,
    the time in UTC to the microsecond) that reading it back from either database reproduces."""
    body = {
        "sequence": sequence,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor": actor_id,
        "action": action,
        "dataset": dataset_id,
        "object": object_ref,
        "details": details,
        "prev": prev_hash,
    }
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def entry_hash(entry: AuditEntry) -> str:
    """The hash an entry should have, computed from what is stored in it now."""
    data = canonical(
        sequence=entry.sequence,
        at=entry.at,
        actor_id=entry.actor_id,
        action=entry.action,
        dataset_id=entry.dataset_id,
        object_ref=entry.object_ref,
        details=entry.details,
        prev_hash=entry.prev_hash,
    )
    return hashlib.sha256(data).hexdigest()


def _lock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


def record(
    *,
    action: str,
    actor: Any = None,
    dataset: Dataset | None = None,
    obj: Any = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry, inside the caller's transaction (it is written, or rolled back, with
    what it records). ``obj`` is named as "<model>:<pk>"; ``details`` must be plain JSON (str,
    int, bool, lists and dicts of them) so it reads back exactly as it was hashed."""
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}.")
    details = json.loads(json.dumps(details or {}))  # plain JSON, as it will be read back
    object_ref = f"{obj._meta.model_name}:{obj.pk}" if obj is not None else ""
    with transaction.atomic():
        _lock()
        last = AuditEntry.objects.order_by("-sequence").only("sequence", "hash").first()
        entry = AuditEntry(
            sequence=(last.sequence + 1) if last else 1,
            # Microseconds only: both databases keep them, and the hash covers them.
            at=timezone.now(),
            actor_id=getattr(actor, "pk", None),
            action=action,
            dataset_id=dataset.pk if dataset is not None else None,
            object_ref=object_ref,
            details=details,
            prev_hash=last.hash if last else GENESIS,
        )
        entry.hash = entry_hash(entry)
        entry.save()
    return entry


@dataclass(frozen=True)
class Break:
    """Where the chain breaks: the entry's sequence number and what is wrong with it."""

    sequence: int
    problem: str

    def __str__(self) -> str:
        return f"entry {self.sequence}: {self.problem}"


@dataclass(frozen=True)
class Verdict:
    count: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def _entries(batch: int = 2000) -> Iterator[AuditEntry]:
    """Every entry in sequence order, read in keyed batches (constant memory)."""
    after = 0
    while True:
        rows = list(AuditEntry.objects.filter(sequence__gt=after).order_by("sequence")[:batch])
        if not rows:
            return
        yield from rows
        after = rows[-1].sequence


def verify() -> Verdict:
    """Walk the chain in order; the first entry whose hash does not match its contents, whose
    previous hash is not its predecessor's hash, or whose sequence number skips (an entry was
    removed) is named."""
    prev_hash, expected, count = GENESIS, 1, 0
    for entry in _entries():
        count += 1
        if entry.hash != entry_hash(entry):
            return Verdict(count, Break(entry.sequence, "its hash does not match its contents"))
        if entry.prev_hash != prev_hash:
            before = f"entry {expected - 1}" if expected > 1 else "the start of the log"
            return Verdict(
                count,
                Break(
                    entry.sequence,
                    f"its previous hash does not match the hash of {before}: an entry between "
                    "them was removed, or one was changed",
                ),
            )
        if entry.sequence != expected:
            return Verdict(
                count,
                Break(entry.sequence, f"sequence {expected} is missing before it"),
            )
        prev_hash, expected = entry.hash, expected + 1
    return Verdict(count, None)
