"""The team server witnesses each device's audit chain: a local log cut short after a
sync is found at the next sync, shown to the handler and written to the server's audit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import create_engine, delete, select, update

from app.accounts.audit import AuditEvent, AuditLog
from app.screening.record import ScreeningRecord
from app.storage.tables import AuditHeadRow, AuditRow
from app.sync.push import run_sync
from tests.conftest import CliResult
from tests.sync.conftest import Device, Team


def _cut_tail(engine: object, keep: int) -> None:
    """What someone with the store's key could do: drop the newest entries and make the
    head point at the last one kept, so the log on its own still verifies."""
    with engine.begin() as connection:  # type: ignore[attr-defined]
        connection.execute(delete(AuditRow).where(AuditRow.seq > keep))
        digest = connection.execute(select(AuditRow.hash).where(AuditRow.seq == keep)).scalar()
        connection.execute(update(AuditHeadRow).values(seq=keep, hash=digest))


def test_a_local_audit_tail_cut_after_a_sync_is_found_at_the_next_sync(
    team: Team,
    device: Callable[..., Device],
    make_record: Callable[..., ScreeningRecord],
    run_cli: Callable[..., CliResult],
    data_dir: Path,
) -> None:
    mine = device("test-h01", data_dir)
    mine.save(make_record(handler="test-h01"))
    first = run_cli("sync", "--server", team.url, user="test-h01")
    assert first.code == 0, first.err
    engine = mine.login.store.engine
    log = AuditLog(engine)
    witnessed = log.count()
    assert team.count("SELECT max(seq) FROM sync_witness") == witnessed

    _cut_tail(engine, witnessed - 3)
    assert log.verify().ok  # on its own, the shortened log looks whole

    found = run_cli("--language", "en", "sync", user="test-h01")
    assert found.code == 0
    assert "audit log on this computer" in found.err
    assert "already saw entry" in found.err
    server_engine = create_engine(team.admin_url)
    try:
        on_server = [entry.event for entry in AuditLog(server_engine).entries()]
    finally:
        server_engine.dispose()
    assert on_server.count(AuditEvent.DEVICE_AUDIT_CUT) == 1
    assert AuditEvent.DEVICE_AUDIT_CUT in [entry.event for entry in log.entries()]

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
