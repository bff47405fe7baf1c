"""The checks of an audit entry beyond its hash: its signature, the head, the anchors.

Used by :meth:`app.accounts.audit.AuditLog.verify`; see :mod:`app.accounts.signing`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from app.accounts.signing import Anchors, anchor_valid, signature_valid
from app.i18n import _

LOGIN_FAILED = "login_failed"  # written by the next user to sign in, not by its actor


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    message: str


def head_missing(seq: int | None) -> AuditProblem:
    return AuditProblem(seq or 0, _("the record of the newest entry is missing"))


def missing(first: int, last: int) -> AuditProblem:
    if first == last:
        return AuditProblem(first, _("entry {n} was deleted").format(n=first))
    return AuditProblem(
        first, _("entries {first} to {last} were deleted").format(first=first, last=last)
    )


def signature_problem(
    row: Any, keys: Mapping[str, list[str]], signed_before: bool, *, checked: bool = False
) -> str | None:
    """``checked``: the signature itself was found valid before, on these very bytes and
    keys (:mod:`app.accounts.audit_checked`), and is not checked again."""
    seq = int(row.seq)
    if row.signature is None:
        return _("entry {n} is not signed").format(n=seq) if signed_before else None
    if row.signer != row.actor and row.event != LOGIN_FAILED:
        return _("entry {n} was signed by someone other than its writer").format(n=seq)
    if checked:
        return None
    if not signature_valid(keys.get(str(row.signer), ()), str(row.hash), str(row.signature)):
        return _("entry {n} does not carry its writer's signature").format(n=seq)
    return None


# Fewer entries than this are checked on the calling thread: a thread would cost more.
PARALLEL_FROM = 64


def _processors() -> int:
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return min(len(usable) if usable is not None else os.cpu_count() or 1, 8)


def signature_problems(
    rows: Sequence[Any],
    keys: Mapping[str, list[str]],
    signed_before: bool,
    *,
    checked_through: int = 0,
) -> list[str | None]:
    """:func:`signature_problem` of each of ``rows`` (consecutive entries, the first after
    ``signed_before``), in order; the signatures of entries up to ``checked_through`` were
    found valid before on the same bytes and keys. An Ed25519 check lets other threads run,
    so the signatures are checked in slices on one thread per processor: a sign-in's
    thousand entries take half the time on two (about 0.1 s on one)."""
    before = []
    for row in rows:
        before.append(signed_before)
        signed_before = signed_before or row.signature is not None

    def problem(index: int) -> str | None:
        row = rows[index]
        checked = int(row.seq) <= checked_through
        return signature_problem(row, keys, before[index], checked=checked)

    problems: list[str | None] = [None] * len(rows)
    to_check: list[int] = []  # the Ed25519 checks: the rest are cheap
    for index, row in enumerate(rows):
        if int(row.seq) <= checked_through:
            problems[index] = problem(index)
        else:
            to_check.append(index)
    workers = _processors()
    if workers < 2 or len(to_check) < PARALLEL_FROM:
        for index in to_check:
            problems[index] = problem(index)
        return problems

    def check(part: list[int]) -> list[str | None]:
        return [problem(index) for index in part]

    size = -(-len(to_check) // workers)
    parts = [to_check[first : first + size] for first in range(0, len(to_check), size)]
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="audit-check") as pool:
        for part, found in zip(parts, pool.map(check, parts), strict=True):
            for index, one in zip(part, found, strict=True):
                problems[index] = one
    return problems


def anchor_problems(
    hash_at: Callable[[int], str | None], anchors: Anchors, keys: Mapping[str, list[str]]
) -> Iterator[AuditProblem]:
    """Each user's anchor names an entry the log must still have, unchanged (``hash_at``:
    the stored hash of an entry, ``None`` when there is none)."""
    for anchor in anchors.anchors:
        if not anchor_valid(anchor, anchors.store_id, keys.get(anchor.username, ())):
            yield AuditProblem(
                anchor.seq,
                _("the anchor of {user} in the key file is not signed by them").format(
                    user=anchor.username
                ),
            )
            continue
        stored = hash_at(anchor.seq)
        if stored is None:
            yield AuditProblem(
                anchor.seq,
                _("entry {n}, which {user} saw, is gone: the log was cut short").format(
                    n=anchor.seq, user=anchor.username
                ),
            )
        elif stored != anchor.hash:
            yield AuditProblem(
                anchor.seq,
                _("entry {n} is not the one {user} saw").format(n=anchor.seq, user=anchor.username),
            )
