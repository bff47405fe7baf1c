"""The team server witnesses each device's audit chain: a local log put back or cut short
after a sync is found at the next sync, shown to the handler and written to the server's
audit log."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, delete, select, update

from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.services import RecordService
from app.accounts.session import unlock
from app.accounts.signing import signature_valid
from app.screening.record import ScreeningRecord
from app.storage.engine import resolve_location
from app.storage.tables import AuditHeadRow, AuditRow, SyncWitnessRow
from app.sync.push import run_sync
from tests.conftest import STORE_FILES, TEST_PASSWORD, CliResult
from tests.sync.conftest import Device, Team


def _cut_tail(engine: object, keep: int) -> None:
    """What someone with the store's key could do: drop the newest entries and make the
    head point at the last one kept, so the log on its own still verifies."""
    with engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(delete(AuditRow).where(AuditRow.seq > keep))
        digest = connection.execute(select(AuditRow.hash).where(AuditRow.seq == keep)).scalar()
        connection.execute(update(AuditHeadRow).values(seq=keep, hash=digest))


def test_a_store_put_back_from_an_older_copy_after_a_sync_is_found_at_the_next_sync(
    team: Team,
    make_record: Callable[..., ScreeningRecord],
    run_cli: Callable[..., CliResult],
    data_dir: Path,
    tmp_path: Path,
) -> None:
    """The database and its key file put back together (their anchors agree, so signing in
    finds nothing): only the team server's witness can tell."""
    with unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD) as login:
        RecordService(login.store, login.principal).save(make_record(handler="test-h01"))
    first = run_cli("sync", "--server", team.url, user="test-h01")
    assert first.code == 0, first.err
    older = tmp_path / "older-copy"
    older.mkdir()
    for name in STORE_FILES:
        shutil.copyfile(data_dir / name, older / name)
    for _ in range(3):  # more work, and the server sees the log grow
        assert run_cli("sync", user="test-h01").code == 0
    seen = team.count("SELECT max(seq) FROM sync_witness")

    for name in STORE_FILES:
        shutil.copyfile(older / name, data_dir / name)
    found = run_cli("--language", "en", "sync", user="test-h01")
    assert found.code == 0, found.err
    assert json.loads(found.out)["waiting"] == 0
    assert "audit log on this computer" in found.err
    assert f"already saw entry {seen}" in found.err
    server_engine = create_engine(team.admin_url)
    try:
        cut = [e for e in AuditLog(server_engine).entries() if e.event == "device_audit_cut"]
    finally:
        server_engine.dispose()
    assert [(entry.actor, entry.detail["seen_seq"]) for entry in cut] == [("test-h01", seen)]
    with unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD) as login:
        events = [entry.event for entry in AuditLog(login.store.engine).entries()]
    assert AuditEvent.DEVICE_AUDIT_CUT in events

    # Reported once: the witness goes on from the log as it is now.
    calm = run_cli("sync", user="test-h01")
    assert calm.code == 0
    assert calm.err == ""


def test_a_log_that_grows_normally_raises_nothing(
    team: Team, device: Callable[..., Device], make_record: Callable[..., ScreeningRecord]
) -> None:
    mine = device("test-h01")
    server = team.for_user("test-h01")
    for _ in range(3):
        mine.save(make_record(handler="test-h01"))
        mine.records.get(mine.records.list()[0].id)  # an audited view: the log grows
        outcome = run_sync(mine.login.store.engine, mine.login.principal, server)
        assert outcome.audit_problem is None


def test_a_log_replaced_by_another_with_as_many_entries_is_found(
    team: Team, device: Callable[..., Device], make_record: Callable[..., ScreeningRecord]
) -> None:
    mine = device("test-h01")
    mine.save(make_record(handler="test-h01"))
    engine, principal = mine.login.store.engine, mine.login.principal
    server = team.for_user("test-h01")
    run_sync(engine, principal, server)
    head = AuditLog(engine).count()
    _cut_tail(engine, head - 2)
    log = AuditLog(engine)
    for _ in range(4):  # new entries, so the log is longer than the server saw
        log.append("test-h01", AuditEvent.RECORD_VIEWED)
    outcome = run_sync(engine, principal, server)
    assert outcome.audit_problem is not None
    assert f"entry {head}" in outcome.audit_problem or f"post {head}" in outcome.audit_problem


def test_the_server_keeps_the_head_signed_by_the_handlers_own_key(
    team: Team, device: Callable[..., Device], make_record: Callable[..., ScreeningRecord]
) -> None:
    mine = device("test-h01")
    mine.save(make_record(handler="test-h01"))
    run_sync(mine.login.store.engine, mine.login.principal, team.for_user("test-h01"))
    engine = create_engine(team.admin_url)
    try:
        with engine.connect() as connection:
            row = connection.execute(select(SyncWitnessRow.__table__)).one()
    finally:
        engine.dispose()
    assert row.handler == "test-h01"
    assert row.seq == AuditLog(mine.login.store.engine).count()
    assert row.signer == "test-h01"
    assert row.signing_key is not None
    assert row.signature is not None
    assert signature_valid([row.signing_key], row.hash, row.signature)
    assert not signature_valid([row.signing_key], "0" * 64, row.signature)
