"""The number of cases per month, team and benefit (``case_counts``), for coverage."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, select, tuple_
from sqlalchemy.orm import Session

from app.storage.tables import CaseCountRow

_BATCH = 500


@dataclass(frozen=True)
class CaseCountOutcome:
    added: int
    replaced: int


class CaseCounts:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def replace(
        self,
        rows: Sequence[tuple[str, str, str, int]],
        *,
        then: Callable[[Connection, CaseCountOutcome], None] | None = None,
    ) -> CaseCountOutcome:
        """Store ``(month, team, benefit, cases)`` rows in one transaction; a row for a
        month, team and benefit already stored replaces it. ``then(connection, outcome)``
        runs in the same transaction (its audit entry)."""
        replaced = 0
        key_columns = tuple_(CaseCountRow.local_month, CaseCountRow.team, CaseCountRow.benefit)
        with Session(self._engine) as session, session.begin():
            for start in range(0, len(rows), _BATCH):
                chunk = rows[start : start + _BATCH]
                keys = [row[:3] for row in chunk]
                result = session.execute(delete(CaseCountRow).where(key_columns.in_(keys)))
                replaced += int(getattr(result, "rowcount", 0) or 0)
                session.add_all(
                    CaseCountRow(local_month=month, team=team, benefit=benefit, cases=cases)
                    for month, team, benefit, cases in chunk
                )
            outcome = CaseCountOutcome(added=len(rows) - replaced, replaced=replaced)
            if then is not None:
                session.flush()
                then(session.connection(), outcome)
        return outcome

    def all(self) -> list[tuple[str, str, str, int]]:
        """Every stored row, by month, team and benefit."""
        table = CaseCountRow
        query = select(table.local_month, table.team, table.benefit, table.cases).order_by(
            table.local_month, table.team, table.benefit
        )
        with Session(self._engine) as session:
            return [(row[0], row[1], row[2], int(row[3])) for row in session.execute(query)]
