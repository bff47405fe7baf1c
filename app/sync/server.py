"""The team server: a short-lived connection as the signed-in user, one batch at a time.

The device connects with the user's own server credentials (the same name and password;
the server's login role and row-level security decide what it may touch), with a connect
timeout, and closes the connection when the sync ends: a device holds no server
connection between syncs. Each batch is upserted in one transaction; two devices of the
same handler take turns on a transaction-scoped advisory lock.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError
from sqlalchemy.pool import NullPool, QueuePool

from app.errors import UserError
from app.i18n import _
from app.storage import migrate
from app.storage.engine import StoreLocation
from app.storage.server import (
    INSUFFICIENT_PRIVILEGE,
    PasswordRefusedError,
    check_schema_version,
    connection_fault,
    sqlstate,
)
from app.storage.store import Store
from app.sync.payload import (
    Payload,
    apply_newer,
    current_versions,
    insert_new,
    merge_followups,
    read_payloads,
)

CONNECT_TIMEOUT_SECONDS = 10


class SyncInterruptedError(UserError):
    """The sync stopped on the server's side; what was not sent waits. ``cause`` is the
    reason alone (the message may go on to say what waits)."""

    def __init__(self, message: str, cause: str | None = None) -> None:
        super().__init__(message)
        self.cause = cause or message


class ServerUnreachableError(SyncInterruptedError):
    """The team server could not be reached, or the connection broke off."""


@dataclass(frozen=True)
class TeamServer:
    """Where the team server is, and whose credentials to sign in with."""

    url: str
    username: str
    password: str = field(repr=False)
    connect_timeout: int = CONNECT_TIMEOUT_SECONDS

    def sqlalchemy_url(self) -> URL:
        try:
            url = make_url(self.url)
        except ArgumentError:
            raise UserError(_("The team server address is not a valid database URL.")) from None
        if url.get_backend_name() != "postgresql":
            raise UserError(_("The team server address must be a postgresql:// URL."))
        return url.set(
            drivername="postgresql+psycopg", username=self.username, password=self.password
        )

    def describe(self) -> str:
        url = self.sqlalchemy_url().set(password=None, username=None)
        host = url.host or url.query.get("host") or "localhost"
        return f"{host}/{url.database}"


def server_engine(server: TeamServer, *, one_connection: bool = False) -> Engine:
    """An engine that holds no server connection between uses: without a pool (every
    connection closes when it is returned), or, for one sync, a single connection used for
    all of it and closed when the engine is disposed."""
    pool: dict[str, Any] = (
        {"poolclass": QueuePool, "pool_size": 1, "max_overflow": 1}
        if one_connection
        else {"poolclass": NullPool}
    )
    return create_engine(
        server.sqlalchemy_url(),
        connect_args={
            "connect_timeout": server.connect_timeout,
            "application_name": "vagafraga-sync",
        },
        **pool,
    )


def team_store(server: TeamServer, data_dir: Path) -> Store:
    """The team server as a store to read as the signed-in user (a team lead's dashboard:
    the same statistics code on the team's records). Nothing on it is upgraded."""
    url = server.sqlalchemy_url()
    return Store(StoreLocation(url=url, data_dir=data_dir), server_engine(server))


@contextmanager
def connected(server: TeamServer) -> Iterator[Engine]:
    """:func:`server_engine` with one connection for the whole sync, checked to be a team
    server at this app's schema version; disposed (the connection closed) at the end."""
    engine = server_engine(server, one_connection=True)
    try:
        try:
            revision = migrate.current_revision(engine)
        except DBAPIError as error:
            raise connection_problem(server, error, connecting=True) from None
        check_schema_version(revision, migrate.head_revision())
        yield engine
    finally:
        engine.dispose()


def connection_problem(server: TeamServer, error: DBAPIError, *, connecting: bool) -> UserError:
    """One line naming the real cause (the driver's text is not shown: it may quote data)."""
    fault = connection_fault(error, server.sqlalchemy_url())
    if isinstance(fault, PasswordRefusedError):
        return UserError(
            _(
                "The team server {server} did not accept the sign-in of {user}; ask an "
                "administrator to check the account on the server."
            ).format(server=server.describe(), user=server.username)
        )
    if sqlstate(error) == INSUFFICIENT_PRIVILEGE:
        return UserError(
            _("The team server {server} refused the change: it is not yours to make.").format(
                server=server.describe()
            )
        )
    if not isinstance(error, OperationalError | InterfaceError):
        return SyncInterruptedError(
            _("The team server {server} could not store the records ({kind}).").format(
                server=server.describe(), kind=type(error.orig or error).__name__
            )
        )
    if connecting:
        return ServerUnreachableError(
            _("The team server {server} cannot be reached.").format(server=server.describe())
        )
    return ServerUnreachableError(
        _("The connection to the team server {server} broke off.").format(server=server.describe())
    )


@dataclass
class BatchResult:
    pushed: list[Payload] = field(default_factory=list)
    already_there: list[Payload] = field(default_factory=list)
    conflicts: list[Payload] = field(default_factory=list)


def lock_handler(connection: Connection, handler: str) -> None:
    """Wait for the handler's other devices: one sync of a handler's records at a time."""
    connection.execute(
        text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"),
        {"key": f"vagafraga-sync:{handler}"},
    )


def upsert_batch(connection: Connection, handler: str, batch: Sequence[Payload]) -> BatchResult:
    """Write ``batch`` on the server (inside the caller's transaction).

    Same version, same fingerprint: already there. Not there: inserted with its earlier
    versions. An older version there: the versions in between are added and the current
    one replaced. The same version with other content, or a newer version there (another
    device of the same handler corrected it): a conflict, left waiting and changed nowhere.
    The follow-ups of the records pushed or already there are merged (added, or closed).
    """
    lock_handler(connection, handler)
    ids = [item.record_id for item in batch]
    stored_versions = current_versions(connection, ids)
    same_version = [
        item.record_id for item in batch if stored_versions.get(item.record_id) == item.version
    ]
    stored = read_payloads(connection, same_version)
    result = BatchResult()
    new: list[Payload] = []
    for item in batch:
        there = stored_versions.get(item.record_id)
        if there is None:
            new.append(item)
        elif there == item.version:
            if stored[item.record_id].fingerprint == item.fingerprint:
                result.already_there.append(item)
            else:
                result.conflicts.append(item)
        elif there < item.version:
            apply_newer(connection, item, there)
            result.pushed.append(item)
        else:
            result.conflicts.append(item)
    insert_new(connection, new)
    result.pushed.extend(new)
    merge_followups(connection, [*result.pushed, *result.already_there])
    return result
