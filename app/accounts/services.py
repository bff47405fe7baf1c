"""The record service: the one way the CLI and the GUI reach records, as a principal.

It narrows every query to what the principal may see (:mod:`app.accounts.access`),
cuts each record down to their access level, and writes an audit entry for every
view of an individual record, every export, import and correction.
"""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing
from typing import IO, Any
from uuid import UUID

from sqlalchemy import ColumnElement, and_, false, func, not_, or_, select
from sqlalchemy.orm import Session

from app.accounts.access import (
    Access,
    AccessDeniedError,
    Principal,
    RecordItem,
    RecordScope,
    Role,
    export_view,
    may_import,
    reads_sensitive,
    record_access,
    record_scope,
    view_of,
)
from app.accounts.audit import AuditEvent, AuditLog
from app.errors import UserError
from app.i18n import _, ngettext
from app.screening.record import ScreeningRecord
from app.screening.record_io import write_export
from app.storage.repository import (
    ImportOutcome,
    RecordFilter,
    record_select,
    record_to_row_values,
    row_to_record,
)
from app.storage.store import Store
from app.storage.tables import RecordRow
from app.storage.versions import RecordVersions

_BATCH = 2_000


def scope_clause(scope: RecordScope) -> ColumnElement[bool]:
    """SQL for "records this scope covers"."""
    clauses: list[ColumnElement[bool]] = []
    if scope.own_handler is not None:
        clauses.append(RecordRow.handler == scope.own_handler)
    if scope.teams:
        clauses.append(and_(RecordRow.practice.is_(False), RecordRow.team.in_(scope.teams)))
    if scope.all_real:
        clauses.append(RecordRow.practice.is_(False))
    if scope.all_practice:
        clauses.append(RecordRow.practice.is_(True))
    return or_(*clauses) if clauses else false()


def full_clause(principal: Principal) -> ColumnElement[bool]:
    """SQL for "records this principal sees in full"."""
    clauses: list[ColumnElement[bool]] = []
    if principal.has(Role.HANDLER):
        clauses.append(RecordRow.handler == principal.username)
    if principal.has(Role.TRAINER):
        clauses.append(RecordRow.practice.is_(True))
    return or_(*clauses) if clauses else false()


