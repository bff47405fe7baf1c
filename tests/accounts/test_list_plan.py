"""The newest-first page walks the recorded_at index instead of sorting every record."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from app.accounts.access import Principal, Role
from app.accounts.services import RecordService
from app.storage.store import Store


def _plan_of_list(store: Store, principal: Principal) -> str:
    statements: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "ORDER BY" in statement:
            statements.append((statement, parameters))

    event.listen(store.engine, "before_cursor_execute", seen)
    try:
        RecordService(store, principal).list(limit=500)
    finally:
        event.remove(store.engine, "before_cursor_execute", seen)
    (statement, parameters), *_ = statements
    with store.engine.connect() as connection:
        rows = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        return " | ".join(str(row[-1]) for row in rows)


@pytest.mark.parametrize(
    ("principal", "index"),
    [
        (Principal("test-admin", frozenset({Role.ADMIN})), "ix_records_recorded_at"),
        (
            Principal("test-lead", frozenset({Role.TEAM_LEAD}), frozenset({"test-team-a"})),
            "ix_records_recorded_at",
        ),
        (Principal("test-h01", frozenset({Role.HANDLER})), "ix_records_handler_recorded_at"),
    ],
)
def test_the_page_walks_an_index_in_recorded_at_order(
    store: Store, principal: Principal, index: str
) -> None:
    plan = _plan_of_list(store, principal)
    assert index in plan
    assert "ix_records_practice_local_date" not in plan
    assert "USE TEMP B-TREE FOR ORDER BY" not in plan  # only ties on id are sorted
