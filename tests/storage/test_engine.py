"""The engine factory: pragmas really set, locations resolved, unwritable folders reported."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from app.errors import UserError
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store

pytestmark = pytest.mark.usefixtures("english")


def pragma(store: Store, name: str) -> object:
    with store.engine.connect() as connection:
        return connection.exec_driver_sql(f"PRAGMA {name}").scalar()


def test_pragmas_are_read_back_on_a_pooled_connection(store: Store) -> None:
    assert pragma(store, "journal_mode") == "wal"
    assert pragma(store, "synchronous") == 2  # FULL
    assert pragma(store, "foreign_keys") == 1
    assert pragma(store, "busy_timeout") == 10_000
    assert pragma(store, "secure_delete") == 1


def test_pragmas_hold_inside_a_transaction(store: Store) -> None:
    with store.engine.begin() as connection:
        connection.execute(text("SELECT 1"))
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_default_location_is_the_data_dir_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("VAGAFRAGA_DATA_DIR", str(tmp_path / "elsewhere"))
    location = resolve_location()
    assert location.sqlite_path == tmp_path / "elsewhere" / "vagafraga.db"


def test_data_dir_argument_wins_over_the_environment(tmp_path: Path) -> None:
    assert resolve_location(tmp_path / "x").sqlite_path == tmp_path / "x" / "vagafraga.db"


def test_database_url_wins_and_hides_its_password(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VAGAFRAGA_DATABASE_URL", "postgresql://team:s3cret@db.example/vf")
    location = resolve_location()
    assert not location.is_sqlite
    assert "s3cret" not in location.describe()


def test_a_bad_database_url_is_a_clear_error() -> None:
    with pytest.raises(UserError, match="not a valid SQLAlchemy URL"):
        resolve_location(database_url="::::")


def test_a_data_dir_that_is_a_file_is_reported(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(UserError, match="cannot be written"):
        open_store(resolve_location(blocker))


def test_a_file_that_is_not_a_database_is_reported_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "d"
    folder.mkdir()
    bogus = folder / "vagafraga.db"
    content = b"this is a text file, not a database" * 200
    bogus.write_bytes(content)
    with pytest.raises(UserError, match="is not a Våga fråga database"):
        open_store(resolve_location(folder))
    assert bogus.read_bytes() == content
