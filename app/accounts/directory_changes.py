"""A change to the local support directory, atomic with its audit entries.

The new local file is written beside the old one under a change id; the audit entries
naming that id are committed in one transaction (the commit point); then the file is put
in place. A crash between the two is finished or undone at the next sign-in
(:mod:`app.accounts.repair`), with an audit entry saying so.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine

from app.accounts.audit import AuditEvent, AuditLog, Pending
from app.referrals.local import apply_change, discard_change

Write = Callable[[str | None], Sequence[str]]  # writes the change; the entry ids it touched


def change_directory(engine: Engine, data_dir: Path, actor: str, action: str, write: Write) -> None:
    """``write(change)`` the new local file (``action``: saved, removed, imported), audit
    each entry it touched, then put the file in place."""
    change = secrets.token_hex(8)
    entry_ids = write(change)
    try:
        AuditLog(engine).append_many(  # the commit point: one transaction
            Pending(
                actor,
                AuditEvent.DIRECTORY_CHANGED,
                subject=entry_id or None,
                detail={"action": action, "change": change},
            )
            for entry_id in entry_ids
        )
    except BaseException:
        discard_change(data_dir, change)
        raise
    apply_change(data_dir, change)  # a crash before this: the next sign-in does it
