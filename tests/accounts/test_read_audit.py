"""The audit entries of a reading session (``app.accounts.read_audit``): nothing written
while it reads, appended at its close, and only genuine queued entries enter the chain."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.read_audit import QUEUE_NAME
from app.accounts.session import unlock
from app.accounts.signin import Mode, sign_in
from app.storage.engine import resolve_location
from tests.conftest import TEST_PASSWORD


def _events(data_dir: Path, user: str) -> list[str]:
    with unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD) as login:
        log = AuditLog(login.store.engine)
        assert log.verify().ok
        return [entry.event for entry in log.entries() if entry.actor == user]


def _files(data_dir: Path) -> tuple[bytes, bytes]:
    return (data_dir / "vagafraga.db").read_bytes(), (data_dir / "vagafraga.keys").read_bytes()


def test_a_reading_session_writes_nothing_until_it_closes(
    data_dir: Path, init_test_store: Callable[[Path], Path]
) -> None:
    init_test_store(data_dir)
    before = _files(data_dir)
    reading = sign_in(resolve_location(data_dir), "test-h01", TEST_PASSWORD, mode=Mode.READ)
    assert reading.read_only
    reading.audit_writer.append("test-h01", AuditEvent.RECORDS_EXPORTED, detail={"count": 0})
    assert _files(data_dir) == before
    reading.close()
    assert _events(data_dir, "test-h01") == [
        AuditEvent.LOGIN_SUCCEEDED,
        AuditEvent.RECORDS_EXPORTED,
    ]


def test_a_queued_line_without_its_writers_signature_never_enters_the_chain(
    data_dir: Path, init_test_store: Callable[[Path], Path]
) -> None:
    init_test_store(data_dir)
    store_id = json.loads((data_dir / "vagafraga.keys").read_text(encoding="utf-8"))["store_id"]
    forged = {
        "store_id": store_id,
        "actor": "test-h01",
        "event": "record_viewed",
        "record_id": None,
        "subject": None,
        "detail": {},
        "at": datetime.now(UTC).isoformat(),
        "signature": "00" * 64,
    }
    (data_dir / QUEUE_NAME).write_text(json.dumps(forged) + "\n", encoding="utf-8")
    unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD).close()
    assert _events(data_dir, "test-h01") == [AuditEvent.LOGIN_SUCCEEDED]
