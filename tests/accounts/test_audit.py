"""The audit log's hash chain: every edit, deletion and reordering is found, with its place."""

from __future__ import annotations

import itertools
import json
import uuid
from pathlib import Path

import pytest
from sqlalchemy import text

from app.accounts.audit import AuditEvent, AuditLog, Pending
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store


@pytest.fixture
def plain_store(tmp_path: Path):
    with open_store(resolve_location(tmp_path / "audit")) as store:
        yield store


@pytest.fixture
def log(plain_store: Store) -> AuditLog:
    audit = AuditLog(plain_store.engine)
    audit.append_many(
        Pending(
            f"test-h{number:02d}",
            AuditEvent.RECORD_VIEWED,
            record_id=str(uuid.UUID(int=number)),
            detail={"access": "full"},
        )
        for number in range(1, 11)
    )
    return audit


def sql(store: Store, *statements: str) -> None:
    with store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def problems(log: AuditLog) -> list[tuple[int, str]]:
    return [(problem.seq, problem.message) for problem in log.verify().problems]


def test_an_untouched_chain_verifies(log: AuditLog) -> None:
    report = log.verify()
    assert report.ok
    assert report.entries == 10
    entries = list(log.entries())
    assert [entry.seq for entry in entries] == list(range(1, 11))
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(entries))
    assert entries[0].prev_hash == "0" * 64


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE audit_log SET actor = 'test-h99' WHERE seq = 4",
        "UPDATE audit_log SET record_id = NULL WHERE seq = 4",
        'UPDATE audit_log SET detail = \'{"access":"summary"}\' WHERE seq = 4',
        "UPDATE audit_log SET event = 'login_succeeded' WHERE seq = 4",
        "UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' WHERE seq = 4",
    ],
)
def test_an_edited_entry_is_found_where_it_is(log: AuditLog, plain_store: Store, change) -> None:
    sql(plain_store, change)
    assert problems(log) == [(4, "entry 4 was changed")]


def test_an_edit_with_a_recomputed_hash_breaks_the_next_link(
    log: AuditLog, plain_store: Store
) -> None:
    from app.accounts.audit import entry_hash

    row = next(entry for entry in log.entries() if entry.seq == 4)
    forged = entry_hash(
        at=row.at,
        actor="test-h99",
        event=row.event,
        record_id=row.record_id,
        subject=row.subject,
        detail=json.dumps(row.detail, sort_keys=True, separators=(",", ":")),
        prev_hash=row.prev_hash,
    )
    sql(plain_store, f"UPDATE audit_log SET actor = 'test-h99', hash = '{forged}' WHERE seq = 4")
    found = problems(log)
    assert [seq for seq, _ in found] == [5]
    assert "does not follow" in found[0][1]


def test_a_deleted_entry_is_found(log: AuditLog, plain_store: Store) -> None:
    sql(plain_store, "DELETE FROM audit_log WHERE seq = 6")
    found = problems(log)
    assert found[0] == (6, "entry 6 was deleted")
    assert [seq for seq, _ in found] == [6, 7]


def test_deleted_entries_renumbered_are_still_found(log: AuditLog, plain_store: Store) -> None:
    sql(
        plain_store,
        "DELETE FROM audit_log WHERE seq = 6",
        "UPDATE audit_log SET seq = seq - 1 WHERE seq > 6",
        "UPDATE audit_head SET seq = seq - 1",
    )
    found = problems(log)
    assert [seq for seq, _ in found] == [6]
    assert "does not follow" in found[0][1]


def test_reordered_entries_are_found(log: AuditLog, plain_store: Store) -> None:
    sql(
        plain_store,
        "UPDATE audit_log SET seq = -1 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = -1",
    )
    found = problems(log)
    assert found[0] == (3, "entry 3 is out of order")
    assert [seq for seq, _ in found] == [3, 4, 5]


def test_deleting_the_newest_entries_is_found(log: AuditLog, plain_store: Store) -> None:
    sql(plain_store, "DELETE FROM audit_log WHERE seq >= 9")
    assert problems(log) == [(9, "entries 9 to 10 were deleted")]


def test_deleting_the_newest_entries_and_the_head_is_found(
    log: AuditLog, plain_store: Store
) -> None:
    sql(plain_store, "DELETE FROM audit_log WHERE seq >= 9", "UPDATE audit_head SET seq = 8")
    assert problems(log) == [(8, "entry 8 was changed")]


def test_the_quick_check_covers_the_newest_entries(log: AuditLog, plain_store: Store) -> None:
    log.check_recent()
    sql(plain_store, "UPDATE audit_log SET actor = 'test-h99' WHERE seq = 9")
    with pytest.raises(Exception, match="entry 9 was changed"):
        log.check_recent()


def test_appending_continues_the_chain(log: AuditLog) -> None:
    log.append("test-admin", AuditEvent.ACCOUNT_ADDED, subject="test-h11")
    assert log.verify().ok
    assert log.count() == 11


def test_who_looked_at_a_record_and_what_a_user_looked_at(log: AuditLog) -> None:
    record = str(uuid.UUID(int=3))
    log.append("test-h05", AuditEvent.RECORD_VIEWED, record_id=record)
    log.append("test-h05", AuditEvent.RECORDS_EXPORTED, detail={"count": 2})
    log.append("test-h05", AuditEvent.LOGIN_SUCCEEDED)
    assert [entry.actor for entry in log.who_viewed(record)] == ["test-h03", "test-h05"]
    looked = log.viewed_by("test-h05")
    assert [entry.event for entry in looked] == [
        "records_exported",
        "record_viewed",
        "record_viewed",
    ]


def test_an_earlier_export_anchors_the_history(
    log: AuditLog, plain_store: Store, tmp_path: Path
) -> None:
    export = tmp_path / "audit.jsonl"
    export.write_text("\n".join(json.dumps(e.to_json()) for e in log.entries()) + "\n")
    assert log.compare_with_export(export) == []
    sql(plain_store, "DELETE FROM audit_log WHERE seq = 2")
    assert [p.seq for p in log.compare_with_export(export)] == [2]
