"""Follow-ups: a callback agreed with the person, to ask again (``followups``).

A screening that ends not asked with an agreed callback (the day and the part of the
day; never a phone number) keeps a follow-up. It stays open, listed for its handler as
"to ask again", until the next screening of the same case closes it
(:func:`close_for_case`, called when that screening is saved, in the same transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import cast
from uuid import UUID

from sqlalchemy import Connection, Engine, Table, Update, bindparam, exists, select
from sqlalchemy.orm import Session

from app.screening.enums import DayPart
from app.screening.record import ScreeningRecord
from app.storage.case_match import case_match, normalised, own_records_of_case
from app.storage.prepared import run_prepared
from app.storage.sealing import open_row
from app.storage.tables import FollowupRow, RecordRow

FOLLOWUPS = cast(Table, FollowupRow.__table__)


@dataclass(frozen=True)
class Followup:
    record_id: UUID
    handler: str
    due_day: date
    day_part: DayPart
    created_at: datetime
    closed_at: datetime | None
    closed_by: UUID | None
    benefit: str
    recorded_at: datetime
    case_reference: str | None

    @property
    def open(self) -> bool:
        return self.closed_at is None


@cache
def _closing(column: str) -> Update:
    """The prepared ``UPDATE`` closing a case's follow-ups, matched on ``records.<column>``:
    the handler's open follow-ups (``ix_followups_handler_closed_due``), each checked against
    its own record by primary key, never a walk of the handler's records."""
    newer = bindparam("newer", type_=FOLLOWUPS.c.closed_by.type)
    of_the_case = exists().where(
        RecordRow.id == FOLLOWUPS.c.record_id,
        *own_records_of_case(
            bindparam("owner"), getattr(RecordRow, column), bindparam("reference")
        ),
        RecordRow.id != newer,
    )
    return (
        FOLLOWUPS.update()
        .where(
            FOLLOWUPS.c.handler == bindparam("owner"),
            FOLLOWUPS.c.closed_at.is_(None),
            of_the_case,
        )
        .values(closed_at=bindparam("moment", type_=FOLLOWUPS.c.closed_at.type), closed_by=newer)
    )


def close_for_case(connection: Connection, record: ScreeningRecord, moment: datetime) -> int:
    """Close the open follow-ups of the case of ``record`` (a newer screening of it).
    Returns how many were closed."""
    reference = normalised(record.case_reference)
    if record.practice or reference is None:
        return 0
    match = case_match(connection, record.handler, reference)
    if match is None:
        return 0
    column, value = match
    result = run_prepared(
        connection,
        _closing(column.key),
        {"owner": record.handler, "reference": value, "newer": str(record.id), "moment": moment},
    )
    return int(result.rowcount or 0)


def add_followup(
    connection: Connection,
    record: ScreeningRecord,
    callback: tuple[date, DayPart],
    moment: datetime,
) -> None:
    """Keep a follow-up for ``record`` (not asked, a callback agreed)."""
    if record.practice or record.asked:
        return
    day, part = callback
    connection.execute(
        FOLLOWUPS.insert(),
        {
            "record_id": str(record.id),
            "handler": record.handler,
            "due_day": day,
            "day_part": part.value,
            "created_at": moment,
        },
    )


class Followups:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def for_handler(self, handler: str, *, include_closed: bool = False) -> list[Followup]:
        """The handler's follow-ups, open ones by due day (then closed ones, newest first)."""
        query = (
            select(FollowupRow, RecordRow.benefit, RecordRow.recorded_at, RecordRow.case_reference)
            .join(RecordRow, RecordRow.id == FollowupRow.record_id)
            .where(FollowupRow.handler == handler)
        )
        if not include_closed:
            query = query.where(FollowupRow.closed_at.is_(None))
        query = query.order_by(
            FollowupRow.closed_at.is_not(None),
            FollowupRow.due_day,
            FollowupRow.day_part.desc(),  # "morning" before "afternoon"
            RecordRow.recorded_at,
            FollowupRow.record_id,
        )
        with Session(self._engine) as session:
            rows = session.execute(query).all()
        found = []
        for row, benefit, recorded_at, reference in rows:
            values = {"id": row.record_id, "handler": row.handler, "case_reference": reference}
            open_row(self._engine, values)  # sealed: only its handler reads it
            found.append(
                Followup(
                    record_id=UUID(row.record_id),
                    handler=row.handler,
                    due_day=row.due_day,
                    day_part=DayPart(row.day_part),
                    created_at=row.created_at,
                    closed_at=row.closed_at,
                    closed_by=UUID(row.closed_by) if row.closed_by else None,
                    benefit=benefit,
                    recorded_at=recorded_at,
                    case_reference=values["case_reference"],
                )
            )
        return found
