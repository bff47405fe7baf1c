"""The record repository on a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from app.accounts.session import Login
from app.errors import UserError
from app.screening.record import ScreeningRecord
from app.storage.engine import resolve_location
from app.storage.repository import ConflictError, RecordFilter
from app.storage.store import Store, open_store

pytestmark = pytest.mark.usefixtures("english")

Make = Callable[..., ScreeningRecord]


@pytest.fixture
def store(handler_login: Login) -> Store:
    """Signed in as the records' handler: case references and notes are sealed to them
    (issue 14), so the storage layer is exercised as their handler uses it."""
    return handler_login.store


def test_a_saved_record_reads_back_identical(store: Store, make_record: Make) -> None:
    record = make_record(
        answer="disclosed",
        violence_forms=["physical", "sexual"],
        children_affected=True,
        child_report=True,
        case_reference="DEMO-000042",
        notes="synthetic note",
        referrals=["kvinnofridslinjen", "social_services"],
    )
    store.records.add(record)
    assert store.records.get(record.id) == record


def test_a_saved_record_survives_reopening(data_dir, make_record: Make) -> None:  # type: ignore[no-untyped-def]
    record = make_record()
    with open_store(resolve_location(data_dir)) as first:
        first.records.add(record)
    with open_store(resolve_location(data_dir)) as second:
        assert second.records.get(record.id) == record


def test_adding_the_same_id_twice_is_refused(store: Store, make_record: Make) -> None:
    record = make_record()
    store.records.add(record)
    with pytest.raises(UserError, match="already stored"):
        store.records.add(record)


def test_import_skips_identical_records_and_counts_them(store: Store, make_record: Make) -> None:
    records = [make_record() for _ in range(3)]
    assert store.records.import_records(records[:2]).added == 2
    outcome = store.records.import_records(records)
    assert (outcome.added, outcome.unchanged) == (1, 2)
    assert store.records.count() == 3


def test_import_with_a_conflict_stores_nothing(store: Store, make_record: Make) -> None:
    stored = make_record()
    store.records.add(stored)
    changed = stored.model_copy(update={"info_given": False})
    with pytest.raises(ConflictError) as caught:
        store.records.import_records([make_record(), changed])
    assert caught.value.conflicts == [(1, stored.id)]
    assert store.records.count() == 1


def test_import_with_the_same_id_twice_in_one_file_differently_is_a_conflict(
    store: Store, make_record: Make
) -> None:
    record = make_record()
    with pytest.raises(ConflictError):
        store.records.import_records([record, record.model_copy(update={"asked": False})])
    assert store.records.count() == 0


def test_filters_use_stockholm_calendar_dates(store: Store, make_record: Make) -> None:
    # 23:30 UTC on 31 January is 00:30 on 1 February in Stockholm.
    late = make_record(recorded_at="2026-01-31T23:30:00Z")
    early = make_record(recorded_at="2026-01-31T22:30:00Z")
    store.records.import_records([late, early])
    february = store.records.query(RecordFilter(date_from=date(2026, 2, 1)))
    january = store.records.query(RecordFilter(date_to=date(2026, 1, 31)))
    assert [r.id for r in february] == [late.id]
    assert [r.id for r in january] == [early.id]


def test_practice_records_are_left_out_unless_asked_for(store: Store, make_record: Make) -> None:
    real, practice = make_record(), make_record(practice=True)
    store.records.import_records([real, practice])
    assert [r.id for r in store.records.query()] == [real.id]
    assert store.records.count(RecordFilter(include_practice=True)) == 2
    assert [r.id for r in store.records.query(RecordFilter(practice_only=True))] == [practice.id]


def test_query_is_newest_first_and_pages(store: Store, make_record: Make) -> None:
    records = [make_record(recorded_at=f"2026-03-0{day}T10:00:00Z") for day in range(1, 6)]
    store.records.import_records(records)
    page = store.records.query(limit=2, offset=1)
    assert [r.recorded_at.day for r in page] == [4, 3]
    assert [r.recorded_at.day for r in store.records.iter_records()] == [1, 2, 3, 4, 5]
