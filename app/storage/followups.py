"""Follow-ups: a callback agreed with the person, to ask again (``followups``).

A screening that ends not asked with an agreed callback (the day and the part of the
day; never a phone number) keeps a follow-up. It stays open, listed for its handler as
"to ask again", until the next screening of the same case closes it
(:func:`close_for_case`, called when that screening is saved, in the same transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from app.screening.enums import DayPart
from app.screening.record import ScreeningRecord
from app.storage.case_match import normalised, same_case
from app.storage.sealing import open_row
from app.storage.tables import FollowupRow, RecordRow


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


def close_for_case(session: Session, record: ScreeningRecord, moment: datetime) -> int:
    """Close the open follow-ups of the case of ``record`` (a newer screening of it).
    Returns how many were closed."""
    reference = normalised(record.case_reference)
    if record.practice or reference is None:
        return 0
    earlier = select(RecordRow.id).where(
        *same_case(session.connection(), record.handler, reference),
        RecordRow.id != str(record.id),
    )
    result = session.execute(
        update(FollowupRow)
        .where(FollowupRow.closed_at.is_(None), FollowupRow.record_id.in_(earlier))
        .values(closed_at=moment, closed_by=str(record.id))
    )
    return int(getattr(result, "rowcount", 0) or 0)


def add_followup(
    session: Session, record: ScreeningRecord, callback: tuple[date, DayPart], moment: datetime
) -> None:
    """Keep a follow-up for ``record`` (not asked, a callback agreed)."""
    if record.practice or record.asked:
        return
    day, part = callback
    session.add(
        FollowupRow(
            record_id=str(record.id),
            handler=record.handler,
            due_day=day,
            day_part=part.value,
            created_at=moment,
        )
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
