"""One audit entry and how entries are chained and written (:mod:`app.accounts.audit`).

``hash = SHA-256(canonical JSON of {at, actor, event, record_id, subject, detail, prev})``;
the first entry's ``prev`` is 64 zeros; ``audit_head`` holds the newest entry's number and
hash, updated in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from app.accounts.audit_checks import AuditProblem, head_missing
from app.accounts.audit_events import AuditEvent
from app.accounts.signing import Signer
from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:  # an SQLite store's entries are written on its driver's cursor too
    from sqlalchemy import Connection

GENESIS = "0" * 64
# How SQLite holds an entry's time: naive UTC, as SQLAlchemy's DateTime stores it
# (app.storage.tables.UTCDateTime), microseconds always written.
SQLITE_TIME = "%Y-%m-%d %H:%M:%S.%f"


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


class AuditTamperedError(UserError):
    def __init__(self, problem: AuditProblem) -> None:
        super().__init__(
            _(
                "The audit log has been altered ({problem}); the store was not opened. "
                "Nothing was changed. Tell an administrator (vagafraga audit verify)."
            ).format(problem=problem.message)
        )


def detail_text(detail: Mapping[str, Any] | None) -> str:
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


def row_hash(row: Any) -> str:
    return entry_hash(
        at=row.at,
        actor=row.actor,
        event=row.event,
        record_id=row.record_id,
        subject=row.subject,
        detail=row.detail,
        prev_hash=row.prev_hash,
    )


def to_entry(row: Any) -> AuditEntry:
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


class Cursor(Protocol):
    """What :func:`append_sqlite` needs of a statement's result."""

    rowcount: int

    def fetchone(self) -> Sequence[Any] | None: ...


# Runs one SQL statement with its parameters (qmark style) in the caller's transaction.
Execute = Callable[[str, tuple[Any, ...]], Cursor]


def append_entries(connection: Connection, items: Iterable[Pending], signer: Signer | None) -> None:
    """Append ``items`` inside the caller's transaction on ``connection``: they are committed
    with whatever else that transaction changes, or not at all."""
    from app.storage.server import is_server

    if is_server(connection):
        for item in items:
            _append_on_server(connection, item)
        return

    def execute(sql: str, parameters: tuple[Any, ...]) -> Cursor:
        return connection.exec_driver_sql(sql, parameters)  # type: ignore[return-value]

    append_sqlite(execute, items, signer)


def _append_on_server(connection: Connection, item: Pending) -> None:
    from sqlalchemy import text

    connection.execute(
        text("SELECT vagafraga_audit_append(:event, :record_id, :subject, :detail)"),
        {
            "event": str(item.event),
            "record_id": item.record_id,
            "subject": item.subject,
            "detail": detail_text(item.detail),
        },
    )


def append_sqlite(execute: Execute, items: Iterable[Pending], signer: Signer | None) -> None:
    """Append ``items`` to an SQLite store's log in the caller's transaction: through
    SQLAlchemy (:func:`append_entries`) or on the driver's own connection (a sign-in
    before SQLAlchemy is loaded, :mod:`app.accounts.driver_signin`)."""
    for item in items:
        _append(execute, item, signer)


def _append(execute: Execute, item: Pending, signer: Signer | None) -> None:
    # Take the write lock first (the UPDATE), so concurrent writers queue instead of clashing.
    moved = execute("UPDATE audit_head SET seq = seq + 1 WHERE id = 1", ())
    if moved.rowcount == 0:
        if execute("SELECT seq FROM audit_log LIMIT 1", ()).fetchone() is not None:
            raise AuditTamperedError(head_missing(None))  # never write onto a cut log
        execute("INSERT INTO audit_head (id, seq, hash) VALUES (1, 1, ?)", (GENESIS,))
    head = execute("SELECT seq, hash FROM audit_head WHERE id = 1", ()).fetchone()
    assert head is not None
    seq, prev_hash = int(head[0]), str(head[1])
    at = (item.at or datetime.now(UTC)).astimezone(UTC)
    detail = detail_text(item.detail)
    digest = entry_hash(
        at=at,
        actor=item.actor,
        event=str(item.event),
        record_id=item.record_id,
        subject=item.subject,
        detail=detail,
        prev_hash=prev_hash,
    )
    execute(
        "INSERT INTO audit_log (seq, at, actor, event, record_id, subject, detail, prev_hash,"
        " hash, signer, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            seq,
            at.replace(tzinfo=None).strftime(SQLITE_TIME),
            item.actor,
            str(item.event),
            item.record_id,
            item.subject,
            detail,
            prev_hash,
            digest,
            signer.username if signer is not None else None,
            signer.sign(digest) if signer is not None else None,
        ),
    )
    execute("UPDATE audit_head SET hash = ? WHERE id = 1", (digest,))


def sqlite_time(text: str) -> datetime:
    """An entry's time as SQLite holds it (:data:`SQLITE_TIME`), aware UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