class RecordService:
    """Records as ``principal`` may see them, with an audit trail."""

    def __init__(self, store: Store, principal: Principal) -> None:
        self._store = store
        self.principal = principal
        self._audit = AuditLog(store.engine)
        self._scope = record_scope(principal)
        # Case references and notes are selected only by those who may read some in full.
        self._sensitive = reads_sensitive(principal)

    # -- reading ------------------------------------------------------------------------------

    def count(self, flt: RecordFilter | None = None) -> int:
        query = (flt or RecordFilter()).apply(select(func.count()).select_from(RecordRow))
        with Session(self._store.engine) as session:
            return int(session.execute(query.where(scope_clause(self._scope))).scalar_one())

    def list(
        self, flt: RecordFilter | None = None, *, limit: int | None = None, offset: int = 0
    ) -> list[RecordItem]:
        """Newest first, each record cut to the principal's access (a list is not a view of an
        individual record, so it is not audited)."""
        query = (flt or RecordFilter()).apply(record_select(sensitive=self._sensitive))
        query = query.where(scope_clause(self._scope))
        query = query.order_by(RecordRow.recorded_at.desc(), RecordRow.id).offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self._store.engine.connect() as connection:
            records = [
                row_to_record(row, self._store.records.opener) for row in connection.execute(query)
            ]
        return [view_of(record, access) for record, access in self._with_access(records)]

    def get(self, record_id: UUID) -> RecordItem:
        """One record, as far as the principal may see it. Audited as a view."""
        record = self._store.records.get(record_id, sensitive=self._sensitive)
        access = record_access(self.principal, record) if record is not None else Access.NONE
        if record is None or access is Access.NONE:
            raise UserError(_("There is no record {id} that you may see.").format(id=record_id))
        self._audit.append(
            self.principal.username,
            AuditEvent.RECORD_VIEWED,
            record_id=str(record_id),
            detail={"access": access.name.lower()},
        )
        return view_of(record, access)

    def _with_access(
        self, records: Iterable[ScreeningRecord]
    ) -> Iterator[tuple[ScreeningRecord, Access]]:
        for record in records:
            access = record_access(self.principal, record)
            if access is not Access.NONE:
                yield record, access

    # -- exporting ----------------------------------------------------------------------------

    def export(
        self,
        flt: RecordFilter,
        out: IO[bytes],
        fmt: str,
        *,
        include_sensitive: bool = False,
    ) -> int:
        """Write the records the principal may export; returns how many. Audited.

        Individual records leave the store only for their handler (in full), a trainer
        (practice records) and an administrator (never with case reference or notes). A
        team lead exports statistics instead.
        """
        self.principal.require(Role.HANDLER, Role.TRAINER, Role.ADMIN)
        scope = RecordScope(
            own_handler=self._scope.own_handler,
            teams=frozenset(),
            all_real=self._scope.all_real,
            all_practice=self._scope.all_practice,
        )
        where = scope_clause(scope)
        if include_sensitive:
            withheld = flt.apply(select(func.count()).select_from(RecordRow)).where(
                where, not_(full_clause(self.principal))
            )
            with Session(self._store.engine) as session:
                count = int(session.execute(withheld).scalar_one())
            if count:
                raise AccessDeniedError(
                    ngettext(
                        "Case references and notes can be exported only from your own records; "
                        "{count} record in the selection is someone else's. Nothing was exported.",
                        "Case references and notes can be exported only from your own records; "
                        "{count} records in the selection are someone else's. Nothing was "
                        "exported.",
                        count,
                    ).format(count=count)
                )
        # Closed here, before the store, even when the output breaks off (a closed pipe).
        with closing(self._iter_views(flt, where)) as views:
            written = write_export(views, out, fmt, include_sensitive=include_sensitive)
        self._audit.append(
            self.principal.username,
            AuditEvent.RECORDS_EXPORTED,
            detail={
                "count": written,
                "format": fmt,
                "include_sensitive": include_sensitive,
                "from": flt.date_from.isoformat() if flt.date_from else None,
                "to": flt.date_to.isoformat() if flt.date_to else None,
            },
        )
        return written

    def _iter_views(
        self, flt: RecordFilter, where: ColumnElement[bool]
    ) -> Generator[Any, None, None]:
        query = flt.apply(record_select(sensitive=self._sensitive)).where(where)
        query = query.order_by(RecordRow.recorded_at, RecordRow.id)
        opener = self._store.records.opener
        with self._store.engine.connect() as connection:
            rows = connection.execute(query.execution_options(yield_per=_BATCH))
            for record, access in self._with_access(row_to_record(row, opener) for row in rows):
                yield export_view(record, access)

    # -- changing -----------------------------------------------------------------------------

    def import_records(self, records: Sequence[ScreeningRecord]) -> ImportOutcome:
        """All or nothing; every record must be one the principal may bring in. Audited."""
        return self.import_row_values([record_to_row_values(record) for record in records])

    def import_row_values(self, rows: Sequence[dict[str, Any]]) -> ImportOutcome:
        """:meth:`import_records` for records already turned into row values."""
        refused = [
            number
            for number, row in enumerate(rows, 1)
            if not may_import(
                self.principal, handler=row["handler"], team=row["team"], practice=row["practice"]
            )
        ]
        if refused:
            shown = ", ".join(str(number) for number in refused[:10])
            raise AccessDeniedError(
                ngettext(
                    "{count} record is not yours to import (record {numbers}); "
                    "nothing was imported.",
                    "{count} records are not yours to import (records {numbers}); "
                    "nothing was imported.",
                    len(refused),
                ).format(count=len(refused), numbers=shown + (" …" if len(refused) > 10 else ""))
            )
        outcome = self._store.records.import_row_values(rows)
        self._audit.append(
            self.principal.username,
            AuditEvent.RECORDS_IMPORTED,
            detail={"added": outcome.added, "unchanged": outcome.unchanged},
        )
        return outcome

    def save(
        self,
        record: ScreeningRecord,
        indicators: Iterable[str] = (),
        *,
        draft_of: str | None = None,
    ) -> None:
        """A new screening by the signed-in handler (or a trainer's practice record)."""
        if record_access(self.principal, record) is not Access.FULL:
            raise AccessDeniedError(_("You can save only your own screenings."))
        RecordVersions(self._store.engine).save(record, indicators, draft_of=draft_of)

    def correct(self, record: ScreeningRecord, indicators: Iterable[str] | None = None) -> int:
        """A new version of one of the principal's own records. Audited."""
        stored = self._store.records.get(record.id, sensitive=self._sensitive)
        if stored is None or record_access(self.principal, stored) is not Access.FULL:
            raise UserError(_("There is no record {id} that you may correct.").format(id=record.id))
        version = RecordVersions(self._store.engine).correct(record, indicators)
        self._audit.append(
            self.principal.username,
            AuditEvent.RECORD_CORRECTED,
            record_id=str(record.id),
            detail={"version": version},
        )
        return version
