"""Saving screenings from the wizard, corrections as new versions, ticked indicators.

A saved record is never silently overwritten: :meth:`RecordVersions.correct`
keeps the version it replaces in ``record_versions`` (numbered 1, 2, ...) and
the ``records`` row holds the current version. The ids of the indicators the
handler ticked live in ``record_indicators`` (the record JSON has only
``indications``), the ids of the protocol's consequences the handler marked as
done (e.g. ``inform_other_cases``) in ``record_consequences``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache, partial
from typing import cast
from uuid import UUID

from sqlalchemy import Connection, Engine, Table, bindparam, delete, func, or_, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _
from app.screening.enums import DayPart
from app.screening.record import ScreeningRecord
from app.storage.drafts import Clock, utc_now
from app.storage.followups import add_followup, close_for_case
from app.storage.loading import RecordInserter
from app.storage.prepared import driver_insert_sql, run_prepared
from app.storage.repository import (
    RECORDS_TABLE,
    record_select,
    record_to_row_values,
    row_to_record,
)
from app.storage.sealing import SEALED_FIELDS, field_keys_for, open_row, seal_row
from app.storage.tables import (
    DraftRow,
    RecordConsequenceRow,
    RecordIndicatorRow,
    RecordRow,
    RecordVersionRow,
)

INDICATORS = cast(Table, RecordIndicatorRow.__table__)
CONSEQUENCES = cast(Table, RecordConsequenceRow.__table__)
DRAFTS = cast(Table, DraftRow.__table__)
_DROP_DRAFT = DRAFTS.delete().where(DRAFTS.c.handler == bindparam("handler"))


@dataclass(frozen=True)
class RecordVersion:
    """One version of a record. ``superseded_at`` is ``None`` for the current one."""

    version: int
    record: ScreeningRecord
    indicators: list[str]
    superseded_at: datetime | None
    consequences: list[str] = field(default_factory=list)


class RecordVersions:
    def __init__(self, engine: Engine, clock: Clock = utc_now) -> None:
        self._engine = engine
        self._clock = clock
        self._open = partial(open_row, engine)

    def save(
        self,
        record: ScreeningRecord,
        indicators: Iterable[str] = (),
        *,
        consequences: Iterable[str] = (),
        draft_of: str | None = None,
        callback: tuple[date, DayPart] | None = None,
    ) -> None:
        """Store a new record with its indicators and the consequences done, and drop the
        handler's draft, in one commit.

        The record closes the open follow-ups of its case (a later screening of it);
        ``callback`` (a not-asked record's agreed day and part of day) keeps a new one.

        Saving the very same record again (a retry after a crash) changes nothing.
        """
        ticked = _unique(indicators)
        done = _unique(consequences)
        values = record_to_row_values(record)
        seal_row(self._engine, values)  # case reference and notes: the handler's only
        key = values["id"]
        with self._engine.begin() as connection:
            if not RecordInserter(connection).insert_new(values):
                stored = connection.execute(record_select().where(RECORDS_TABLE.c.id == key))
                row = stored.first()
                if row is None or row_to_record(row, self._open) != record:
                    raise UserError(_("A different record with this id is already stored."))
            else:
                _insert_items(connection, INDICATORS, key, ticked)
                _insert_items(connection, CONSEQUENCES, key, done)
                moment = self._clock()
                close_for_case(connection, record, moment)
                if callback is not None:
                    add_followup(connection, record, callback, moment)
            if draft_of is not None:
                run_prepared(connection, _DROP_DRAFT, {"handler": draft_of})

    def correct(
        self,
        record: ScreeningRecord,
        indicators: Iterable[str] | None = None,
        *,
        consequences: Iterable[str] | None = None,
        then: Callable[[Connection, int], None] | None = None,
    ) -> int:
        """Store ``record`` as the new current version, keeping the old one. Returns its number.

        ``indicators`` (``consequences``) ``None`` keeps the ticked indicators (the
        consequences done) as they are. ``then(connection, version)`` runs in the same
        transaction (the audit entry of the correction: both are committed, or neither).
        """
        key = str(record.id)
        with Session(self._engine) as session, session.begin():
            row = session.get(RecordRow, key)
            if row is None:
                raise UserError(_("There is no saved screening to correct."))
            current = row_to_record(row, self._open)
            if current.handler != record.handler:
                raise UserError(_("A screening can only be corrected by the handler who made it."))
            old_indicators = _indicators(session, key)
            new_indicators = old_indicators if indicators is None else _unique(indicators)
            old_done = _consequences(session, key)
            new_done = old_done if consequences is None else _unique(consequences)
            if current == record and old_indicators == new_indicators and old_done == new_done:
                raise UserError(_("Nothing was changed, so no new version was made."))
            replaced = _superseded_count(session, key) + 1  # the current version's number
            session.add(
                RecordVersionRow(
                    record_id=key,
                    version=replaced,
                    superseded_at=self._clock(),
                    data=_as_stored(current, row),
                    indicators=json.dumps(old_indicators),
                    consequences=json.dumps(old_done),
                )
            )
            values = record_to_row_values(record)
            seal_row(self._engine, values)
            for name, value in values.items():
                setattr(row, name, value)
            session.execute(delete(RecordIndicatorRow).where(RecordIndicatorRow.record_id == key))
            session.add_all(
                RecordIndicatorRow(record_id=key, indicator_id=item) for item in new_indicators
            )
            session.execute(
                delete(RecordConsequenceRow).where(RecordConsequenceRow.record_id == key)
            )
            session.add_all(
                RecordConsequenceRow(record_id=key, consequence_id=item) for item in new_done
            )
            if then is not None:
                session.flush()
                then(session.connection(), replaced + 1)
            return replaced + 1

    def version_of(self, record_id: UUID) -> int:
        """The current version's number: 1 for a record never corrected."""
        with Session(self._engine) as session:
            return _superseded_count(session, str(record_id)) + 1

    def indicators(self, record_id: UUID) -> list[str]:
        with Session(self._engine) as session:
            return _indicators(session, str(record_id))

    def consequences(self, record_id: UUID) -> list[str]:
        """The ids of the protocol's consequences the handler marked as done."""
        with Session(self._engine) as session:
            return _consequences(session, str(record_id))

    def history(self, record_id: UUID) -> list[RecordVersion]:
        """Every version, oldest first; the last is the current one. Empty if unknown."""
        key = str(record_id)
        with Session(self._engine) as session:
            row = session.get(RecordRow, key)
            if row is None:
                return []
            old = session.scalars(
                select(RecordVersionRow)
                .where(RecordVersionRow.record_id == key)
                .order_by(RecordVersionRow.version)
            )
            versions = [
                RecordVersion(
                    version=item.version,
                    record=self._version_record(item.data),
                    indicators=list(json.loads(item.indicators)),
                    superseded_at=item.superseded_at,
                    consequences=list(json.loads(item.consequences)),
                )
                for item in old
            ]
            versions.append(
                RecordVersion(
                    version=len(versions) + 1,
                    record=row_to_record(row, self._open),
                    indicators=_indicators(session, key),
                    superseded_at=None,
                    consequences=_consequences(session, key),
                )
            )
            return versions

    def search(
        self,
        handler: str,
        text: str,
        *,
        benefits: Iterable[str] = (),
        practice: bool = False,
        limit: int = 500,
    ) -> list[ScreeningRecord]:
        """The handler's own records whose case reference contains ``text`` or whose benefit
        is one of ``benefits`` (the caller matches benefit names in the user's language).

        Newest first. ``text`` matches case-insensitively; an empty text matches all.
        """
        query = select(RecordRow).where(
            RecordRow.handler == handler, RecordRow.practice.is_(practice)
        )
        needle = text.strip().lower()
        query = query.order_by(RecordRow.recorded_at.desc(), RecordRow.id)
        sealed = field_keys_for(self._engine) is not None
        if needle and not sealed:
            pattern = "%" + _escape_like(needle) + "%"
            query = query.where(
                or_(
                    func.lower(RecordRow.case_reference).like(pattern, escape="\\"),
                    RecordRow.benefit.in_(list(benefits)),
                )
            )
        if not needle or not sealed:
            query = query.limit(limit)
        wanted = set(benefits)
        found: list[ScreeningRecord] = []
        with Session(self._engine) as session:
            for row in session.scalars(query.execution_options(yield_per=1000)):
                record = row_to_record(row, self._open)
                # Sealed case references are matched here, once opened for their handler.
                if (
                    sealed
                    and needle
                    and not (
                        record.benefit in wanted or needle in (record.case_reference or "").lower()
                    )
                ):
                    continue
                found.append(record)
                if len(found) >= limit:
                    break
        return found

    def _version_record(self, data: str) -> ScreeningRecord:
        values = json.loads(data)
        self._open(values)
        return ScreeningRecord.model_validate(values)


def _insert_items(connection: Connection, table: Table, key: str, items: list[str]) -> None:
    """A new record's rows in ``record_indicators`` or ``record_consequences`` (two strings
    each, nothing to convert), with the driver's ``executemany``."""
    if items:
        connection.exec_driver_sql(
            _items_sql(connection.dialect.paramstyle, table), [(key, item) for item in items]
        )


@cache
def _items_sql(paramstyle: str, table: Table) -> str:
    return driver_insert_sql(paramstyle, table, [column.name for column in table.columns])


def _as_stored(current: ScreeningRecord, row: RecordRow) -> str:
    """A superseded version's JSON with its sensitive fields as the row stores them (sealed
    in an encrypted store): an old version is no easier to read than the current one."""
    data = current.model_dump(mode="json")
    for name in SEALED_FIELDS:
        data[name] = getattr(row, name)
    return json.dumps(data, ensure_ascii=False)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _superseded_count(session: Session, key: str) -> int:
    count = session.execute(
        select(func.count()).select_from(RecordVersionRow).where(RecordVersionRow.record_id == key)
    ).scalar_one()
    return int(count)


def _indicators(session: Session, key: str) -> list[str]:
    rows: Sequence[str] = session.scalars(
        select(RecordIndicatorRow.indicator_id)
        .where(RecordIndicatorRow.record_id == key)
        .order_by(RecordIndicatorRow.indicator_id)
    ).all()
    return list(rows)


def _consequences(session: Session, key: str) -> list[str]:
    rows: Sequence[str] = session.scalars(
        select(RecordConsequenceRow.consequence_id)
        .where(RecordConsequenceRow.record_id == key)
        .order_by(RecordConsequenceRow.consequence_id)
    ).all()
    return list(rows)
