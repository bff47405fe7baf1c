"""A handler's key travels with their sealed fields: ``sync --restore`` onto a brand-new
computer opens them again (the key wrapped by their password on the server, the values
sealed again for the new store), while the server holds nothing it can read."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from app.accounts.keyslots import KeyFile, WrongCredentialsError, unwrap_copy
from app.screening.record import ScreeningRecord
from app.storage.case_match import earlier_contacts
from app.storage.versions import RecordVersions
from app.sync.push import run_sync
from app.sync.server import team_store
from tests.conftest import TEST_PASSWORD, CliResult
from tests.sync.conftest import Device, Team

REFERENCES = ("TEST-KEY-ALPHA-1", "TEST-KEY-BRAVO-2")
NOTE = "test note travels sealed"
CORRECTED = "test note corrected sealed"


def _server_text(team: Team) -> str:
    """Every row the server keeps of records, their versions and the key copies, as text
    (read by the database superuser: more than a team lead may read)."""
    conninfo = team.admin_url.replace("postgresql+psycopg://", "postgresql://")
    found = []
    with psycopg.connect(conninfo) as connection:
        for table in ("records", "record_versions", "user_key_copies", "followups"):
            rows = connection.execute(f"SELECT row_to_json(t)::text FROM {table} t").fetchall()
            found.extend(str(row[0]) for row in rows)
    return "\n".join(found)


def test_restore_on_a_new_computer_reads_the_sealed_fields_with_the_handlers_key(
    team: Team,
    device: Callable[..., Device],
    make_record: Callable[..., ScreeningRecord],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
) -> None:
    first = device("test-h01")
    records = [
        make_record(handler="test-h01", team="test-team-a", case_reference=ref, notes=NOTE)
        for ref in REFERENCES
    ]
    for record in records:
        first.save(record)
    RecordVersions(first.login.store.engine).correct(
        records[0].model_copy(update={"notes": CORRECTED})
    )
    server = team.for_user("test-h01")
    key_file = first.login.key_file
    assert key_file is not None
    outcome = run_sync(first.login.store.engine, first.login.principal, server, key_file=key_file)
    assert outcome.pushed == 2
    assert team.count("SELECT count(*) FROM user_key_copies WHERE handler = 'test-h01'") == 1
    assert team.count("SELECT count(DISTINCT sealed_in) FROM records") == 1

    # The server holds no marker of the case references or notes: sealed values and a
    # key wrapped by the handler's password.
    on_server = _server_text(team)
    for secret in (*REFERENCES, "ALPHA", "BRAVO", NOTE, CORRECTED, "travels", TEST_PASSWORD):
        assert secret not in on_server
    # A team lead signed in to the server reads no key copy (row-level security).
    with (
        team_store(team.for_user("test-lead"), tmp_path) as store,
        store.engine.connect() as connection,
    ):
        assert connection.execute(text("SELECT count(*) FROM user_key_copies")).scalar() == 0
    with (
        team_store(team.for_user("test-h01"), tmp_path) as store,
        store.engine.connect() as connection,
    ):
        wrapped = json.loads(
            connection.execute(text("SELECT wrapped FROM user_key_copies")).one()[0]
        )
    assert unwrap_copy(wrapped, "test-h01", TEST_PASSWORD)  # only their password opens it
    with pytest.raises(WrongCredentialsError):
        unwrap_copy(wrapped, "test-h01", "not the password")

    # A brand-new computer: nothing but the server address and the handler's sign-in.
    empty = tmp_path / "new-computer"
    restored = run_cli(
        "--data-dir", str(empty), "sync", "--restore", "--server", team.url, user="test-h01"
    )
    assert restored.code == 0, restored.err
    assert json.loads(restored.out) == {"restored": 2, "already_there": 0}
    new = device("test-h01", empty)
    assert KeyFile.load(empty / "vagafraga.keys").store_id != KeyFile.load(key_file).store_id
    for record in records:
        got = new.records.get(record.id)
        assert isinstance(got, ScreeningRecord)
        assert got.case_reference == record.case_reference
        assert got.notes == (CORRECTED if record is records[0] else NOTE)
    old_version = RecordVersions(new.login.store.engine).history(records[0].id)[0]
    assert old_version.record.notes == NOTE  # the superseded version opens too
    # "Seen before" finds the case on the new computer (the blind index was built there),
    # written the way a person may type it.
    seen = earlier_contacts(new.login.store.engine, "test-h01", "test-key-bravo 2")
    assert [item.id for item in seen] == [records[1].id]

    # Nothing waits on the new computer; a sync from it sends nothing again.
    pushed = run_cli("--data-dir", str(empty), "sync", user="test-h01")
    assert json.loads(pushed.out) == {"pushed": 0, "already_there": 0, "waiting": 0}


def test_a_password_change_re_wraps_the_servers_copy_at_the_next_sync(
    team: Team, device: Callable[..., Device]
) -> None:
    mine = device("test-h01")
    engine, principal = mine.login.store.engine, mine.login.principal
    key_file = mine.login.key_file
    assert key_file is not None
    server = team.for_user("test-h01")

    def server_copy() -> dict[str, object]:
        with (
            team_store(server, key_file.parent) as store,
            store.engine.connect() as connection,
        ):
            return dict(
                json.loads(connection.execute(text("SELECT wrapped FROM user_key_copies")).one()[0])
            )

    run_sync(engine, principal, server, key_file=key_file)
    first = server_copy()
    written = team.count("SELECT extract(epoch FROM updated_at) * 1000000 FROM user_key_copies")
    run_sync(engine, principal, server, key_file=key_file)
    assert server_copy() == first
    assert (  # unchanged: not written again
        team.count("SELECT extract(epoch FROM updated_at) * 1000000 FROM user_key_copies")
        == written
    )
    slots = KeyFile.load(key_file)
    slots.change_password("test-h01", TEST_PASSWORD, "test new password 456")
    slots.save()
    run_sync(engine, principal, server, key_file=key_file)
    copy = server_copy()
    assert unwrap_copy(copy, "test-h01", "test new password 456") == unwrap_copy(
        first, "test-h01", TEST_PASSWORD
    )
    with pytest.raises(WrongCredentialsError):
        unwrap_copy(copy, "test-h01", TEST_PASSWORD)


def test_a_key_copy_under_another_password_stops_the_restore_in_one_line(
    team: Team,
    device: Callable[..., Device],
    run_cli: Callable[..., CliResult],
    tmp_path: Path,
) -> None:
    mine = device("test-h01")
    key_file = mine.login.key_file
    assert key_file is not None
    slots = KeyFile.load(key_file)  # the password changed on the computer only
    slots.change_password("test-h01", TEST_PASSWORD, "test new password 456")
    slots.save()
    run_sync(
        mine.login.store.engine,
        mine.login.principal,
        team.for_user("test-h01"),
        key_file=key_file,
    )
    empty = tmp_path / "new-computer"
    restored = run_cli(
        "--language",
        "en",
        "--data-dir",
        str(empty),
        "sync",
        "--restore",
        "--server",
        team.url,
        user="test-h01",
    )
    assert restored.code == 2
    assert restored.err.strip().startswith("The copy of your key on the team server opens only")
    assert "Traceback" not in restored.err
    assert not (empty / "vagafraga.db").exists()
