"""Changes that a crash cut short, completed or undone at the next sign-in, audited.

A change that touches both the key file and the database (a user added, removed, a
password changed or reset: :class:`app.accounts.admin.AccountService`) writes its slots
into the key file first, not yet in use, under a change id; the database change and its
audit entry, which names the change id, are then committed in one transaction; only
then are the slots put in use. After a crash the key file still holds the change: if the
(encrypted, hash-chained) audit log has its id, the database part was committed and the
slots are put in use; if not, they are dropped. Either way an entry says so.

A support-directory import (``vagafraga referrals import``) works the same way: the new
local file waits beside the old one until its audit entries are committed.

Also repaired here: a key slot of no active account (left by a crash in an earlier
version's ``users add`` or ``users remove``) is deleted, and a database key change whose
last step ran at sign-in (or whose audit entry a crash lost) gets its entry.
"""

from __future__ import annotations

import contextlib
import json
import os
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, select

from app.accounts.audit import AuditEvent, AuditLog, Pending
from app.accounts.keyslots import KeyFile, now_utc
from app.accounts.users import UserRepository
from app.referrals import local_files as directory
from app.storage.tables import AuditRow

# A change younger than this, by a process still running, may be under way right now.
IN_PROGRESS = timedelta(minutes=10)
# A directory import writes its file, then its audit entries, then renames: seconds at most.
DIRECTORY_UNDER_WAY_SECONDS = 30


def repair_interrupted_changes(key_file: KeyFile, engine: Engine, actor: str) -> None:
    """Complete or undo what a crash left half done (see the module's text); each repair
    is written to the audit log (as ``actor``, the user signing in), then the key file is
    saved. Called at sign-in, after the audit log checked."""
    audit = AuditLog(engine)
    notes: list[Pending] = []
    for change, info in list(key_file.changes.items()):
        if _under_way(info):
            continue
        completed = _change_recorded(engine, change)
        if completed:
            key_file.apply_change(change)
        else:
            key_file.discard_change(change)
        notes.append(
            Pending(
                actor,
                AuditEvent.CHANGE_REPAIRED,
                detail={"change": change, "completed": completed},
            )
        )
    data_dir = key_file.path.parent
    for change in directory.pending_changes(data_dir):
        if _recent(directory.change_path(data_dir, change)):
            continue  # an import under way in another process right now
        completed = _change_recorded(engine, change)
        notes.append(
            Pending(
                actor,
                AuditEvent.CHANGE_REPAIRED,
                detail={"change": change, "completed": completed, "directory": True},
            )
        )
        (directory.apply_change if completed else directory.discard_change)(data_dir, change)
    active = UserRepository(engine).active_fingerprints()
    for username in key_file.usernames():
        if username not in active:
            key_file.remove_slot(username)
            notes.append(
                Pending(
                    actor,
                    AuditEvent.CHANGE_REPAIRED,
                    subject=username,
                    detail={"removed_slot": True},
                )
            )
    rekeyed = key_file.generation > key_file.audited_generation  # the log is read only then
    if rekeyed:
        if key_file.generation not in _rekeys_recorded(engine):
            notes.append(
                Pending(
                    actor,
                    AuditEvent.STORE_REKEYED,
                    detail={"generation": key_file.generation, "repaired": True},
                )
            )
        key_file.audited_generation = key_file.generation
    if notes:
        audit.append_many(notes)  # first: a crash now repeats the repair, never hides it
    if notes or rekeyed:
        key_file.save()


def _under_way(info: object) -> bool:
    if not isinstance(info, dict):
        return False
    try:
        started = datetime.fromisoformat(str(info.get("at")))
        pid = int(info.get("pid", 0))
    except (TypeError, ValueError):
        return False
    if now_utc() - started > IN_PROGRESS or pid == os.getpid():
        return False
    return _running(pid)


def _recent(path: Path) -> bool:
    try:
        return time.time() - path.stat().st_mtime < DIRECTORY_UNDER_WAY_SECONDS
    except OSError:
        return True


def _running(pid: int) -> bool:
    if os.name != "posix" or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _change_recorded(engine: Engine, change: str) -> bool:
    marker = f'"change":"{change}"'  # audit details are compact JSON (audit_chain)
    query = select(AuditRow.seq).where(AuditRow.detail.contains(marker)).limit(1)
    with engine.connect() as connection:
        return connection.execute(query).first() is not None


def _rekeys_recorded(engine: Engine) -> set[int]:
    query = select(AuditRow.detail).where(AuditRow.event == AuditEvent.STORE_REKEYED.value)
    found: set[int] = set()
    with engine.connect() as connection:
        for (detail,) in connection.execute(query):
            with contextlib.suppress(ValueError, TypeError, AttributeError):
                generation = json.loads(detail).get("generation")
                if type(generation) is int:
                    found.add(generation)
    return found
