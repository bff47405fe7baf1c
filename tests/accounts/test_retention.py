"""Retention: old records go, their monthly counts stay."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from app.accounts.access import AccessDeniedError
from app.accounts.retention import cutoff_from, purge
from app.errors import UserError
from app.storage.repository import RecordFilter
from app.storage.tables import RecordAggregateRow
from app.storage.versions import RecordVersions

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def history(admin, make_record):
    made = [
        # January (Stockholm): 23:30 UTC on 31 December is already January 1 in Stockholm.
        make_record(
            recorded_at="2025-12-31T23:30:00+00:00",
            asked=True,
            answer="disclosed",
            violence_forms=["threats"],
            duration_seconds=100,
        ),
        make_record(
            recorded_at="2026-01-15T10:00:00+01:00",
            asked=True,
            answer="not_disclosed",
            duration_seconds=300,
            info_given=True,
        ),
        make_record(
            recorded_at="2026-01-20T10:00:00+01:00",
            asked=False,
            answer=None,
            not_asked_reason="not_alone",
            info_given=False,
            duration_seconds=None,
        ),
        make_record(recorded_at="2026-02-10T10:00:00+01:00", team="test-team-b"),
        make_record(recorded_at="2026-01-10T10:00:00+01:00", practice=True),
        make_record(recorded_at="2026-05-10T10:00:00+02:00"),
    ]
    admin.store.records.import_records(made)
    return made


def aggregates(admin) -> list[RecordAggregateRow]:
    with Session(admin.store.engine) as session:
        rows = session.scalars(
            select(RecordAggregateRow).order_by(
                RecordAggregateRow.local_month, RecordAggregateRow.team, RecordAggregateRow.asked
            )
        ).all()
        session.expunge_all()
        return list(rows)


def test_purge_keeps_monthly_counts_and_deletes_the_records(admin, history) -> None:
    outcome = purge(admin, date(2026, 3, 1), now=NOW)
    assert outcome.records == 5  # four real ones and the practice record
    remaining = admin.store.records.query(RecordFilter(include_practice=True))
    assert [r.id for r in remaining] == [history[5].id]
    rows = aggregates(admin)
    assert sum(row.records for row in rows) == 4  # practice records never count
    january = [row for row in rows if row.local_month == "2026-01"]
    assert sum(row.records for row in january) == 3
    assert sum(row.asked for row in january) == 2
    assert sum(row.disclosed for row in january) == 1
    assert sum(row.info_given for row in january) == 2
    assert sum(row.duration_count for row in january) == 2
    assert sum(row.duration_sum for row in january) == 400
    not_asked = [row for row in january if row.not_asked_reason is not None]
    assert [(row.not_asked_reason, row.records) for row in not_asked] == [("not_alone", 1)]
    assert [row.team for row in rows if row.local_month == "2026-02"] == ["test-team-b"]
    assert all(row.purged_at == NOW for row in rows)
    entry = list(admin.audit.entries())[-1]
    assert (entry.event, entry.detail["records"]) == ("records_purged", 5)


def test_purge_removes_old_versions_of_corrected_records(admin, history) -> None:
    first = history[1]
    RecordVersions(admin.store.engine).correct(first.model_copy(update={"notes": "test v2"}))
    purge(admin, date(2026, 3, 1), now=NOW)
    with admin.store.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM record_versions")).scalar() == 0


def test_purge_is_for_administrators(sign_in, history) -> None:
    with pytest.raises(AccessDeniedError):
        purge(sign_in("test-lead"), date(2026, 3, 1), now=NOW)


def test_a_future_cutoff_deletes_nothing(admin, history) -> None:
    with pytest.raises(UserError, match="future"):
        purge(admin, date(2026, 7, 1), now=NOW)
    assert admin.store.records.count(RecordFilter(include_practice=True)) == 6


@pytest.mark.parametrize(
    ("given", "expected"),
    [("30", date(2026, 5, 2)), ("0", date(2026, 6, 1)), ("2026-01-31", date(2026, 1, 31))],
)
def test_older_than_takes_days_or_a_date(given: str, expected: date) -> None:
    assert cutoff_from(given, today=date(2026, 6, 1)) == expected


def test_older_than_refuses_anything_else() -> None:
    with pytest.raises(UserError, match="neither a number of days nor a date"):
        cutoff_from("last year", today=date(2026, 6, 1))
