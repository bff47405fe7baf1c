"""No field of a record in plaintext on disk: database, WAL, backups, key file, temp files."""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.accounts.admin import make_backup
from app.accounts.services import RecordService
from app.storage.drafts import DraftRepository
from app.storage.practice import open_practice_store
from app.storage.repository import RecordFilter

MARKER = "MARKER-7f3a"


def files_under(*folders: Path) -> Iterator[Path]:
    for folder in folders:
        yield from (path for path in folder.rglob("*") if path.is_file())


def holding_marker(*folders: Path) -> list[str]:
    needles = [MARKER.encode(n) for n in ("utf-8", "utf-16-le", "utf-16-be")]
    return [
        str(path)
        for path in files_under(*folders)
        if any(needle in path.read_bytes() for needle in needles)
    ]


@pytest.fixture
def temp_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmp"
    folder.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)
    return folder


def test_no_record_field_reaches_the_disk_in_plaintext(
    admin, sign_in, make_record, location, temp_dir: Path
) -> None:
    handler = sign_in("test-h01")
    service = RecordService(handler.store, handler.principal)
    records = [
        make_record(
            handler="test-h01",
            case_reference=f"{MARKER}-case-{number}",
            notes=f"{MARKER} note {number} " + "x" * 2000,
        )
        for number in range(200)
    ]
    service.import_records(records)
    service.save(make_record(handler="test-h01", notes=f"saved {MARKER}"), ["indicator_x"])
    service.correct(records[0].model_copy(update={"notes": f"corrected {MARKER}"}))
    DraftRepository(handler.store.engine).put("test-h01", f'{{"notes": "{MARKER} draft"}}')
    # what a trainee types in practice goes to practice.db, encrypted as well
    with open_practice_store(handler.store) as practice:
        practice.records.add(make_record(practice=True, notes=f"practice {MARKER}"))
    # exercise sorting and grouping, the work SQLite may spill into temporary files
    service.export(RecordFilter(), io.BytesIO(), "jsonl", include_sensitive=True)
    with handler.store.engine.connect() as connection:
        connection.exec_driver_sql(
            "SELECT notes, count(*) FROM records GROUP BY notes ORDER BY notes DESC"
        ).all()
    backups = temp_dir.parent / "backups"
    make_backup(admin, backups / "copy.db")
    assert location.sqlite_path.with_name("vagafraga.db-wal").exists()  # WAL is searched too
    data_dir = location.data_dir
    assert (data_dir / "practice.db").exists()
    assert holding_marker(data_dir, backups, temp_dir) == []
    # the marker really is in the store, readable to the handler through the key
    assert any(MARKER in (getattr(r, "notes", None) or "") for r in service.list(RecordFilter()))
