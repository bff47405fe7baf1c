"""Accounts on a PostgreSQL server: each user is a database role of the same name.

The app never writes the users table there: the migration's ``SECURITY DEFINER``
functions create the login role (with the SCRAM verifier of the password, made here by
libpq), grant the group roles, update the users row and write the audit entry, all in one
transaction and only for an administrator (the first user: the database's owner). The
server refuses everything else, whatever client sends it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from app.accounts.principal import AccessDeniedError, Role
from app.errors import UserError
from app.i18n import _
from app.storage import server

# Roles that read case references and notes, and roles that read other people's records:
# on a server one account never holds both (column privileges do not depend on the row).
READS_SENSITIVE = frozenset({Role.HANDLER, Role.TRAINER})
READS_OTHERS = frozenset({Role.TEAM_LEAD, Role.ADMIN})


def _roles_apart() -> UserError:
    return UserError(
        _(
            "On a server store one account cannot be both a handler or trainer and a team "
            "lead or administrator; give the person two accounts."
        )
    )


def check_server_roles(roles: frozenset[Role]) -> None:
    if roles & READS_SENSITIVE and roles & READS_OTHERS:
        raise _roles_apart()


class ServerAccounts:
    """Account changes through the server's audited functions, as the connected role."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(
        self, username: str, password: str, roles: frozenset[Role], teams: frozenset[str]
    ) -> None:
        check_server_roles(roles)
        self._call(
            "SELECT vagafraga_add_user(:name, :verifier, :roles, :teams)",
            username,
            lambda connection: {
                "name": username,
                "verifier": server.scram_verifier(username, password, connection),
                "roles": sorted(role.value for role in roles),
                "teams": sorted(teams),
            },
        )

    def set_roles(
        self, username: str, roles: frozenset[Role] | None, teams: frozenset[str] | None
    ) -> None:
        if roles is not None:
            check_server_roles(roles)
        self._call(
            "SELECT vagafraga_set_roles(:name, :roles, :teams)",
            username,
            lambda _connection: {
                "name": username,
                "roles": sorted(role.value for role in roles) if roles is not None else None,
                "teams": sorted(teams) if teams is not None else None,
            },
        )

    def remove(self, username: str) -> None:
        self._call("SELECT vagafraga_remove_user(:name)", username, lambda _c: {"name": username})

    def set_password(self, username: str, password: str) -> None:
        self._call(
            "SELECT vagafraga_set_password(:name, :verifier)",
            username,
            lambda connection: {
                "name": username,
                "verifier": server.scram_verifier(username, password, connection),
            },
        )

    def _call(
        self, statement: str, username: str, parameters: Callable[[Any], dict[str, Any]]
    ) -> None:
        try:
            with self._engine.begin() as connection:
                connection.execute(text(statement), parameters(connection))
        except DBAPIError as error:
            problem = _refusal(server.sqlstate(error), username)
            if problem is None:
                raise
            raise problem from None


def _refusal(state: str | None, username: str) -> UserError | None:
    if state == server.INSUFFICIENT_PRIVILEGE:
        return AccessDeniedError(
            _("The server refused: only an administrator may change accounts.")
        )
    messages = {
        server.USER_EXISTS: _("The user {user} already exists."),
        server.NO_SUCH_USER: _("There is no user {user}."),
        server.LAST_ADMIN: _("The store must keep at least one administrator."),
        server.REMOVE_SELF: _("You cannot remove your own account; ask another administrator."),
        server.NAME_TAKEN: _(
            "The name {user} belongs to another role on the database server; choose another."
        ),
        server.BAD_ROLES: _("A user needs at least one role."),
    }
    if state == server.ROLES_APART:
        return _roles_apart()
    message = messages.get(state or "")
    return UserError(message.format(user=username)) if message is not None else None
