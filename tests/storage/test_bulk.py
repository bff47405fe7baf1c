"""The parallel demo loader writes rows that read back as valid records."""

from __future__ import annotations

from datetime import UTC, datetime

from app.screening.demo import DemoGenerator
from app.storage.bulk import insert_demo_records
from app.storage.repository import RecordFilter, record_to_row_values, row_values_from_json
from app.storage.store import Store

END = datetime(2026, 6, 30, 12, tzinfo=UTC)


def test_fast_rows_equal_the_validated_path(store: Store) -> None:
    generator = DemoGenerator(seed=4, end=END)
    for _ in range(500):
        data = generator.data()
        fast = row_values_from_json(data)
        validated = record_to_row_values(DemoGenerator(seed=4).record().model_validate(data))
        assert fast == validated


def test_bulk_rows_read_back_as_valid_records_with_matching_hashes(store: Store) -> None:
    assert insert_demo_records(store.engine, 12_000, seed=9, end=END, workers=2) == 12_000
    records = store.records.query(RecordFilter(include_practice=True), limit=2_000)
    assert len(records) == 2_000  # every row validated by row_to_record
    stored = store.records.import_records(records)
    assert (stored.added, stored.unchanged) == (0, 2_000), "same content hash as the model's"


def test_the_same_seed_gives_the_same_records_whatever_the_worker_count(
    store: Store, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from app.storage.engine import resolve_location
    from app.storage.store import open_store

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
