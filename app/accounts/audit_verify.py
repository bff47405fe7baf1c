"""Checking the audit chain: where it breaks, and how it compares with an earlier export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select

from app.accounts.audit_chain import GENESIS, row_hash
from app.accounts.audit_checked import Checked, CheckedDigest
from app.accounts.audit_checks import (
    AuditProblem,
    anchor_problems,
    head_missing,
    missing,
    signature_problems,
    signing_keys,
)
from app.accounts.signing import Anchors
from app.errors import UserError
from app.i18n import _
from app.safe_input import load_json
from app.storage.server import is_server
from app.storage.tables import AuditHeadRow, AuditRow


@dataclass(frozen=True)
class AuditReport:
    entries: int
    problems: list[AuditProblem]
    # A check of the ``last`` entries: those after ``checked[0]`` up to ``checked[1]`` were
    # checked, with the digest of what their signature checks depended on (.audit_checked).
    checked: tuple[int, int, str] | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_chain(
    connection: Connection,
    *,
    last: int | None = None,
    anchors: Anchors | None = None,
    earlier: Checked | None = None,
) -> AuditReport:
    """Walk the chain (or only its ``last`` entries) and report where it breaks: the
    hashes, the signatures, the head and every user's anchor (:mod:`.signing`).

    ``earlier``: the signed-in user's note of their last passed check, its signature
    already found theirs; with ``last``, the signatures it covers are not checked again if
    they, their entries' hashes and signers and every user's keys are as they were
    (:mod:`.audit_checked`).

    Head and entries are read in one snapshot (one SQLite read transaction; on a
    server, REPEATABLE READ), so entries appended meanwhile never look like tampering.
    """
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
    checked_through = 0
    if last is not None and earlier is not None:
        checked_through = _still_as_checked(connection, earlier, keys, start, last)
    # A sign-in's check (``last``) is noted for the next one; a whole walk is not.
    digest = CheckedDigest(keys) if last is not None else None
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
    result = connection.execute(query.execution_options(yield_per=2000))
    for batch in result.partitions():
        unsigned_of = signature_problems(batch, keys, signed, checked_through=checked_through)
        for row, unsigned in zip(batch, unsigned_of, strict=True):
            count += 1
            if digest is not None:
                digest.add(row)
            seq = int(row.seq)
            if seq > expected:
                problems.append(missing(expected, seq - 1))
            if row_hash(row) != row.hash:
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
    checked = None
    if digest is not None and last_seen is not None:
        checked = (start, last_seen[0], digest.hexdigest())
    return AuditReport(entries=count, problems=problems, checked=checked)


def _still_as_checked(
    connection: Connection, earlier: Checked, keys: dict[str, list[str]], start: int, last: int
) -> int:
    """The newest entry whose signature check ``earlier`` vouches for (0: none): its entries
    must overlap this check's and be read again, at most ``last`` more of them."""
    if earlier.seq <= start or earlier.start < start - last or earlier.start >= earlier.seq:
        return 0
    digest = CheckedDigest(keys)
    rows = connection.execute(
        select(AuditRow.seq, AuditRow.hash, AuditRow.signer, AuditRow.signature)
        .where(AuditRow.seq > earlier.start, AuditRow.seq <= earlier.seq)
        .order_by(AuditRow.seq)
    )
    for row in rows:
        digest.add(row)
    return earlier.seq if digest.hexdigest() == earlier.digest else 0


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
