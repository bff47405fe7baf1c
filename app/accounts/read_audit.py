"""The audit entries of a session opened to read: kept, then appended, never lost.

A command that only reads (``stats``, ``records list``/``export``, ``audit verify``/``export``,
``db check``) opens the store read-only (:mod:`app.accounts.signin`), so it works while
another program holds the write lock and on read-only media. What it must still leave in the
audit log (its sign-in, an export) is kept here and appended when the session closes, after
a bounded wait for the lock. When the store cannot be written then (the lock is still held,
the folder is read-only, the disk is full) the entries go to a queue file, each signed by
its writer, and are appended into the chain, signed as usual, at that user's next sign-in
that can write (or the next read that can).

The queue lives beside the store (``vagafraga.audit-queue``); when that folder cannot be
written, in the user's own data folder (``audit-queue/<store id>.jsonl``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from app.accounts.audit_chain import Pending
from app.accounts.audit_checked import Checked
from app.accounts.audit_events import AuditEvent
from app.accounts.keyslots import KeyFile
from app.accounts.signing import Signer, parse_keys, set_signer, signature_valid
from app.errors import UserError
from app.paths import default_data_dir

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from app.accounts.audit import AuditLog
    from app.storage.location import StoreLocation

log = logging.getLogger(__name__)
QUEUE_NAME = "vagafraga.audit-queue"
# How long closing a reading session waits for the write lock before queueing its entries.
FLUSH_WAIT_MS = 2_000


class AuditWriter(Protocol):
    """What a service calls to leave an audit entry: an :class:`AuditLog` or a
    :class:`ReadAudit`."""

    def append(
        self,
        actor: str,
        event: AuditEvent,
        *,
        record_id: str | None = None,
        subject: str | None = None,
        detail: Mapping[str, Any] | None = None,
        at: datetime | None = None,
    ) -> None: ...


def _body(store_id: str, item: Pending) -> dict[str, Any]:
    """A queued entry as it is written and signed (its ``at`` fixed when it was kept)."""
    return {
        "store_id": store_id,
        "actor": item.actor,
        "event": str(item.event),
        "record_id": item.record_id,
        "subject": item.subject,
        "detail": dict(item.detail or {}),
        "at": (item.at or datetime.now(UTC)).astimezone(UTC).isoformat(),
    }


def _digest(body: Mapping[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def queue_paths(location: StoreLocation, store_id: str) -> list[Path]:
    """Where queued entries of this store may be, the preferred place first."""
    return [
        location.data_dir / QUEUE_NAME,
        default_data_dir() / "audit-queue" / f"{store_id}.jsonl",
    ]


def queue_entries(
    location: StoreLocation, store_id: str, entries: Iterable[Pending], signer: Signer
) -> Path:
    """Write ``entries`` durably (fsync) to the first queue file that can be written."""
    lines = b""
    for item in entries:
        body = _body(store_id, item)
        line = {**body, "signature": signer.sign(_digest(body))}
        lines += json.dumps(line, sort_keys=True).encode("utf-8") + b"\n"
    failure: OSError | None = None
    for path in queue_paths(location, store_id):
        try:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            try:
                view = memoryview(lines)
                while view:
                    view = view[os.write(fd, view) :]
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError as error:
            failure = error
            with contextlib.suppress(OSError):
                if path.stat().st_size == 0:
                    path.unlink()  # made here, then nothing could be written into it
            continue
        log.warning("audit entries of a read were queued (the store could not be written)")
        return path
    assert failure is not None
    raise failure


@dataclass(frozen=True)
class Queued:
    """One line of a queue file: the entry, its writer's signature and what was signed."""

    entry: Pending
    digest: str
    signature: str


def _parse(line: str, store_id: str) -> Queued | None:
    try:
        data = json.loads(line)
        if data["store_id"] != store_id:
            return None
        entry = Pending(
            actor=str(data["actor"]),
            event=AuditEvent(data["event"]),
            record_id=data.get("record_id"),
            subject=data.get("subject"),
            detail=data.get("detail") or {},
            at=datetime.fromisoformat(data["at"]),
        )
        return Queued(entry, _digest(_body(store_id, entry)), str(data["signature"]))
    except (ValueError, KeyError, TypeError):
        return None


