"""The parallel demo loader writes rows that read back as valid records."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.screening.demo import DemoGenerator
from app.screening.record import ScreeningRecord
from app.storage.bulk import insert_demo_records, sqlite_row
from app.storage.engine import resolve_location
from app.storage.loading import COLUMNS
from app.storage.repository import RecordFilter, record_to_row_values, row_values_from_json
from app.storage.store import Store, open_store
from app.storage.tables import RecordRow

END = datetime(2026, 6, 30, 12, tzinfo=UTC)


def test_fast_rows_equal_the_validated_path(store: Store) -> None:
    generator = DemoGenerator(seed=4, end=END)
    for _ in range(500):
        data = generator.data()
        fast = row_values_from_json(data)
        validated = record_to_row_values(DemoGenerator(seed=4).record().model_validate(data))
        assert fast == validated


def _stored_rows(store: Store) -> dict[str, tuple[Any, ...]]:
    with store.engine.connect() as connection:
        result = connection.exec_driver_sql(f"SELECT {', '.join(COLUMNS)} FROM records")
        return {row[0]: tuple(row) for row in result}


def test_fast_paths_store_exactly_what_the_orm_stores(store: Store, tmp_path: Path) -> None:
    """The import's inserter and the demo's ``sqlite_row`` skip parts of SQLAlchemy; the
    stored text must not differ by a byte from what the ORM writes."""
    generator = DemoGenerator(seed=8, end=END)  # a year back from June: both UTC offsets
    pairs = list(generator.many_with_local_dates(1_500))
    records = [ScreeningRecord.model_validate(data) for data, _ in pairs]
    with Session(store.engine) as session, session.begin():
        session.add_all(RecordRow(**record_to_row_values(record)) for record in records)
    by_orm = _stored_rows(store)
    with open_store(resolve_location(tmp_path / "imported")) as imported:
        imported.records.import_records(records)
        assert _stored_rows(imported) == by_orm
    for data, local_date in pairs:
        fast = tuple(int(v) if isinstance(v, bool) else v for v in sqlite_row(data, local_date))
        assert fast == by_orm[data["id"]]


def test_nulls_and_booleans_bind_as_sql_null_and_integers(store: Store) -> None:
    """The driver's fast adapters for None and bool store what SQLite would store anyway."""
    with store.engine.connect() as connection:
        kinds = connection.exec_driver_sql(
            "SELECT typeof(?), typeof(?), typeof(?), ?, ?", (None, True, False, True, False)
        ).one()
    assert tuple(kinds) == ("null", "integer", "integer", 1, 0)


def test_bulk_rows_read_back_as_valid_records_with_matching_hashes(store: Store) -> None:
    assert insert_demo_records(store.engine, 12_000, seed=9, end=END, workers=2) == 12_000
    records = store.records.query(RecordFilter(include_practice=True), limit=2_000)
    assert len(records) == 2_000  # every row validated by row_to_record
    stored = store.records.import_records(records)
    assert (stored.added, stored.unchanged) == (0, 2_000), "same content hash as the model's"


def test_the_same_seed_gives_the_same_records_whatever_the_worker_count(
    store: Store, tmp_path: Path
) -> None:
    insert_demo_records(store.engine, 12_000, seed=3, end=END, workers=1)
    with open_store(resolve_location(tmp_path / "other")) as other:
        insert_demo_records(
            other.engine, 12_000, seed=3, end=END, workers=2, rebuild_indexes_from=1
        )
        everything = RecordFilter(include_practice=True)
        assert [r.id for r in other.records.query(everything, limit=100)] == [
            r.id for r in store.records.query(everything, limit=100)
        ]
        assert other.records.count(everything) == 12_000
        from app.storage import migrate

        migrate.check(other.engine)  # the rebuilt indexes are all there
