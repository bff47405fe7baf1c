from __future__ import annotations

from pathlib import Path

import pytest

from app.errors import UserError
from app.storage.backup import backup_database
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store

pytestmark = pytest.mark.usefixtures("english")


def test_a_backup_opens_as_a_store_with_the_same_records(
    store: Store, store_key: bytes, make_record, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    records = [make_record() for _ in range(5)]
    store.records.import_records(records)
    backup_database(store.engine, tmp_path / "copy" / "vagafraga.db")
    with open_store(resolve_location(tmp_path / "copy"), key=store_key) as copy:
        assert {r.id for r in copy.records.query()} == {r.id for r in records}


def test_a_backup_never_overwrites(store: Store, tmp_path: Path) -> None:
    target = tmp_path / "exists.db"
    target.write_bytes(b"keep me")
    with pytest.raises(UserError, match="already exists"):
        backup_database(store.engine, target)
    assert target.read_bytes() == b"keep me"


def test_a_backup_reports_the_pages_copied(
    store: Store, make_record, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr("app.storage.backup.BACKUP_STEP_PAGES", 2)
    store.records.import_records([make_record() for _ in range(50)])
    calls: list[tuple[int, int]] = []
    backup_database(store.engine, tmp_path / "copy.db", lambda *call: calls.append(call))
    pages = calls[-1][1]
    assert calls[-1] == (pages, pages)
    assert len(calls) >= pages // 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
