"""A store on a PostgreSQL server: each user connects as their own database role.

The server enforces the roles (migration ``0009``): row-level security, column
privileges, an append-only audit log and accounts changed only through audited
functions. This module holds what the app needs to talk to such a server: the URL of
one user, the password verifier sent instead of a password, the advisory lock schema
upgrades run under, the schema version check, and one clear line for every way a
connection can fail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError

from app.errors import UserError
from app.i18n import _

# pg_advisory_xact_lock keys (the migration's functions use the same numbers).
SCHEMA_LOCK = 7_146_000

# The group roles a database administrator creates (or the first ``db upgrade`` does).
APP_GROUP = "vagafraga_app"
ROLE_GROUP_PREFIX = "vagafraga_"

# SQLSTATEs raised by the migration's functions (class "VF").
AUDIT_HEAD_MISSING = "VF001"
USER_EXISTS = "VF101"
NO_SUCH_USER = "VF102"
LAST_ADMIN = "VF103"
ROLES_APART = "VF104"
NAME_TAKEN = "VF105"
REMOVE_SELF = "VF106"
BAD_ROLES = "VF107"
INSUFFICIENT_PRIVILEGE = "42501"


def is_server(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "postgresql"


def url_for_user(url: URL, username: str, password: str) -> URL:
    """``url`` with the signing-in user's own name and password (never those in the URL)."""
    return url.set(username=username, password=password)


def scram_verifier(username: str, password: str, connection: Connection) -> str:
    """The SCRAM-SHA-256 verifier of ``password`` (libpq's ``PQencryptPasswordConn``), so
    the password itself is never sent in a statement nor written to the server's log."""
    driver = connection.connection.driver_connection
    pgconn: Any = getattr(driver, "pgconn", None)
    if pgconn is None:  # pragma: no cover - the app's driver is psycopg 3
        raise UserError(_("This database driver cannot set passwords; use psycopg."))
    verifier: bytes = pgconn.encrypt_password(
        password.encode("utf-8"), username.encode("utf-8"), b"scram-sha-256"
    )
    return verifier.decode("ascii")


def sqlstate(error: DBAPIError) -> str | None:
    state = getattr(error.orig, "sqlstate", None)
    return str(state) if state else None


class SchemaVersionError(UserError):
    def __init__(self, message: str, current: str | None) -> None:
        super().__init__(message)
        self.current = current  # None: the database has no store's schema at all


class PasswordRefusedError(UserError):
    """The server refused the user name or the password (or the role may not sign in)."""

    def __init__(self) -> None:
        super().__init__(_("The user name or the password is wrong. Nothing was opened."))


def check_schema_version(current: str | None, head: str | None) -> None:
    """A client of another schema version refuses the server's store, naming both."""
    if current == head:
        return
    raise SchemaVersionError(
        _(
            "The store on the server is at schema version {server}; this version of "
            "Våga fråga needs {client}. Nothing was changed. {action}"
        ).format(
            server=current or "-",
            client=head or "-",
            action=_("An administrator brings the store up to date with: vagafraga db upgrade")
            if current is None or (head is not None and current < head)
            else _("Install the version of Våga fråga your team uses."),
        ),
        current,
    )


# -- connection faults ---------------------------------------------------------------------

_PASSWORD = (
    "password authentication failed",
    "authentication failed",
    "no password supplied",
    'role "',  # role "x" does not exist: reported like a wrong password (no user probing)
    "is not permitted to log in",
)
_NO_DATABASE = ('database "',)
_TLS = ("ssl was required", "does not support ssl", "ssl is not enabled", "no encryption")
_UNREACHABLE = (
    "connection refused",
    "could not translate host name",
    "no route to host",
    "timeout expired",
    "timed out",
    "network is unreachable",
    "no such file or directory",
    "could not connect",
    "server closed the connection",
    "name or service not known",
)


def where(url: URL) -> str:
    """Host and port (or socket folder) of ``url``, for messages."""
    host = url.host or str(url.query.get("host") or "") or "localhost"
    port = url.port or url.query.get("port") or 5432
    return f"{host}:{port}"


def connection_fault(error: DBAPIError, url: URL) -> UserError | None:
    """One clear line for a failed connection, or ``None`` when it is not one."""
    message = str(error.orig).lower()
    if not message.startswith("connection") and "failed:" not in message:
        return None
    if any(part in message for part in _TLS):
        return UserError(
            _(
                "The database server at {server} does not offer an encrypted connection (TLS), "
                "which the database URL requires. Nothing was opened."
            ).format(server=where(url))
        )
    if any(part in message for part in _PASSWORD):
        return PasswordRefusedError()
    if "does not exist" in message and any(part in message for part in _NO_DATABASE):
        return UserError(
            _("The database server at {server} has no database {database}.").format(
                server=where(url), database=url.database or "-"
            )
        )
    if any(part in message for part in _UNREACHABLE):
        return UserError(
            _(
                "The database server at {server} cannot be reached: check the address and "
                "the port, and that the server is running."
            ).format(server=where(url))
        )
    return UserError(
        _("The database server at {server} refused the connection.").format(server=where(url))
    )
