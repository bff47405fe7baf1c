"""Which stored records are of the same case: the one place a case reference is matched.

Today a case reference is compared as stored; when case references are sealed to their
owner's key (issue 14), this module is where the match switches to the blind index, and
nothing else changes. Only the handler's own records ever match, practice never.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Engine, select
from sqlalchemy.orm import Session

from app.screening.record import ScreeningRecord
from app.storage.repository import row_to_record
from app.storage.tables import RecordRow

EARLIER_LIMIT = 20


def normalised(case_reference: str | None) -> str | None:
    """The case reference as it is matched: without surrounding blanks; None when empty."""
    text = (case_reference or "").strip()
    return text or None


def same_case(handler: str, case_reference: str) -> list[ColumnElement[bool]]:
    """Conditions on ``records`` selecting the handler's own real records of this case."""
    return [
        RecordRow.handler == handler,
        RecordRow.practice.is_(False),
        RecordRow.case_reference == case_reference,
    ]


def earlier_contacts(
    engine: Engine, handler: str, case_reference: str | None, *, limit: int = EARLIER_LIMIT
) -> list[ScreeningRecord]:
    """The handler's earlier records of this case, newest first (none without a reference)."""
    reference = normalised(case_reference)
    if reference is None:
        return []
    query = (
        select(RecordRow)
        .where(*same_case(handler, reference))
        .order_by(RecordRow.recorded_at.desc(), RecordRow.id)
        .limit(limit)
    )
    with Session(engine) as session:
        return [row_to_record(row) for row in session.scalars(query)]
