"""One sync: the signed-in handler's waiting records go to the team server.

Order of work, so that a sync killed at any moment (kill -9, a power cut, the server
restarting) loses nothing and duplicates nothing:

1. the device's audit log is checked against the head the server saw last time;
2. the waiting records go in batches, each upserted on the server in one transaction;
3. only after the server committed a batch does the device mark it, in one local
   transaction (a crash in between: the next sync finds those records "already there");
4. the server is shown the device's newest audit head.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from app.accounts.access import Principal
from app.accounts.audit import AuditEvent, AuditLog
from app.errors import UserError
from app.i18n import ngettext
from app.storage.drafts import Clock, utc_now
from app.storage.sealing import field_keys_for
from app.sync import keycopy, witness
from app.sync.faults import crash_point
from app.sync.payload import Payload, read_payloads
from app.sync.server import (
    SyncInterruptedError,
    TeamServer,
    connected,
    connection_problem,
    upsert_batch,
)
from app.sync.state import count_waiting, device_id, mark_acknowledged, waiting_ids

BATCH_SIZE = 500
Progress = Callable[[int, int], None]  # records done, records waiting at the start


@dataclass(frozen=True)
class SyncOutcome:
    pushed: int  # records (or new versions of records) the server did not have
    already_there: int  # sent, and the server had that version already
    waiting: int  # the handler's records still waiting after this sync
    conflicts: int = 0  # another version of the same record is on the server
    audit_problem: str | None = None  # the witness found the local audit log cut or replaced

    def summary(self) -> dict[str, int]:
        return {"pushed": self.pushed, "already_there": self.already_there, "waiting": self.waiting}


def waiting_sentence(count: int) -> str:
    return ngettext(
        "{count} screening waits and goes with the next sync; nothing was lost.",
        "{count} screenings wait and go with the next sync; nothing was lost.",
        count,
    ).format(count=count)


def run_sync(
    local: Engine,
    principal: Principal,
    server: TeamServer,
    *,
    batch_size: int = BATCH_SIZE,
    clock: Clock = utc_now,
    on_batch: Progress | None = None,
    key_file: Path | None = None,
) -> SyncOutcome:
    """Send the waiting records of ``principal`` from ``local`` to ``server``; with
    ``key_file`` (the store's key slots), also the handler's wrapped key when the server's
    copy is missing or changed (:mod:`app.sync.keycopy`).

    Raises :class:`ServerUnreachableError` (records wait) or another one-line
    :class:`UserError`; what was committed on both sides before stays committed.
    """
    handler = principal.username
    ids = waiting_ids(local, handler)
    device = device_id(local)
    keys = field_keys_for(local)
    sealed_in = None if keys is None else keys.store_id
    pushed = already = conflicts = 0
    problem: str | None = None
    try:
        with connected(server) as remote:
            try:
                problem = witness.check_device(local, remote, device, handler)
                if key_file is not None:
                    with remote.begin() as connection:
                        keycopy.upload(connection, key_file, handler, clock)
                for start in range(0, len(ids), batch_size):
                    chunk = ids[start : start + batch_size]
                    with local.connect() as connection:
                        found = read_payloads(connection, chunk)
                    batch = [_sealed_in(found[key], sealed_in) for key in chunk if key in found]
                    with remote.begin() as connection:
                        result = upsert_batch(connection, handler, batch)
                        crash_point("before_server_commit")
                    crash_point("after_server_commit")
                    with local.begin() as connection:
                        acknowledged = result.pushed + result.already_there
                        mark_acknowledged(connection, acknowledged, clock())
                    crash_point("after_local_mark")
                    pushed += len(result.pushed)
                    already += len(result.already_there)
                    conflicts += len(result.conflicts)
                    if on_batch is not None:
                        on_batch(start + len(chunk), len(ids))
                problem = witness.advance(local, remote, device) or problem
                if pushed:
                    AuditLog(remote).append(
                        handler,
                        AuditEvent.RECORDS_SYNCED,
                        detail={"pushed": pushed, "device": device},
                    )
            except DBAPIError as error:
                raise connection_problem(server, error, connecting=False) from None
    except UserError as error:
        waiting = count_waiting(local, handler)
        if isinstance(error, SyncInterruptedError):
            message = f"{error.message} {waiting_sentence(waiting)}"
            raise type(error)(message, cause=error.message) from None
        raise
    return SyncOutcome(
        pushed=pushed,
        already_there=already,
        waiting=count_waiting(local, handler),
        conflicts=conflicts,
        audit_problem=problem,
    )


def _sealed_in(payload: Payload, store_id: str | None) -> Payload:
    """The payload naming the store its sealed fields were sealed in (the server keeps it,
    so a restore on a new computer can open them)."""
    if store_id is None or payload.row.get("sealed_in") is not None:
        return payload
    return replace(payload, row={**payload.row, "sealed_in": store_id})
