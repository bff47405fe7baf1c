"""The audit log as a list to browse: entries filtered by event, user, dates and record,
newest first, a page at a time (the administrator's audit page; ``AuditService.entries``).

Dates are calendar dates in Europe/Stockholm, inclusive. A page is read by the entry
number (the primary key) backwards, so the newest page costs the same on a long log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Engine, func, select

from app.accounts.audit_chain import AuditEntry, to_entry
from app.errors import UserError
from app.i18n import STOCKHOLM, _
from app.storage.tables import AuditRow

PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditQuery:
    """Which entries: ``events`` (None: every event), one user, a date range, one record;
    and which page of them (``offset`` entries skipped, newest first)."""

    events: tuple[str, ...] | None = None
    actor: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    record_id: str | None = None
    offset: int = 0
    limit: int = PAGE_SIZE

    def __post_init__(self) -> None:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(_("The first date is after the last date."))

    def conditions(self) -> list[ColumnElement[bool]]:
        found: list[ColumnElement[bool]] = []
        if self.events is not None:
            found.append(AuditRow.event.in_(self.events))
        if self.actor is not None:
            found.append(AuditRow.actor == self.actor)
        if self.date_from is not None:
            found.append(AuditRow.at >= _start_of(self.date_from))
        if self.date_to is not None:
            found.append(AuditRow.at < _start_of(self.date_to + timedelta(days=1)))
        if self.record_id is not None:
            found.append(AuditRow.record_id == self.record_id)
        return found


@dataclass(frozen=True)
class AuditPage:
    entries: list[AuditEntry]
    total: int  # every entry the filter matches
    offset: int

    @property
    def first(self) -> int:
        """The number of the page's first entry in the whole list (1-based; 0: none)."""
        return self.offset + 1 if self.entries else 0

    @property
    def last(self) -> int:
        return self.offset + len(self.entries)

    @property
    def has_next(self) -> bool:
        return self.last < self.total


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM).astimezone(UTC)


def list_entries(engine: Engine, query: AuditQuery) -> AuditPage:
    """One page of the entries ``query`` matches, newest first, and how many match."""
    conditions = query.conditions()
    page = (
        select(AuditRow)
        .where(*conditions)
        .order_by(AuditRow.seq.desc())
        .offset(max(query.offset, 0))
        .limit(query.limit)
    )
    with engine.connect() as connection:
        total = connection.execute(select(func.count()).select_from(AuditRow).where(*conditions))
        entries = [to_entry(row) for row in connection.execute(page)]
        return AuditPage(entries, int(total.scalar_one()), max(query.offset, 0))


def actors(engine: Engine) -> list[str]:
    """Every user name in the log (for the user filter), sorted."""
    with engine.connect() as connection:
        query = select(AuditRow.actor).distinct().order_by(AuditRow.actor)
        return [str(actor) for actor in connection.scalars(query)]
