"""Walking the audit chain, wherever its entries are read from.

:func:`walk` holds every check of the chain (hashes, order, signatures, head, anchors); an
:class:`AuditSource` reads the entries: through SQLAlchemy (:mod:`.audit_verify`) or on an
SQLite store's own driver connection (:mod:`.driver_signin`, a sign-in before SQLAlchemy
is loaded). No SQLAlchemy here.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from app.accounts.audit_chain import GENESIS, row_hash
from app.accounts.audit_checked import Checked, CheckedDigest
from app.accounts.audit_checks import (
    AuditProblem,
    anchor_problems,
    head_missing,
    missing,
    signature_problems,
)
from app.accounts.signing import Anchors
from app.i18n import _

# A sign-in checks the newest entries this many (and every anchor); `audit verify` all.
QUICK_CHECK_ENTRIES = 1000
# Entries are read and checked in batches of this many.
BATCH = 2000


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


class AuditSource(Protocol):
    """The entries of one store's log, read in one snapshot. A row has ``seq``, ``at``
    (aware UTC), ``actor``, ``event``, ``record_id``, ``subject``, ``detail``,
    ``prev_hash``, ``hash``, ``signer`` and ``signature``."""

    def head(self) -> tuple[int, str] | None: ...

    def positions(self, start: int) -> dict[str, int]:
        """Each entry's hash to its number, for the entries after ``start``."""
        ...

    def keys(self) -> dict[str, list[str]]:
        """Every user's public signing keys."""
        ...

    def signed_at(self, seq: int) -> bool: ...

    def batches(self, start: int) -> Iterator[Sequence[Any]]:
        """The entries after ``start``, in order, a batch at a time."""
        ...

    def checked_rows(self, after: int, through: int) -> Iterable[Any]:
        """``seq``, ``hash``, ``signer`` and ``signature`` of the entries after ``after``
        up to ``through``, in order."""
        ...

    def hash_at(self, seq: int) -> str | None: ...


def walk(
    source: AuditSource,
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
    """
    head = source.head()
    start = 0
    if last is not None and head is not None:
        start = max(0, head[0] - last)
    positions = source.positions(start)
    problems: list[AuditProblem] = []
    keys = source.keys()
    checked_through = 0
    if last is not None and earlier is not None:
        checked_through = _still_as_checked(source, earlier, keys, start, last)
    # A sign-in's check (``last``) is noted for the next one; a whole walk is not.
    digest = CheckedDigest(keys) if last is not None else None
    # Once entries are signed, every later one must be (older ones may predate it).
    signed = start > 0 and source.signed_at(start)
    previous_hash: str | None = GENESIS if start == 0 else None
    expected = start + 1
    count = 0
    last_seen: tuple[int, str] | None = None
    for batch in source.batches(start):
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
        problems.extend(anchor_problems(source.hash_at, anchors, keys))
    if head is None:
        if last_seen is not None:
            problems.append(head_missing(last_seen[0]))
    elif last_seen is None or last_seen[0] < head[0]:
        first_gone = (last_seen[0] if last_seen else start) + 1
        problems.append(missing(first_gone, head[0]))
    elif last_seen != head:
        problems.append(
            AuditProblem(last_seen[0], _("entry {n} was changed").format(n=last_seen[0]))
        )
    checked = None
    if digest is not None and last_seen is not None:
        checked = (start, last_seen[0], digest.hexdigest())
    return AuditReport(entries=count, problems=problems, checked=checked)


def _still_as_checked(
    source: AuditSource, earlier: Checked, keys: dict[str, list[str]], start: int, last: int
) -> int:
    """The newest entry whose signature check ``earlier`` vouches for (0: none): its entries
    must overlap this check's and be read again, at most ``last`` more of them."""
    if earlier.seq <= start or earlier.start < start - last or earlier.start >= earlier.seq:
        return 0
    digest = CheckedDigest(keys)
    for row in source.checked_rows(earlier.start, earlier.seq):
        digest.add(row)
    return earlier.seq if digest.hexdigest() == earlier.digest else 0
