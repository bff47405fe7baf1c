"""``vagafraga db check``: one report on the schema, the pages, the audit log, the key file
and the sealed fields; exit 0 when all is well, 2 with each problem named."""

from __future__ import annotations

import json
from pathlib import Path

from app.accounts.keyslots import KeyFile, new_db_key
from app.accounts.session import unlock
from app.storage.engine import resolve_location
from tests.conftest import TEST_KDF, TEST_PASSWORD, record_data

PARTS = ("schema", "file", "audit log", "key file", "sealed fields")


def _with_sealed_record(run_en, tmp_path: Path) -> None:
    line = record_data(case_reference="TEST-REF-1", notes="synthetic note")
    source = tmp_path / "one.jsonl"
    source.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert run_en("records", "import", str(source), user="test-h01").code == 0


def test_a_sound_store_passes_every_part(run_en, tmp_path: Path) -> None:
    _with_sealed_record(run_en, tmp_path)
    result = run_en("db", "check", user="test-h01")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert [line.split(":")[0] for line in lines] == list(PARTS)
    assert all(": ok," in line for line in lines)
    assert "store is up to date" in lines[0]
    assert "1 sealed value" in lines[4] or "2 sealed values" in lines[4]


def test_a_left_over_key_slot_is_named(run_en, data_dir: Path) -> None:
    keys = KeyFile.load(data_dir / "vagafraga.keys")
    keys.add_slot("test-ghost", TEST_PASSWORD, new_db_key(), kdf=TEST_KDF)
    keys.save()
    result = run_en("db", "check")
    assert result.code == 2
    assert "key file: the key slot of test-ghost belongs to no account" in result.out
    assert "1 problem" in result.err


def test_a_case_reference_stored_unsealed_is_named(run_en, data_dir: Path, tmp_path) -> None:
    _with_sealed_record(run_en, tmp_path)
    login = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)
    with login, login.store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE records SET notes = 'plain synthetic text'")
    result = run_en("db", "check")
    assert result.code == 2
    assert "sealed fields: 1 case reference or note is stored unsealed" in result.out


def test_an_altered_audit_log_is_named(run_en, data_dir: Path) -> None:
    login = unlock(resolve_location(data_dir), "test-admin", TEST_PASSWORD)
    with login, login.store.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE audit_log SET actor = 'someone' WHERE seq = 2")
    result = run_en("db", "check")
    assert result.code == 2
    assert "audit log: entry 2 was changed" in result.out
