"""Drafts: one autosaved in-progress screening per handler.

The wizard writes the session's JSON here on every step with a durable commit,
so a crash or a power cut mid-call loses nothing; saving or discarding the
screening deletes the draft. The JSON may hold a case reference or notes: it is
stored like a record and never logged.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete
from sqlalchemy.orm import Session

from app.storage.sealing import field_keys_for, is_sealed
from app.storage.tables import DraftRow

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Draft:
    handler: str
    updated_at: datetime
    data: str


class DraftRepository:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock

    def get(self, handler: str) -> Draft | None:
        with Session(self._engine) as session:
            row = session.get(DraftRow, handler)
            if row is None:
                return None
            keys = field_keys_for(self._engine)
            data = keys.open_draft(handler, row.data) if keys is not None else row.data
            if data is None or is_sealed(data):
                return None  # sealed to someone else: not this user's draft to resume
            return Draft(handler=row.handler, updated_at=row.updated_at, data=data)

    def put(self, handler: str, data: str) -> None:
        """Create or replace the handler's draft, committed durably before returning.

        In an encrypted store the draft is sealed to its handler (it may hold a case
        reference or notes)."""
        keys = field_keys_for(self._engine)
        if keys is not None:
            data = keys.seal_draft(handler, data)
        with Session(self._engine) as session, session.begin():
            row = session.get(DraftRow, handler)
            if row is None:
                session.add(DraftRow(handler=handler, updated_at=self._clock(), data=data))
            else:
                row.updated_at = self._clock()
                row.data = data

    def delete(self, handler: str) -> bool:
        """Remove the handler's draft; ``True`` if there was one."""
        with Session(self._engine) as session, session.begin():
            result = session.execute(delete(DraftRow).where(DraftRow.handler == handler))
            return bool(result.rowcount)  # type: ignore[attr-defined]
