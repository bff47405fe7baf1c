"""One audit entry and how entries are chained and written (:mod:`app.accounts.audit`).

``hash = SHA-256(canonical JSON of {at, actor, event, record_id, subject, detail, prev})``;
the first entry's ``prev`` is 64 zeros; ``audit_head`` holds the newest entry's number and
hash, updated in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, insert, select, text, update

from app.accounts.audit_checks import AuditProblem, head_missing
from app.accounts.audit_events import AuditEvent
from app.accounts.signing import Signer
from app.errors import UserError
from app.i18n import _
from app.storage.server import is_server
from app.storage.tables import AuditHeadRow, AuditRow

GENESIS = "0" * 64


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


def append_entries(connection: Connection, items: Iterable[Pending], signer: Signer | None) -> None:
    """Append ``items`` inside the caller's transaction on ``connection``: they are committed
    with whatever else that transaction changes, or not at all."""
    server = is_server(connection)
    for item in items:
        if server:
            _append_on_server(connection, item)
        else:
            _append(connection, item, signer)


def _append_on_server(connection: Connection, item: Pending) -> None:
    connection.execute(
        text("SELECT vagafraga_audit_append(:event, :record_id, :subject, :detail)"),
        {
            "event": str(item.event),
            "record_id": item.record_id,
            "subject": item.subject,
            "detail": detail_text(item.detail),
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
    detail = detail_text(item.detail)
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
