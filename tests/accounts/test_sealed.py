"""Case references and notes sealed to their handler (issue 14): whatever another role's key
slot unwraps, the file read with ``sqlcipher3`` directly holds none of them; the owner reads
them in the app; a plain recovery copy keeps them sealed; a leaving handler hands over.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy import text

from app.accounts.keyslots import KeyFile
from app.accounts.services import RecordService
from app.accounts.session import unlock
from app.screening.record import ScreeningRecord
from app.storage.drafts import DraftRepository
from app.storage.engine import SQLCIPHER_FORMAT, resolve_location
from app.storage.sealing import case_reference_index, field_keys_for
from app.storage.versions import RecordVersions
from tests.conftest import TEST_PASSWORD, TEST_USERS, CliResult

MARK_REF, MARK_NOTE, MARK_DRAFT = "REFMARK-51c2", "NOTEMARK-77ad", "DRAFTMARK-0b9e"
MARKS = (MARK_REF, MARK_NOTE, MARK_DRAFT)


def dump(path: Path, db_key: bytes) -> str:
    """Everything in the file, opened with the database key and nothing else."""
    connection = sqlcipher3.connect(str(path))
    try:
        connection.execute(f"PRAGMA key = \"x'{db_key.hex()}'\"")
        for name, value in SQLCIPHER_FORMAT:
            connection.execute(f"PRAGMA {name} = {value}")
        return every_value(connection)
    finally:
        connection.close()


def every_value(connection: Any) -> str:
    """Every table's name and every value in it, as text."""
    tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master")]
    lines = list(tables)
    for table in tables:
        try:
            rows = connection.execute(f'SELECT * FROM "{table}"').fetchall()
        except Exception:
            continue
        lines += [repr(row) for row in rows]
    return "\n".join(lines)


@pytest.fixture
def sealed_store(data_dir: Path, init_test_store: Callable[[Path], Path]) -> ScreeningRecord:
    """test-h01's record with a case reference and notes (saved, then corrected), and a
    draft with a case reference in it."""
    init_test_store(data_dir)
    with unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD) as owner:
        from tests.conftest import record_data

        record = ScreeningRecord.model_validate(
            record_data(handler="test-h01", case_reference=f"{MARK_REF}-1", notes=MARK_NOTE)
        )
        service = RecordService(owner.store, owner.principal)
        service.save(record)
        service.correct(record.model_copy(update={"notes": f"{MARK_NOTE} again"}))
        DraftRepository(owner.store.engine).put("test-h01", json.dumps({"ref": MARK_DRAFT}))
    return record


@pytest.mark.parametrize("user", [name for name in TEST_USERS if name != "test-h01"])
def test_no_other_role_finds_a_case_reference_or_note_in_the_file(
    sealed_store: ScreeningRecord, data_dir: Path, user: str
) -> None:
    keys = KeyFile.load(data_dir / "vagafraga.keys")
    unwrapped = keys.unlock(user, TEST_PASSWORD)  # everything this role's slot gives
    with unlock(resolve_location(data_dir), user, TEST_PASSWORD) as login:
        RecordService(login.store, login.principal).list()  # signed in and looked
    text = dump(data_dir / "vagafraga.db", unwrapped.db_key)
    assert "records" in text  # the file did open
    assert [mark for mark in MARKS if mark in text] == []
    assert len(unwrapped.private_key) == 32  # their own key opens only their own fields


def test_the_owner_reads_them_in_the_app(sealed_store: ScreeningRecord, data_dir: Path) -> None:
    with unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD) as owner:
        seen = RecordService(owner.store, owner.principal).get(sealed_store.id)
        assert isinstance(seen, ScreeningRecord)
        assert (seen.case_reference, seen.notes) == (f"{MARK_REF}-1", f"{MARK_NOTE} again")
        history = RecordVersions(owner.store.engine).history(sealed_store.id)
        assert history[0].record.notes == MARK_NOTE  # the superseded version too
        draft = DraftRepository(owner.store.engine).get("test-h01")
        assert draft is not None
        assert MARK_DRAFT in draft.data
        found = RecordVersions(owner.store.engine).search("test-h01", MARK_REF.lower())
        assert [item.id for item in found] == [sealed_store.id]
        keys = field_keys_for(owner.store.engine)
        assert keys is not None
        index = case_reference_index(keys.secret, f"{MARK_REF}-1")
        assert index == case_reference_index(keys.secret, f" {MARK_REF.lower()} 1")
        with owner.store.engine.connect() as connection:
            stored = connection.execute(
                text("SELECT case_reference_index FROM records WHERE id = :id"),
                {"id": str(sealed_store.id)},
            ).scalar()
        assert stored == index  # kept with the record: "seen before" without the reference


def test_a_plain_copy_for_recovery_keeps_them_sealed(
    sealed_store: ScreeningRecord,
    data_dir: Path,
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
) -> None:
    target = tmp_path / "recovery" / "PLAIN.db"
    target.parent.mkdir()
    assert run_cli("db", "decrypt", "--out", str(target), user="test-h01").code == 2  # admins
    result = run_cli("db", "decrypt", "--out", str(target))
    assert result.code == 0, result.err
    assert target.read_bytes().startswith(b"SQLite format 3\x00")
    import sqlite3

    plain = sqlite3.connect(target)
    try:
        text = every_value(plain)
    finally:
        plain.close()
    assert "records" in text
    assert [mark for mark in MARKS if mark in text] == []
    if os.name == "posix":
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
    again = run_cli("--language", "en", "db", "decrypt", "--out", str(target))
    assert again.code == 2
    assert "already exists" in again.err
    audit = run_cli("audit", "export")
    assert '"store_decrypted"' in audit.out


def test_a_leaving_handler_hands_over_to_a_successor(
    sealed_store: ScreeningRecord, data_dir: Path, run_cli: Callable[..., CliResult]
) -> None:
    refused = run_cli("records", "hand-over", "--to", "test-h02")  # the admin is not its owner
    assert refused.code == 0  # test-admin has no records of their own: nothing moves
    assert run_cli("records", "hand-over", "--to", "test-lead", user="test-h01").code == 2
    moved = run_cli("records", "hand-over", "--to", "test-h02", user="test-h01")
    assert moved.code == 0, moved.err
    location = resolve_location(data_dir)
    with unlock(location, "test-h02", TEST_PASSWORD) as successor:
        seen = RecordService(successor.store, successor.principal).get(sealed_store.id)
        assert isinstance(seen, ScreeningRecord)
        assert seen.handler == "test-h02"
        assert seen.case_reference == f"{MARK_REF}-1"
        history = RecordVersions(successor.store.engine).history(sealed_store.id)
        assert history[0].record.notes == MARK_NOTE
    with unlock(location, "test-h01", TEST_PASSWORD) as before:
        assert RecordService(before.store, before.principal).list() == []
    with unlock(location, "test-admin", TEST_PASSWORD) as admin:
        assert admin.store.records.get(sealed_store.id).case_reference is None
