"""The audit log: a chain verifies; changing a row behind the model's back, or removing one, is
caught and the command names the entry; the model refuses to change or remove an entry."""

import itertools

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from commons import audit
from commons.models import AppendOnly, AuditEntry


@pytest.fixture
def chain(dataset, kaitiaki):
    return [
        audit.record(
            action="access.used", actor=kaitiaki, dataset=dataset, obj=dataset,
            details={"n": n, "note": "Māori, Waikato"},
        )
        for n in range(5)
    ]  # fmt: skip


def _raw(sql, params):
    """A change that bypasses the model, as someone with database access could make it. On
    PostgreSQL the append-only trigger is switched off for the statement, as a superuser can
    (the point is that the verifier catches what the database would otherwise refuse)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")


def _verify():
    try:
        call_command("verify_audit_chain")
    except CommandError as exc:
        return exc.returncode, str(exc)
    return 0, ""


def test_entries_link_to_the_one_before_and_the_chain_verifies(chain, capsys):
    assert [e.sequence for e in chain] == [1, 2, 3, 4, 5]
    assert chain[0].prev_hash == audit.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(chain))
    call_command("verify_audit_chain")
    assert "OK: the audit chain holds (5 entries)." in capsys.readouterr().out


def test_an_empty_log_verifies(db, capsys):
    call_command("verify_audit_chain")
    assert "(0 entries)" in capsys.readouterr().out


def test_a_changed_row_is_caught_and_named(chain):
    _raw("UPDATE commons_auditentry SET details = %s WHERE sequence = %s", ['{"n": 99}', 3])
    code, message = _verify()
    assert code == 1
    assert "entry 3: its hash does not match its contents" in message


def test_a_row_rehashed_after_a_change_breaks_the_next_link(chain):
    entry = AuditEntry.objects.get(sequence=2)
    entry.action = "export"
    forged = audit.entry_hash(entry)
    _raw(
        "UPDATE commons_auditentry SET action = %s, hash = %s WHERE sequence = %s",
        ["export", forged, 2],
    )
    code, message = _verify()
    assert code == 1 and "entry 3: its previous hash does not match the hash of entry 2" in message


def test_a_removed_middle_row_is_caught(chain):
    _raw("DELETE FROM commons_auditentry WHERE sequence = %s", [3])
    code, message = _verify()
    assert code == 1
    assert "entry 4: its previous hash does not match the hash of entry 2" in message


def test_the_model_refuses_to_change_or_remove_an_entry(chain):
    entry = AuditEntry.objects.get(sequence=1)
    entry.action = "export"
    with pytest.raises(AppendOnly):
        entry.save()
    with pytest.raises(AppendOnly):
        entry.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(sequence=1).update(action="export")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(sequence=1).action == "access.used"
    assert audit.verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_raw_updates_and_deletes(chain):
    from django.db import DatabaseError, transaction

    for sql in (
        "UPDATE commons_auditentry SET action = 'export' WHERE sequence = 1",
        "DELETE FROM commons_auditentry WHERE sequence = 1",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)
    assert audit.verify().ok and audit.verify().count == 5


def test_an_unknown_action_is_refused(db):
    with pytest.raises(ValueError, match="Unknown audit action"):
        audit.record(action="peeked")
    assert AuditEntry.objects.count() == 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need a server database")
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_make_one_unbroken_chain():
    """Eight connections appending at once: the advisory lock orders them, so every append
    succeeds and the chain has no fork and no gap."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections, transaction

    def append(n: int) -> None:
        try:
            for i in range(10):
                with transaction.atomic():
                    audit.record(action="export", details={"worker": n, "i": i})
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(append, range(8)))
    verdict = audit.verify()
    assert verdict.ok and verdict.count == 80
    assert list(AuditEntry.objects.values_list("sequence", flat=True)) == list(range(1, 81))
