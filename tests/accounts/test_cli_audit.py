"""``vagafraga audit verify | export | who-viewed | viewed-by`` and the plaintext check via CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.accounts.test_plaintext import MARKER, holding_marker
from tests.conftest import open_test_store, record_data

pytestmark = pytest.mark.usefixtures("english")


def tamper(data_dir: Path, *statements: str) -> None:
    with open_test_store(data_dir) as store, store.engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement))


def test_verify_says_intact_then_names_the_edited_entry(run_en, data_dir: Path) -> None:
    ok = run_en("audit", "verify")
    assert ok.code == 0
    assert "intact" in ok.out
    tamper(data_dir, "UPDATE audit_log SET actor = 'test-h99' WHERE seq = 3")
    broken = run_en("audit", "verify")
    assert broken.code == 1
    assert broken.err.splitlines()[0] == "entry 3 was changed"


@pytest.mark.parametrize(
    ("statements", "first_line"),
    [
        (["DELETE FROM audit_log WHERE seq = 4"], "entry 4 was deleted"),
        (
            [
                "UPDATE audit_log SET seq = -1 WHERE seq = 2",
                "UPDATE audit_log SET seq = 2 WHERE seq = 3",
                "UPDATE audit_log SET seq = 3 WHERE seq = -1",
            ],
            "entry 2 is out of order",
        ),
    ],
)
def test_verify_finds_deleted_and_reordered_entries(
    run_en, data_dir: Path, statements: list[str], first_line: str
) -> None:
    run_en("audit", "verify")
    tamper(data_dir, *statements)
    result = run_en("audit", "verify")
    assert result.code == 1
    assert result.err.splitlines()[0] == first_line


def test_an_altered_log_stops_other_commands_with_one_message(run_en, data_dir: Path) -> None:
    tamper(data_dir, "UPDATE audit_log SET event = 'login_failed' WHERE seq = 2")
    result = run_en("records", "export", user="test-h01")
    assert result.code == 2
    assert result.err.count("\n") == 1
    assert "audit log has been altered (entry 2 was changed)" in result.err


def test_export_then_verify_against_it(run_en, tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "audit.jsonl"
    assert run_en("audit", "export", "--out", str(out)).code == 0
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [entry["seq"] for entry in lines] == list(range(1, len(lines) + 1))
    assert {"seq", "at", "actor", "event", "hash", "prev_hash"} <= set(lines[0])
    assert run_en("audit", "verify", "--against", str(out)).code == 0
    # someone rewrites history *and* recomputes the chain: the export still tells
    tamper(data_dir, "DELETE FROM audit_log WHERE seq = 1")
    result = run_en("audit", "verify", "--against", str(out))
    assert result.code == 1
    assert "entry 1 was deleted" in result.err


def test_who_viewed_and_viewed_by(run_en, tmp_path: Path, data_dir: Path) -> None:
    record = record_data(handler="test-h01")
    source = tmp_path / "r.jsonl"
    source.write_text(json.dumps(record) + "\n")
    run_en("records", "import", str(source))
    from uuid import UUID

    from app.accounts.services import RecordService
    from app.accounts.session import unlock
    from app.storage.engine import resolve_location
    from tests.conftest import TEST_PASSWORD

    with unlock(resolve_location(data_dir), "test-h01", TEST_PASSWORD) as login:
        RecordService(login.store, login.principal).get(UUID(record["id"]))
    who = json.loads(run_en("audit", "who-viewed", record["id"]).out)
    assert [(e["actor"], e["event"]) for e in who] == [("test-h01", "record_viewed")]
    what = json.loads(run_en("audit", "viewed-by", "test-h01").out)
    assert [e["record_id"] for e in what] == [record["id"]]


def test_the_marker_is_nowhere_on_disk_after_cli_import_and_backup(
    run_en, tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    source = tmp_path / "in" / "r.jsonl"
    source.parent.mkdir()
    source.write_text(
        "".join(
            json.dumps(record_data(notes=f"{MARKER} {n}", case_reference=f"{MARKER}-{n}")) + "\n"
            for n in range(50)
        )
    )
    assert run_en("records", "import", str(source)).code == 0
    backups = tmp_path / "backups"
    assert run_en("db", "backup", str(backups / "copy.db")).code == 0
    export = run_en("records", "export", "--include-sensitive", user="test-h01")
    assert MARKER in export.out  # the data is there, for the one who may read it
    assert holding_marker(data_dir, backups, temp) == []
