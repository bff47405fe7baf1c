"""A date range, a team or a grouping keeps the statistics on their covering indexes."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.dialects import sqlite

from app.stats.filters import StatsFilter
from app.stats.queries import build_statement
from app.storage.store import Store


def _plan(store: Store, flt: StatsFilter, sets: list[tuple[str, ...]]) -> str:
    statement = build_statement(flt, sets)
    sql = str(statement.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)
        return " | ".join(str(row[-1]) for row in rows if "records" in str(row[-1]))


YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.mark.parametrize(
    ("flt", "sets", "index"),
    [
        (StatsFilter(*YEAR), [(), ("benefit",)], "ix_records_stats"),
        (StatsFilter(*YEAR), [(), ("month",), ("benefit",)], "ix_records_stats"),
        (StatsFilter(*YEAR, teams=("test-team-a",)), [("handler",)], "ix_records_stats_people"),
        (StatsFilter(*YEAR, teams=("test-team-a",)), [("benefit",)], "ix_records_stats"),
        (StatsFilter(date_from=date(2026, 3, 1)), [("client_sex",)], "ix_records_stats_people"),
    ],
)
def test_a_filter_reads_a_covering_index(
    store: Store, flt: StatsFilter, sets: list[tuple[str, ...]], index: str
) -> None:
    plan = _plan(store, flt, sets)
    assert f"COVERING INDEX {index} " in plan
    # one walk of the records for every count (the lists' items too); the follow-ups'
    # part looks its records up by primary key; by benefit and month, the medians'
    # durations come from a walk of their own narrow index (migration 0015a)
    walks = [part for part in plan.split(" | ") if "ix_records" in part]
    narrow = {dim for grouping in sets for dim in grouping} <= {"benefit", "month"}
    expected = [index, "ix_records_durations"] if narrow else [index]
    assert [part.split("INDEX ")[1].split(" ")[0] for part in walks] == expected, plan
    assert "ix_records_practice_local_date" not in plan
    assert "ix_records_team_local_date" not in plan