def _read_queue(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def queued_for(location: StoreLocation, store_id: str, username: str) -> list[Queued]:
    """The queued entries ``username`` wrote on this store, oldest first (any other user's
    stay queued for their own next sign-in: only the writer may sign an entry)."""
    found: list[Queued] = []
    for path in queue_paths(location, store_id):
        for line in _read_queue(path):
            queued = _parse(line, store_id)
            if queued is not None and queued.entry.actor == username:
                found.append(queued)
    return sorted(found, key=lambda item: item.entry.at or datetime.min.replace(tzinfo=UTC))


def genuine(found: list[Queued], engine: Engine) -> list[Queued]:
    """The queued entries whose signature their writer's registered key verifies; any other
    was not written by this app for that user and stays out of the chain (logged)."""
    if not found:
        return []
    from sqlalchemy import select

    from app.storage.tables import UserRow

    actors = {item.entry.actor for item in found}
    with engine.connect() as connection:
        rows = connection.execute(
            select(UserRow.username, UserRow.signing_keys).where(UserRow.username.in_(actors))
        )
        keys = {str(row.username): parse_keys(row.signing_keys) for row in rows}
    valid = [
        item
        for item in found
        if signature_valid(keys.get(item.entry.actor, ()), item.digest, item.signature)
    ]
    if len(valid) < len(found):
        log.warning(
            "%d queued audit entries lacked their writer's signature", len(found) - len(valid)
        )
    return valid


def forget_queued(location: StoreLocation, store_id: str, digests: set[str]) -> None:
    """Remove the entries now in the chain (by digest) from the queue files."""
    if not digests:
        return
    for path in queue_paths(location, store_id):
        lines = _read_queue(path)
        kept = [line for line in lines if _digest_of(line, store_id) not in digests]
        if len(kept) == len(lines):
            continue
        try:
            if kept:
                partial = path.with_name(path.name + ".partial")
                partial.write_text("".join(f"{line}\n" for line in kept), encoding="utf-8")
                partial.replace(path)
            else:
                path.unlink()
        except OSError:
            # Appended twice at worst, never lost: the next sign-in finds them again.
            log.warning("the audit queue could not be emptied")


def _digest_of(line: str, store_id: str) -> str | None:
    queued = _parse(line, store_id)
    return queued.digest if queued is not None else None


def drain_queued(
    location: StoreLocation, store_id: str, username: str, engine: Engine
) -> tuple[list[Pending], set[str]]:
    """``username``'s genuine queued entries to append, and their digests for
    :func:`forget_queued` once they are in the chain."""
    found = genuine(queued_for(location, store_id, username), engine)
    return [item.entry for item in found], {item.digest for item in found}


class ReadAudit:
    """The audit entries of a reading session: :meth:`append` keeps them (the same calls
    as :class:`~app.accounts.audit.AuditLog`), :meth:`flush` writes them at its close."""

    def __init__(
        self,
        location: StoreLocation,
        key_path: Path,
        db_key: bytes,
        signer: Signer,
        store_id: str,
    ) -> None:
        self._location = location
        self._key_path = key_path
        self._db_key = db_key
        self._signer = signer
        self._store_id = store_id
        self.pending: list[Pending] = []

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
        now = datetime.now(UTC)
        self.pending.extend(
            replace(item, at=item.at or now, detail=dict(item.detail or {})) for item in entries
        )

    def flush(self, checked: tuple[int, int, str] | None = None) -> None:
        """Append the kept entries (and this user's queued ones) now, waiting a bounded time
        for the write lock; when the store cannot be written, queue them. Never raises for
        a store that cannot be written: the entries are kept either way. ``checked``: what
        the sign-in's audit check covered, noted in the user's slot with the anchor."""
        if not self.pending:
            return
        entries, self.pending = self.pending, []
        try:
            self._append_now(entries, checked)
        except Exception as error:  # whatever stopped the write: keep them
            log.info("the audit entries of a read wait in the queue (%s)", type(error).__name__)
            queue_entries(self._location, self._store_id, entries, self._signer)

    def _append_now(self, entries: list[Pending], checked: tuple[int, int, str] | None) -> None:
        from app.accounts.audit import AuditLog
        from app.accounts.users import UserRepository
        from app.storage.engine import create_store_engine

        username = self._signer.username
        engine = create_store_engine(self._location, self._db_key, busy_timeout_ms=FLUSH_WAIT_MS)
        try:
            set_signer(engine, self._signer)
            UserRepository(engine).register_signing_key(username, self._signer.public)
            queued, digests = drain_queued(self._location, self._store_id, username, engine)
            audit = AuditLog(engine)
            audit.append_many([*queued, *entries])
            forget_queued(self._location, self._store_id, digests)
            move_anchor(audit, self._key_path, self._signer, checked)
        finally:
            engine.dispose()


def move_anchor(
    audit: AuditLog,
    key_path: Path,
    signer: Signer,
    checked: tuple[int, int, str] | None = None,
) -> None:
    """Sign the newest entry as ``signer``'s anchor in their slot, with the note of what
    their sign-in's audit check ``checked`` (best effort: a key file that cannot be written
    keeps the older anchor, which still checks, and the older note)."""
    try:
        key_file = KeyFile.load(key_path)
        head = audit.head()
        if head is not None:
            key_file.set_anchor(signer.anchor(key_file.store_id, *head))
            if checked is not None:
                key_file.set_checked(Checked.signed(signer, key_file.store_id, *checked))
            key_file.save()
    except (UserError, OSError) as error:
        log.warning("the audit anchor was not moved (%s)", type(error).__name__)
