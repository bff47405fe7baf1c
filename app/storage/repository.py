"""The record repository: pydantic records in, pydantic records out."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, MutableMapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import partial
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Connection, Engine, Row, Select, Table, func, select
from sqlalchemy.orm import Session

from app.errors import UserError
from app.i18n import _, ngettext, to_local
from app.screening.record import SENSITIVE_FIELDS, ScreeningRecord, content_hash_of
from app.screening.record_io import SIDE_FIELDS
from app.storage.loading import RecordInserter, loading_many
from app.storage.planning import unindexed
from app.storage.sealing import (
    field_keys_for,
    open_row,
    open_without_keys,
    seal_row,
)
from app.storage.side_lists import store_side_lists
from app.storage.tables import RecordRow

_BATCH = 2_000
RECORDS_TABLE = cast(Table, RecordRow.__table__)


def _as_is(column: Any) -> Any:
    return column


def newest_first(query: Select[Any]) -> Select[Any]:
    """Newest first, ties by id (the order of every records list)."""
    return query.order_by(RecordRow.recorded_at.desc(), RecordRow.id)


@dataclass(frozen=True)
class RecordFilter:
    """Which records a query covers. Dates are calendar dates in Europe/Stockholm, inclusive."""

    date_from: date | None = None
    date_to: date | None = None
    team: str | None = None
    handler: str | None = None
    include_practice: bool = False
    practice_only: bool = False

    def apply(self, query: Select[Any], *, newest_page: bool = False) -> Select[Any]:
        """``query`` narrowed to the filter. ``newest_page``: for a newest-first page, whose
        plan must walk the ``recorded_at`` index (:class:`unindexed`)."""
        wrap = unindexed if newest_page else _as_is
        practice, local_date = wrap(RecordRow.practice), wrap(RecordRow.local_date)
        if self.practice_only:
            query = query.where(practice.is_(True))
        elif not self.include_practice:
            query = query.where(practice.is_(False))
        if self.date_from is not None:
            query = query.where(local_date >= self.date_from)
        if self.date_to is not None:
            query = query.where(local_date <= self.date_to)
        if self.team is not None:
            query = query.where(wrap(RecordRow.team) == self.team)
        if self.handler is not None:
            query = query.where(RecordRow.handler == self.handler)
        return query


@dataclass(frozen=True)
class ImportOutcome:
    added: int
    unchanged: int


class ConflictError(UserError):
    """Records whose id is already stored with different content."""

    def __init__(self, conflicts: list[tuple[int, UUID]]) -> None:
        super().__init__(
            ngettext(
                "{count} record has the id of a stored record but different content; "
                "nothing was imported.",
                "{count} records have the id of a stored record but different content; "
                "nothing was imported.",
                len(conflicts),
            ).format(count=len(conflicts))
        )
        self.conflicts = conflicts


def record_to_row_values(record: ScreeningRecord) -> dict[str, Any]:
    return row_values_from_json(record.model_dump(mode="json"))


def row_values_from_json(data: dict[str, Any]) -> dict[str, Any]:
    """Row values from a record's JSON-ready data (already validated, or made valid by
    construction as the demo generator does). Runs once per imported record."""
    recorded_at = datetime.fromisoformat(data["recorded_at"]).astimezone(UTC)
    local = to_local(recorded_at)
    row = dict(data)
    for side in SIDE_FIELDS:  # an export line's lists: stored beside the record, when given
        if not row.get(side):
            row.pop(side, None)
    protocol = row.pop("protocol")
    forms, referrals = data["violence_forms"], data["referrals"]
    row.update(
        {name: json.dumps(data[name]) if data[name] else "[]" for name in LATER_LISTS},
        recorded_at=recorded_at,
        local_date=local.date(),
        local_month=f"{local.year:04d}-{local.month:02d}",
        violence_forms=json.dumps(forms) if forms else "[]",
        referrals=json.dumps(referrals) if referrals else "[]",
        protocol_id=protocol["id"],
        protocol_version=protocol["version"],
        content_hash=content_hash_of(data),
        case_reference_index=None,  # set when the handler's own key seals the record
        sealed_in=None,  # this store's own sealing (a team server keeps another id)
    )
    return row


_RECORD_FIELDS = tuple(ScreeningRecord.model_fields)
LATER_LISTS = ("danger_actions", "risk_markers")  # JSON lists added in migration 0008
# Every list a record keeps as JSON text in its row.
JSON_LISTS = ("violence_forms", "referrals", *LATER_LISTS)


_STORED_FIELDS = (
    *(name for name in _RECORD_FIELDS if name != "protocol"),
    "protocol_id",
    "protocol_version",
)
# A record's columns, for Core selects (a page of records without ORM objects).
RECORD_COLUMNS = tuple(RECORDS_TABLE.c[name] for name in _STORED_FIELDS)
# Every column but case reference and notes: what a team lead or administrator may select
# (on a server, column privileges refuse the others to them).
_PLAIN_COLUMNS = tuple(column for column in RECORD_COLUMNS if column.name not in SENSITIVE_FIELDS)


def record_select(*, sensitive: bool = True) -> Select[Any]:
    """``SELECT`` of whole records, or of records without their sensitive fields."""
    return select(*(RECORD_COLUMNS if sensitive else _PLAIN_COLUMNS))


Opener = Callable[[MutableMapping[str, Any]], None]


def row_to_record(row: Any, opener: Opener = open_without_keys) -> ScreeningRecord:
    """A stored record (an ORM row, or a result row of :func:`record_select`: a list reads
    them without the ORM's cost) as the pydantic record; sensitive fields not selected
    are ``None``.

    ``opener`` opens sealed fields for their handler (:func:`app.storage.sealing.open_row`
    bound to the store's engine); by default a sealed value reads as ``None``.
    """
    if isinstance(row, Row):
        mapping = row._mapping
        data: dict[str, Any] = {name: mapping.get(name) for name in _STORED_FIELDS}
    else:
        data = {name: getattr(row, name, None) for name in _STORED_FIELDS}
    return ScreeningRecord.model_validate(_as_record_fields(data, opener))


def _as_record_fields(data: dict[str, Any], opener: Opener) -> dict[str, Any]:
    """A row's values (``data``, changed in place) as the pydantic record's fields."""
    opener(data)
    for name in JSON_LISTS:
        text = data[name]
        data[name] = [] if text == "[]" else json.loads(text)
    data["protocol"] = {"id": data.pop("protocol_id"), "version": data.pop("protocol_version")}
    return data


def stored_fields(
    connection: Connection, query: Select[Any], opener: Opener = open_without_keys
) -> list[dict[str, Any]]:
    """The records a :func:`record_select` query finds, each as the fields of a
    :class:`ScreeningRecord` (sensitive fields not selected are ``None``), for
    ``model_validate(fields, context=STORED)``: a page of a list without checking again the
    rules checked when each record was stored."""
    result = connection.execute(query)
    names = tuple(result.keys())
    missing = dict.fromkeys(name for name in _STORED_FIELDS if name not in names)
    return [
        _as_record_fields({**missing, **dict(zip(names, row, strict=True))}, opener)
        for row in result.all()
    ]


class RecordRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.opener: Opener = partial(open_row, engine)

    def add(self, record: ScreeningRecord) -> None:
        """Store one new record with a durable commit."""
        values = record_to_row_values(record)
        seal_row(self._engine, values)
        with Session(self._engine) as session, session.begin():
            if session.get(RecordRow, str(record.id)) is not None:
                raise UserError(_("A record with this id is already stored."))
            session.add(RecordRow(**values))

    def import_records(self, records: Sequence[ScreeningRecord]) -> ImportOutcome:
        """All or nothing: same id and content is skipped, same id and other content fails."""
        return self.import_row_values([record_to_row_values(record) for record in records])

    def import_row_values(
        self,
        rows: Sequence[dict[str, Any]],
        progress: Callable[[int, int], None] | None = None,
        *,
        then: Callable[[Connection, ImportOutcome], None] | None = None,
    ) -> ImportOutcome:
        """:meth:`import_records` for records already turned into row values (a big import
        converts them in worker processes: ``app/storage/importing.py``). Row values of
        an export line (``indicators``, ``consequences_done``) store those lists too; a
        record already stored keeps its own. ``progress(written, new)`` is called as the
        new records are written; ``then(connection, outcome)`` runs in the same transaction
        (the import's audit entry)."""
        new: list[dict[str, Any]] = []
        unchanged = 0
        conflicts: list[tuple[int, UUID]] = []
        seen: dict[str, str] = {}
        with Session(self._engine) as session, session.begin():
            for start in range(0, len(rows), _BATCH):
                chunk = rows[start : start + _BATCH]
                ids = [values["id"] for values in chunk]
                found = session.execute(
                    select(RecordRow.id, RecordRow.content_hash).where(RecordRow.id.in_(ids))
                )
                stored: dict[str, str] = {row[0]: row[1] for row in found}
                for offset, values in enumerate(chunk):
                    key = values["id"]
                    known = stored.get(key) or seen.get(key)
                    if known is None:
                        seen[key] = values["content_hash"]
                        new.append(values)
                    elif known == values["content_hash"]:
                        unchanged += 1
                    else:
                        conflicts.append((start + offset, UUID(key)))
            if conflicts:
                raise ConflictError(conflicts)
            for values in new:
                seal_row(self._engine, values)
            connection = session.connection()
            with loading_many(connection, len(new)):
                inserter = RecordInserter(connection)
                for start in range(0, len(new), _BATCH):
                    inserter.insert_values(new[start : start + _BATCH])
                    if progress is not None:
                        progress(min(start + _BATCH, len(new)), len(new))
            store_side_lists(connection, new)
            outcome = ImportOutcome(added=len(new), unchanged=unchanged)
            if then is not None:
                then(connection, outcome)
        return outcome

    def get(self, record_id: UUID, *, sensitive: bool = True) -> ScreeningRecord | None:
        query = record_select(sensitive=sensitive).where(RecordRow.id == str(record_id))
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
            return row_to_record(row, self.opener) if row is not None else None

    def count(self, flt: RecordFilter | None = None) -> int:
        query = (flt or RecordFilter()).apply(select(func.count()).select_from(RecordRow))
        with Session(self._engine) as session:
            return int(session.execute(query).scalar_one())

    def query(
        self, flt: RecordFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[ScreeningRecord]:
        """Newest first."""
        query = (flt or RecordFilter()).apply(select(*RECORD_COLUMNS), newest_page=True)
        query = newest_first(query).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self._engine.connect() as connection:
            return [row_to_record(row, self.opener) for row in connection.execute(query)]

    def iter_records(self, flt: RecordFilter | None = None) -> Iterator[ScreeningRecord]:
        """Oldest first, streamed in batches, for exports."""
        query = (flt or RecordFilter()).apply(select(RecordRow))
        query = query.order_by(RecordRow.recorded_at, RecordRow.id)
        with Session(self._engine) as session:
            for row in session.scalars(query.execution_options(yield_per=_BATCH)):
                yield row_to_record(row, self.opener)

    def insert_many_unchecked(self, records: Iterable[dict[str, Any]]) -> int:
        """Bulk insert of row values already made by :func:`record_to_row_values` (demo data)."""
        count = 0
        batch: list[dict[str, Any]] = []
        keys = field_keys_for(self._engine)
        with Session(self._engine) as session, session.begin():
            for values in records:
                if keys is not None:
                    keys.seal_or_drop(values)
                batch.append(values)
                if len(batch) >= _BATCH * 5:
                    session.execute(RECORDS_TABLE.insert(), batch)
                    count += len(batch)
                    batch = []
            if batch:
                session.execute(RECORDS_TABLE.insert(), batch)
                count += len(batch)
        return count
