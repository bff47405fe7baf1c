"""The record service: the one way the CLI and the GUI reach records, as a principal.

It narrows every query to what the principal may see (:mod:`app.accounts.access`),
cuts each record down to their access level, and writes an audit entry for every
view of an individual record, every export, import and correction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from dataclasses import replace
from functools import partial
from typing import IO, Any
from uuid import UUID

from sqlalchemy import ColumnElement, Connection, and_, false, func, not_, or_, select
from sqlalchemy.orm import Session

from app.accounts.access import (
    Access,
    AccessDeniedError,
    Principal,
    RecordItem,
    RecordScope,
    Role,
    access_to,
    may_import,
    reads_sensitive,
    record_access,
    record_scope,
    stored_view,
    view_of,
)
from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.read_audit import AuditWriter
from app.errors import UserError
from app.i18n import _, ngettext
from app.screening.record import ScreeningRecord
from app.screening.record_io import columns, write_rows
from app.storage.exporting import export_count, export_rows
from app.storage.planning import unindexed
from app.storage.repository import (
    ImportOutcome,
    RecordFilter,
    newest_first,
    record_select,
    record_to_row_values,
    stored_fields,
)
from app.storage.store import Store
from app.storage.tables import RecordRow
from app.storage.versions import RecordVersions


def scope_clause(scope: RecordScope, *, newest_page: bool = False) -> ColumnElement[bool]:
    """SQL for "records this scope covers" (``newest_page``: see ``RecordFilter.apply``;
    a handler's own records keep ``ix_records_handler_recorded_at``)."""
    practice = unindexed(RecordRow.practice) if newest_page else RecordRow.practice
    team = unindexed(RecordRow.team) if newest_page else RecordRow.team
    clauses: list[ColumnElement[bool]] = []
    if scope.own_handler is not None:
        clauses.append(RecordRow.handler == scope.own_handler)
    if scope.teams:
        clauses.append(and_(practice.is_(False), team.in_(scope.teams)))
    if scope.all_real:
        clauses.append(practice.is_(False))
    if scope.all_practice:
        clauses.append(practice.is_(True))
    return or_(*clauses) if clauses else false()


def _within(scope: RecordScope, flt: RecordFilter) -> RecordScope:
    """``scope`` without the parts the filter's practice choice leaves out anyway."""
    real = not flt.practice_only
    practice = flt.include_practice or flt.practice_only
    return replace(
        scope,
        teams=scope.teams if real else frozenset(),
        all_real=scope.all_real and real,
        all_practice=scope.all_practice and practice,
    )


def _report_progress(progress: Callable[[int, int], None], total: int, written: int) -> None:
    progress(written, total)


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

    def __init__(
        self, store: Store, principal: Principal, audit: AuditWriter | None = None
    ) -> None:
        """``audit``: where the entries go (a session opened to read keeps them until it
        closes: ``Login.audit_writer``); by default the store's log."""
        self._store = store
        self.principal = principal
        self._audit: AuditWriter = audit if audit is not None else AuditLog(store.engine)
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
        flt = flt or RecordFilter()
        scope = _within(self._scope, flt)
        if scope.empty:
            return []  # e.g. a trainer's real records: none, without walking a million
        query = flt.apply(record_select(sensitive=self._sensitive), newest_page=True)
        query = newest_first(query.where(scope_clause(scope, newest_page=True)))
        query = query.offset(offset)
        if limit is not None:
            query = query.limit(limit)
        with self._store.engine.connect() as connection:
            rows = stored_fields(connection, query, self._store.records.opener)
        items: list[RecordItem] = []
        for fields in rows:
            access = access_to(
                self.principal,
                handler=fields["handler"],
                team=fields["team"],
                practice=fields["practice"],
            )
            if access is not Access.NONE:
                items.append(stored_view(fields, access))
        return items

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

    # -- exporting ----------------------------------------------------------------------------

    def export(
        self,
        flt: RecordFilter,
        out: IO[bytes],
        fmt: str,
        *,
        include_sensitive: bool = False,
        progress: Callable[[int, int], None] | None = None,
        dialect: str = "rfc4180",
    ) -> int:
        """Write the records the principal may export; returns how many. Audited.
        ``progress(written, total)`` is called as the records are written (it may raise
        to stop the export: nothing is audited then). ``dialect``: the CSV dialect.

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
        header = columns(include_sensitive)
        with self._store.engine.connect() as connection:
            report = total = None
            if progress is not None or fmt == "xlsx":
                total = export_count(connection, flt, where)
            if progress is not None and total is not None:
                report = partial(_report_progress, progress, total)
            # Closed here, before the store, even when the output breaks off (a closed pipe).
            opener = self._store.records.opener
            with closing(export_rows(connection, flt, where, header, opener)) as rows:
                written = write_rows(
                    header, rows, out, fmt, progress=report, dialect=dialect, total=total
                )
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

    # -- changing -----------------------------------------------------------------------------

    def import_records(self, records: Sequence[ScreeningRecord]) -> ImportOutcome:
        """All or nothing; every record must be one the principal may bring in. Audited."""
        return self.import_row_values([record_to_row_values(record) for record in records])

    def import_row_values(
        self,
        rows: Sequence[dict[str, Any]],
        progress: Callable[[int, int], None] | None = None,
    ) -> ImportOutcome:
        """:meth:`import_records` for records already turned into row values;
        ``progress(written, new)`` as the new ones are written."""
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

        def audited(connection: Connection, outcome: ImportOutcome) -> None:
            AuditLog(self._store.engine).append_in(  # in the change's own transaction
                connection,
                self.principal.username,
                AuditEvent.RECORDS_IMPORTED,
                detail={"added": outcome.added, "unchanged": outcome.unchanged},
            )

        return self._store.records.import_row_values(rows, progress, then=audited)

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

        def audited(connection: Connection, version: int) -> None:
            AuditLog(self._store.engine).append_in(  # in the change's own transaction
                connection,
                self.principal.username,
                AuditEvent.RECORD_CORRECTED,
                record_id=str(record.id),
                detail={"version": version},
            )

        return RecordVersions(self._store.engine).correct(record, indicators, then=audited)
