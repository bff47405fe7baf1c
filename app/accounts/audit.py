"""The audit log: an append-only table where each entry carries the hash of the one before.

``hash = SHA-256(canonical JSON of {at, actor, event, record_id, subject, detail, prev})``;
the first entry's ``prev`` is 64 zeros. ``audit_head`` holds the newest entry's number
and hash, updated in the same transaction, so a deleted tail shows too. :meth:`AuditLog.verify`
walks the chain and names the entry where it breaks: changed, missing, out of order.
The events are in :mod:`.audit_events`, one entry and its chaining in :mod:`.audit_chain`,
the checks in :mod:`.audit_verify`; their public names are re-exported here.

Entries never hold personal data: only pseudonymous user names, record UUIDs, event
codes and counts. The chain finds edits made with a database tool. In an encrypted store
each entry is also signed by its writer's own key, and every user's key slot keeps a
signed anchor of the newest entry they saw (:mod:`app.accounts.signing`), so someone
with the database key who recomputes hashes, cuts the log short or appends to it is found
too. On a server the entries are written by the server's own function (migration 0009).
Rolling back the database and the key file together is found only against an outside
copy: ``vagafraga audit export`` to the central log and ``audit verify --against`` it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, select
from sqlalchemy.exc import DBAPIError

from app.accounts.audit_chain import (
    GENESIS,
    AuditEntry,
    AuditTamperedError,
    Pending,
    append_entries,
    entry_hash,
    to_entry,
)
from app.accounts.audit_checked import Checked
from app.accounts.audit_checks import AuditProblem, head_missing
from app.accounts.audit_events import EVENT_TITLES, LOOKING_EVENTS, AuditEvent
from app.accounts.audit_verify import AuditReport, compare_with_export, verify_chain
from app.accounts.audit_walk import QUICK_CHECK_ENTRIES
from app.accounts.signing import Anchors, signer_for
from app.storage.server import AUDIT_HEAD_MISSING, sqlstate
from app.storage.tables import AuditHeadRow, AuditRow

__all__ = [
    "EVENT_TITLES",
    "GENESIS",
    "LOOKING_EVENTS",
    "QUICK_CHECK_ENTRIES",
    "AuditEntry",
    "AuditEvent",
    "AuditLog",
    "AuditReport",
    "AuditTamperedError",
    "Pending",
    "entry_hash",
]


class AuditLog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # -- writing ------------------------------------------------------------------------------

    def append(
        self,
        actor: str,
        event: AuditEvent,
        *,
        record_id: str | None = None,
        subject: str | None = None,
        detail: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None:
        self.append_many([Pending(actor, event, record_id, subject, detail, at)])

    def append_in(
        self,
        connection: Connection,
        actor: str,
        event: AuditEvent,
        *,
        record_id: str | None = None,
        subject: str | None = None,
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Append inside the caller's open transaction on ``connection``: the entry is
        committed with the change it tells of, or neither is (no change goes unaudited)."""
        entry = Pending(actor, event, record_id, subject, detail)
        try:
            append_entries(connection, [entry], signer_for(self._engine))
        except DBAPIError as error:
            if sqlstate(error) == AUDIT_HEAD_MISSING:
                raise AuditTamperedError(head_missing(None)) from None
            raise

    def append_many(self, entries: Iterable[Pending]) -> None:
        """Append in one transaction (all or nothing).

        On a server the entries go through ``vagafraga_audit_append``, which chains them
        under a lock in the server, with the server's time and the signed-in role as actor.
        """
        items = list(entries)
        if not items:
            return
        signer = signer_for(self._engine)
        try:
            with self._engine.begin() as connection:
                append_entries(connection, items, signer)
        except DBAPIError as error:
            if sqlstate(error) == AUDIT_HEAD_MISSING:
                raise AuditTamperedError(head_missing(None)) from None
            raise

    # -- reading ------------------------------------------------------------------------------

    def head(self) -> tuple[int, str] | None:
        """The newest entry's number and hash, as the head row has them."""
        with self._engine.connect() as connection:
            head = connection.execute(select(AuditHeadRow.seq, AuditHeadRow.hash)).first()
            return (int(head.seq), str(head.hash)) if head is not None else None

    def count(self) -> int:
        with self._engine.connect() as connection:
            head = connection.execute(select(AuditHeadRow.seq)).scalar()
            return int(head or 0)

    def entries(self, *, after: int = 0) -> Iterator[AuditEntry]:
        query = select(AuditRow).where(AuditRow.seq > after).order_by(AuditRow.seq)
        with self._engine.connect() as connection:
            for row in connection.execute(query.execution_options(yield_per=2000)):
                yield to_entry(row)

    def who_viewed(self, record_id: str) -> list[AuditEntry]:
        """Every view and correction of one record, oldest first."""
        query = (
            select(AuditRow)
            .where(AuditRow.record_id == record_id)
            .where(AuditRow.event.in_([AuditEvent.RECORD_VIEWED, AuditEvent.RECORD_CORRECTED]))
            .order_by(AuditRow.seq)
        )
        with self._engine.connect() as connection:
            return [to_entry(row) for row in connection.execute(query)]

    def viewed_by(self, username: str, *, limit: int = 1000) -> list[AuditEntry]:
        """What one user looked at (views, corrections, exports), newest first."""
        query = (
            select(AuditRow)
            .where(AuditRow.actor == username)
            .where(AuditRow.event.in_(LOOKING_EVENTS))
            .order_by(AuditRow.seq.desc())
            .limit(limit)
        )
        with self._engine.connect() as connection:
            return [to_entry(row) for row in connection.execute(query)]

    # -- checking -----------------------------------------------------------------------------

    def verify(
        self,
        *,
        last: int | None = None,
        anchors: Anchors | None = None,
        earlier: Checked | None = None,
    ) -> AuditReport:
        """Walk the chain (or only its ``last`` entries): see :func:`.verify_chain`."""
        with self._engine.connect() as connection:
            return verify_chain(connection, last=last, anchors=anchors, earlier=earlier)

    def check_recent(self, anchors: Anchors | None = None) -> None:
        """A quick check at sign-in: the newest entries, the head and the anchors; raises
        when broken."""
        report = self.verify(last=QUICK_CHECK_ENTRIES, anchors=anchors)
        if not report.ok:
            raise AuditTamperedError(report.problems[0])

    def compare_with_export(self, path: Path) -> list[AuditProblem]:
        """Entries in an earlier ``audit export`` that the store no longer has as they were."""
        with self._engine.connect() as connection:
            return compare_with_export(connection, path)
