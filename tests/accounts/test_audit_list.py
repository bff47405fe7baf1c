"""The audit log as a list: filtered by event, user, dates and record, newest first, paged."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from app.accounts.audit import AuditEvent, AuditLog, Pending
from app.accounts.audit_list import AuditQuery, actors, list_entries
from app.errors import UserError
from app.storage.engine import resolve_location
from app.storage.store import Store, open_store


@pytest.fixture
def store(tmp_path: Path):
    with open_store(resolve_location(tmp_path / "audit")) as opened:
        log = AuditLog(opened.engine)
        log.append_many(
            Pending(
                f"test-h{number % 3 + 1:02d}",
                AuditEvent.RECORD_VIEWED if number % 2 else AuditEvent.LOGIN_SUCCEEDED,
                record_id=str(uuid.UUID(int=number % 4)) if number % 2 else None,
                # 22:30 UTC on 9 March is 23:30 in Stockholm: still the 9th there
                at=datetime(2026, 3, 1 + number, 22, 30, tzinfo=UTC),
            )
            for number in range(1, 11)
        )
        yield opened


def test_newest_first_a_page_at_a_time(store: Store) -> None:
    first = list_entries(store.engine, AuditQuery(limit=4))
    assert first.total == 10
    assert [entry.seq for entry in first.entries] == [10, 9, 8, 7]
    assert (first.first, first.last, first.has_next) == (1, 4, True)
    last = list_entries(store.engine, AuditQuery(offset=8, limit=4))
    assert [entry.seq for entry in last.entries] == [2, 1]
    assert (last.first, last.last, last.has_next) == (9, 10, False)


def test_filtered_by_event_user_dates_and_record(store: Store) -> None:
    viewed = list_entries(store.engine, AuditQuery(events=(AuditEvent.RECORD_VIEWED.value,)))
    assert [entry.seq for entry in viewed.entries] == [9, 7, 5, 3, 1]
    by_user = list_entries(store.engine, AuditQuery(actor="test-h02"))
    assert {entry.actor for entry in by_user.entries} == {"test-h02"}
    assert by_user.total == 4  # entries 1, 4, 7, 10
    # Stockholm calendar dates, both ends included: 5 March 23:30 to 7 March 23:30
    days = list_entries(
        store.engine, AuditQuery(date_from=date(2026, 3, 5), date_to=date(2026, 3, 7))
    )
    assert [entry.seq for entry in days.entries] == [6, 5, 4]
    record = str(uuid.UUID(int=1))
    history = list_entries(store.engine, AuditQuery(record_id=record))
    assert [entry.seq for entry in history.entries] == [9, 5, 1]
    assert actors(store.engine) == ["test-h01", "test-h02", "test-h03"]


def test_a_range_that_ends_before_it_starts_is_refused() -> None:
    with pytest.raises(UserError, match="first date is after the last"):
        AuditQuery(date_from=date(2026, 3, 5), date_to=date(2026, 3, 4))
