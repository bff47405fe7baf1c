"""Checking the audit chain: where it breaks, and how it compares with an earlier export."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from app.accounts.audit_checked import Checked
from app.accounts.audit_checks import AuditProblem, missing
from app.accounts.audit_walk import BATCH, AuditReport, walk
from app.accounts.signing import Anchors, parse_keys
from app.errors import UserError
from app.i18n import _
from app.safe_input import load_json
from app.storage.server import is_server
from app.storage.tables import AuditHeadRow, AuditRow, UserRow

__all__ = ["AuditReport", "compare_with_export", "verify_chain"]


def verify_chain(
    connection: Connection,
    *,
    last: int | None = None,
    anchors: Anchors | None = None,
    earlier: Checked | None = None,
) -> AuditReport:
    """:func:`app.accounts.audit_walk.walk` over the entries ``connection`` reads.

    Head and entries are read in one snapshot (one SQLite read transaction; on a
    server, REPEATABLE READ), so entries appended meanwhile never look like tampering.
    """
    if is_server(connection):
        connection.execution_options(isolation_level="REPEATABLE READ")
    return walk(_Entries(connection), last=last, anchors=anchors, earlier=earlier)


def signing_keys(connection: Connection) -> dict[str, list[str]]:
    """Every user's public signing keys."""
    rows = connection.execute(select(UserRow.username, UserRow.signing_keys))
    return {str(row.username): parse_keys(row.signing_keys) for row in rows}


class _Entries:
    """The log as ``connection`` reads it (:class:`app.accounts.audit_walk.AuditSource`)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def head(self) -> tuple[int, str] | None:
        row = self._connection.execute(select(AuditHeadRow.seq, AuditHeadRow.hash)).first()
        return (int(row.seq), str(row.hash)) if row is not None else None

    def positions(self, start: int) -> dict[str, int]:
        query = select(AuditRow.seq, AuditRow.hash).where(AuditRow.seq > start)
        return {str(row.hash): int(row.seq) for row in self._connection.execute(query)}

    def keys(self) -> dict[str, list[str]]:
        return signing_keys(self._connection)

    def signed_at(self, seq: int) -> bool:
        query = select(AuditRow.signature.is_not(None)).where(AuditRow.seq == seq)
        return self._connection.execute(query).scalar() is True

    def batches(self, start: int) -> Iterator[Sequence[Any]]:
        query = select(AuditRow).where(AuditRow.seq > start).order_by(AuditRow.seq)
        result = self._connection.execute(query.execution_options(yield_per=BATCH))
        yield from result.partitions()

    def checked_rows(self, after: int, through: int) -> Iterable[Any]:
        return self._connection.execute(
            select(AuditRow.seq, AuditRow.hash, AuditRow.signer, AuditRow.signature)
            .where(AuditRow.seq > after, AuditRow.seq <= through)
            .order_by(AuditRow.seq)
        )

    def hash_at(self, seq: int) -> str | None:
        stored = self._connection.execute(select(AuditRow.hash).where(AuditRow.seq == seq)).scalar()
        return str(stored) if stored is not None else None


def compare_with_export(connection: Connection, path: Path) -> list[AuditProblem]:
    """Entries in an earlier ``audit export`` that the store no longer has as they were."""
    problems: list[AuditProblem] = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        raise UserError(_("{path} cannot be read.").format(path=path)) from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            exported = load_json(line)
            seq, digest = int(exported["seq"]), str(exported["hash"])
        except (ValueError, KeyError, TypeError):
            raise UserError(
                _("{path}:{line}: not an audit export line").format(path=path, line=number)
            ) from None
        stored = connection.execute(select(AuditRow.hash).where(AuditRow.seq == seq)).scalar()
        if stored is None:
            problems.append(missing(seq, seq))
        elif stored != digest:
            problems.append(
                AuditProblem(seq, _("entry {n} differs from the exported copy").format(n=seq))
            )
    return problems
