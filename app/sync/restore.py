"""``vagafraga sync --restore``: a handler's own records come back from the team server.

For a new or emptied computer: every record of the signed-in handler on the server (row-
level security shows the server's login role nothing else) is copied into the local store
with its versions, indicators, completed prompts and follow-up, and marked as synced.
Sealed fields stay sealed: those of the handler are opened under the store id they were
sealed in and sealed again for this store (:mod:`app.sync.reseal`), which a new computer
can do because its key slot holds the handler's key pair from the server's wrapped copy.
Each batch is stored and marked in one local transaction, so an interrupted restore resumes where it
stopped. A record the device already has in the same version is left as it is. A computer
without a store gets one first: the handler's account as the server has it (roles and
teams), with the same password.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select
from sqlalchemy.exc import DBAPIError

from app.accounts.access import AccessDeniedError, Principal, Role
from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.session import init_store
from app.accounts.slot_crypto import WrongCredentialsError, unwrap_copy
from app.accounts.users import User, UserRepository
from app.errors import UserError
from app.i18n import _
from app.storage.drafts import Clock, utc_now
from app.storage.engine import StoreLocation
from app.sync import keycopy
from app.sync.payload import (
    RECORDS,
    apply_newer,
    current_versions,
    insert_new,
    merge_followups,
    read_payloads,
)
from app.sync.push import BATCH_SIZE, Progress
from app.sync.reseal import for_this_store
from app.sync.server import TeamServer, connected, connection_problem
from app.sync.state import mark_acknowledged


def server_account(server: TeamServer) -> tuple[User, bytes | None]:
    """The signed-in user's own account on the team server (row-level security shows them
    nothing else), for a new computer that has no store yet, and their private key from
    the copy a sync left there, opened with their password (``None``: no copy yet)."""
    with connected(server) as remote:
        try:
            user = UserRepository(remote).get(server.username)
            with remote.connect() as connection:
                copy = keycopy.fetch(connection, server.username)
        except DBAPIError as error:
            raise connection_problem(server, error, connecting=False) from None
    if user is None or not user.active:
        raise UserError(_("The team server has no account {user}.").format(user=server.username))
    if copy is None:
        return user, None
    try:
        return user, unwrap_copy(copy, server.username, server.password)
    except WrongCredentialsError:
        raise UserError(
            _(
                "The copy of your key on the team server opens only with the password you had "
                "at the last sync from your other computer; sync once there with your new "
                "password, then restore here again. Nothing was changed."
            )
        ) from None


def new_device_store(location: StoreLocation, server: TeamServer) -> None:
    """A new encrypted store on this computer for a handler who has none yet: their
    account as the team server has it (roles and teams), with the same password, and
    their own key pair when a sync left a copy of it there (their sealed fields open)."""
    user, private = server_account(server)
    if Role.HANDLER not in user.roles:
        raise AccessDeniedError(
            _("Only a handler's records are brought back; {user} is not a handler.").format(
                user=server.username
            )
        )
    init_store(
        location,
        server.username,
        server.password,
        roles=user.roles,
        teams=user.teams,
        private_key=private,
    ).close()


@dataclass(frozen=True)
class RestoreOutcome:
    restored: int  # records (or newer versions) brought onto this computer
    already_there: int  # the computer had that version already
    conflicts: int  # the computer has another version; kept as it is

    def summary(self) -> dict[str, int]:
        return {"restored": self.restored, "already_there": self.already_there}


def run_restore(
    local: Engine,
    principal: Principal,
    server: TeamServer,
    *,
    batch_size: int = BATCH_SIZE,
    clock: Clock = utc_now,
    progress: Progress | None = None,
) -> RestoreOutcome:
    """The handler's own records from ``server`` into ``local``; ``progress(done, total)``
    after every batch."""
    handler = principal.username
    restored = already = conflicts = 0
    with connected(server) as remote:
        try:
            with remote.connect() as connection:
                ids = [
                    str(key)
                    for key in connection.execute(
                        select(RECORDS.c.id)
                        .where(RECORDS.c.handler == handler)
                        .order_by(RECORDS.c.id)
                    ).scalars()
                ]
            for start in range(0, len(ids), batch_size):
                chunk = ids[start : start + batch_size]
                with remote.connect() as connection:
                    found = read_payloads(connection, chunk)
                resealed = for_this_store(local, list(found.values()))
                theirs = {item.record_id: item for item in resealed}
                with local.begin() as connection:
                    mine = current_versions(connection, chunk)
                    same = [key for key, item in theirs.items() if mine.get(key) == item.version]
                    mine_now = read_payloads(connection, same)
                    new, newer, unchanged = [], [], []
                    for key, item in theirs.items():  # one purged meanwhile is gone
                        have = mine.get(key)
                        if have is None:
                            new.append(item)
                        elif have < item.version:
                            apply_newer(connection, item, have)
                            newer.append(item)
                        elif have == item.version and mine_now[key].fingerprint == item.fingerprint:
                            unchanged.append(item)
                        else:
                            conflicts += 1
                    insert_new(connection, new)
                    merge_followups(connection, [*new, *newer, *unchanged])
                    mark_acknowledged(connection, [*new, *newer, *unchanged], clock())
                restored += len(new) + len(newer)
                already += len(unchanged)
                if progress is not None:
                    progress(start + len(chunk), len(ids))
        except DBAPIError as error:
            raise connection_problem(server, error, connecting=False) from None
    AuditLog(local).append(
        handler,
        AuditEvent.RECORDS_IMPORTED,
        detail={"added": restored, "unchanged": already, "source": "team_server"},
    )
    return RestoreOutcome(restored=restored, already_there=already, conflicts=conflicts)
