"""The audit log: an append-only table where each entry carries the hash of the one before.

``hash = SHA-256(canonical JSON of {at, actor, event, record_id, subject, detail, prev})``;
the first entry's ``prev`` is 64 zeros. ``audit_head`` holds the newest entry's number
and hash, updated in the same transaction, so a deleted tail shows too. :meth:`AuditLog.verify`
walks the chain and names the entry where it breaks: changed, missing, out of order.

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

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, insert, select, text, update
from sqlalchemy.exc import DBAPIError

from app.accounts.audit_checks import (
    AuditProblem,
    anchor_problems,
    head_missing,
    missing,
    signature_problem,
    signing_keys,
)
from app.accounts.signing import Anchors, Signer, signer_for
from app.errors import UserError
from app.i18n import N_, _
from app.storage.server import AUDIT_HEAD_MISSING, is_server, sqlstate
from app.storage.tables import AuditHeadRow, AuditRow

GENESIS = "0" * 64
QUICK_CHECK_ENTRIES = 1000


class AuditEvent(StrEnum):
    STORE_CREATED = "store_created"
    LOGIN_SUCCEEDED = "login_succeeded"
    LOGIN_FAILED = "login_failed"
    RECORD_VIEWED = "record_viewed"
    RECORD_CORRECTED = "record_corrected"
    RECORDS_EXPORTED = "records_exported"
    RECORDS_IMPORTED = "records_imported"
    RECORDS_PURGED = "records_purged"
    STATS_EXPORTED = "stats_exported"
    ACCOUNT_ADDED = "account_added"
    ACCOUNT_REMOVED = "account_removed"
    ACCOUNT_ROLES_CHANGED = "account_roles_changed"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    DIRECTORY_CHANGED = "directory_changed"
    STORE_REKEYED = "store_rekeyed"
    BACKUP_MADE = "backup_made"
    AUDIT_EXPORTED = "audit_exported"
    CASE_COUNTS_IMPORTED = "case_counts_imported"
    RECORDS_SYNCED = "records_synced"
    DEVICE_AUDIT_CUT = "device_audit_cut"
    POLICY_CHANGED = "policy_changed"
    RECORDS_HANDED_OVER = "records_handed_over"
    STORE_DECRYPTED = "store_decrypted"


EVENT_TITLES: dict[AuditEvent, str] = {
    AuditEvent.STORE_CREATED: N_("Store created"),
    AuditEvent.LOGIN_SUCCEEDED: N_("Signed in"),
    AuditEvent.LOGIN_FAILED: N_("Failed sign-in"),
    AuditEvent.RECORD_VIEWED: N_("Viewed a record"),
    AuditEvent.RECORD_CORRECTED: N_("Corrected a record"),
    AuditEvent.RECORDS_EXPORTED: N_("Exported records"),
    AuditEvent.RECORDS_IMPORTED: N_("Imported records"),
    AuditEvent.RECORDS_PURGED: N_("Deleted old records"),
    AuditEvent.STATS_EXPORTED: N_("Exported statistics"),
    AuditEvent.ACCOUNT_ADDED: N_("Added a user"),
    AuditEvent.ACCOUNT_REMOVED: N_("Removed a user"),
    AuditEvent.ACCOUNT_ROLES_CHANGED: N_("Changed a user's roles"),
    AuditEvent.PASSWORD_CHANGED: N_("Changed own password"),
    AuditEvent.PASSWORD_RESET: N_("Reset a user's password"),
    AuditEvent.DIRECTORY_CHANGED: N_("Changed the support directory"),
    AuditEvent.STORE_REKEYED: N_("Changed the database key"),
    AuditEvent.BACKUP_MADE: N_("Made a backup"),
    AuditEvent.AUDIT_EXPORTED: N_("Exported the audit log"),
    AuditEvent.CASE_COUNTS_IMPORTED: N_("Imported case counts"),
    AuditEvent.RECORDS_SYNCED: N_("Sent records to the team server"),
    AuditEvent.DEVICE_AUDIT_CUT: N_("A computer's audit log was found cut short or replaced"),
    AuditEvent.POLICY_CHANGED: N_("Changed a policy of the store"),
    AuditEvent.RECORDS_HANDED_OVER: N_("Handed own records over to a successor"),
    AuditEvent.STORE_DECRYPTED: N_("Wrote a plain copy of the store"),
}

# What "what did this user look at" shows.
LOOKING_EVENTS = (
    AuditEvent.RECORD_VIEWED,
    AuditEvent.RECORD_CORRECTED,
    AuditEvent.RECORDS_EXPORTED,
    AuditEvent.STATS_EXPORTED,
)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    event: str
    record_id: str | None
    subject: str | None
    detail: dict[str, Any]
    prev_hash: str
    hash: str
    signer: str | None = None
    signature: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(),
            "actor": self.actor,
            "event": self.event,
            "record_id": self.record_id,
            "subject": self.subject,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "signer": self.signer,
            "signature": self.signature,
        }


@dataclass(frozen=True)
class AuditReport:
    entries: int
    problems: list[AuditProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


class AuditTamperedError(UserError):
    def __init__(self, problem: AuditProblem) -> None:
        super().__init__(
            _(
                "The audit log has been altered ({problem}); the store was not opened. "
                "Nothing was changed. Tell an administrator (vagafraga audit verify)."
            ).format(problem=problem.message)
        )


def _detail_text(detail: Mapping[str, Any] | None) -> str:
    return json.dumps(dict(detail or {}), sort_keys=True, separators=(",", ":"))


def entry_hash(
    *,
    at: datetime,
    actor: str,
    event: str,
    record_id: str | None,
    subject: str | None,
    detail: str,
    prev_hash: str,
) -> str:
    body = {
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "event": event,
        "record_id": record_id,
        "subject": subject,
        "detail": detail,
        "prev": prev_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _row_hash(row: Any) -> str:
    return entry_hash(
        at=row.at,
        actor=row.actor,
        event=row.event,
        record_id=row.record_id,
        subject=row.subject,
        detail=row.detail,
        prev_hash=row.prev_hash,
    )


def _to_entry(row: Any) -> AuditEntry:
    try:
        detail = json.loads(row.detail)
    except ValueError:
        detail = {}
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        actor=row.actor,
        event=row.event,
        record_id=row.record_id,
        subject=row.subject,
        detail=detail if isinstance(detail, dict) else {},
        prev_hash=row.prev_hash,
        hash=row.hash,
        signer=row.signer,
        signature=row.signature,
    )


@dataclass(frozen=True)
class Pending:
    """One entry to append."""

    actor: str
    event: AuditEvent
    record_id: str | None = None
    subject: str | None = None
    detail: Mapping[str, Any] | None = None
    at: datetime | None = None


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
                for item in items:
                    if is_server(connection):
                        _append_on_server(connection, item)
                    else:
                        _append(connection, item, signer)
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
                yield _to_entry(row)

    def who_viewed(self, record_id: str) -> list[AuditEntry]:
        """Every view and correction of one record, oldest first."""
        query = (
            select(AuditRow)
            .where(AuditRow.record_id == record_id)
            .where(AuditRow.event.in_([AuditEvent.RECORD_VIEWED, AuditEvent.RECORD_CORRECTED]))
            .order_by(AuditRow.seq)
        )
        with self._engine.connect() as connection:
            return [_to_entry(row) for row in connection.execute(query)]

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
            return [_to_entry(row) for row in connection.execute(query)]

    # -- checking -----------------------------------------------------------------------------

    def verify(self, *, last: int | None = None, anchors: Anchors | None = None) -> AuditReport:
        """Walk the chain (or only its ``last`` entries) and report where it breaks: the
        hashes, the signatures, the head and every user's anchor (:mod:`.signing`).

        Head and entries are read in one snapshot (one SQLite read transaction; on a
        server, REPEATABLE READ), so entries appended meanwhile never look like tampering.
        """
        with self._engine.connect() as connection:
            if is_server(connection):
                connection.execution_options(isolation_level="REPEATABLE READ")
            head = connection.execute(select(AuditHeadRow.seq, AuditHeadRow.hash)).first()
            start = 0
            if last is not None and head is not None:
                start = max(0, int(head.seq) - last)
            positions: dict[str, int] = {
                str(row.hash): int(row.seq)
                for row in connection.execute(
                    select(AuditRow.seq, AuditRow.hash).where(AuditRow.seq > start)
                )
            }
            query = select(AuditRow).where(AuditRow.seq > start).order_by(AuditRow.seq)
            problems: list[AuditProblem] = []
            keys = signing_keys(connection)
            # Once entries are signed, every later one must be (older ones may predate it).
            signed = (
                start > 0
                and connection.execute(
                    select(AuditRow.signature.is_not(None)).where(AuditRow.seq == start)
                ).scalar()
                is True
            )
            previous_hash: str | None = GENESIS if start == 0 else None
            expected = start + 1
            count = 0
            last_seen: tuple[int, str] | None = None
            for row in connection.execute(query.execution_options(yield_per=2000)):
                count += 1
                seq = int(row.seq)
                if seq > expected:
                    problems.append(missing(expected, seq - 1))
                if _row_hash(row) != row.hash:
                    problems.append(AuditProblem(seq, _("entry {n} was changed").format(n=seq)))
                elif previous_hash is not None and row.prev_hash != previous_hash:
                    later = positions.get(row.prev_hash)
                    if later is not None and later > seq:
                        message = _("entry {n} is out of order").format(n=seq)
                    else:
                        message = _(
                            "entry {n} does not follow the entry before it: "
                            "an entry was deleted, changed or moved"
                        ).format(n=seq)
                    problems.append(AuditProblem(seq, message))
                unsigned = signature_problem(row, keys, signed)
                if unsigned is not None:
                    problems.append(AuditProblem(seq, unsigned))
                signed = signed or row.signature is not None
                previous_hash = row.hash
                expected = seq + 1
                last_seen = (seq, str(row.hash))
            if anchors is not None:
                problems.extend(anchor_problems(connection, anchors, keys))
        if head is None:
            if last_seen is not None:
                problems.append(head_missing(last_seen[0]))
        elif last_seen is None or last_seen[0] < int(head.seq):
            first_gone = (last_seen[0] if last_seen else start) + 1
            problems.append(missing(first_gone, int(head.seq)))
        elif last_seen != (int(head.seq), str(head.hash)):
            problems.append(
                AuditProblem(last_seen[0], _("entry {n} was changed").format(n=last_seen[0]))
            )
        return AuditReport(entries=count, problems=problems)

    def check_recent(self, anchors: Anchors | None = None) -> None:
        """A quick check at sign-in: the newest entries, the head and the anchors; raises
        when broken."""
        report = self.verify(last=QUICK_CHECK_ENTRIES, anchors=anchors)
        if not report.ok:
            raise AuditTamperedError(report.problems[0])

    def compare_with_export(self, path: Path) -> list[AuditProblem]:
        """Entries in an earlier ``audit export`` that the store no longer has as they were."""
        problems: list[AuditProblem] = []
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            raise UserError(_("{path} cannot be read.").format(path=path)) from None
        with self._engine.connect() as connection:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                try:
                    exported = json.loads(line)
                    seq, digest = int(exported["seq"]), str(exported["hash"])
                except (ValueError, KeyError, TypeError):
                    raise UserError(
                        _("{path}:{line}: not an audit export line").format(path=path, line=number)
                    ) from None
                stored = connection.execute(
                    select(AuditRow.hash).where(AuditRow.seq == seq)
                ).scalar()
                if stored is None:
                    problems.append(missing(seq, seq))
                elif stored != digest:
                    problems.append(
                        AuditProblem(
                            seq, _("entry {n} differs from the exported copy").format(n=seq)
                        )
                    )
        return problems


def _append_on_server(connection: Connection, item: Pending) -> None:
    connection.execute(
        text("SELECT vagafraga_audit_append(:event, :record_id, :subject, :detail)"),
        {
            "event": str(item.event),
            "record_id": item.record_id,
            "subject": item.subject,
            "detail": _detail_text(item.detail),
        },
    )


def _append(connection: Connection, item: Pending, signer: Signer | None) -> None:
    # Take the write lock first (the UPDATE), so concurrent writers queue instead of clashing.
    moved = connection.execute(
        update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq + 1)
    )
    if cast(Any, moved).rowcount == 0:
        if connection.execute(select(AuditRow.seq).limit(1)).first() is not None:
            raise AuditTamperedError(head_missing(None))  # never write onto a cut log
        connection.execute(insert(AuditHeadRow).values(id=1, seq=1, hash=GENESIS))
    head = connection.execute(
        select(AuditHeadRow.seq, AuditHeadRow.hash).where(AuditHeadRow.id == 1)
    ).one()
    at = (item.at or datetime.now(UTC)).astimezone(UTC)
    detail = _detail_text(item.detail)
    digest = entry_hash(
        at=at,
        actor=item.actor,
        event=str(item.event),
        record_id=item.record_id,
        subject=item.subject,
        detail=detail,
        prev_hash=head.hash,
    )
    connection.execute(
        insert(AuditRow).values(
            seq=head.seq,
            at=at,
            actor=item.actor,
            event=str(item.event),
            record_id=item.record_id,
            subject=item.subject,
            detail=detail,
            prev_hash=head.hash,
            hash=digest,
            signer=signer.username if signer is not None else None,
            signature=signer.sign(digest) if signer is not None else None,
        )
    )
    connection.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(hash=digest))
