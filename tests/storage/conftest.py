"""The throw-away PostgreSQL server the server-store tests share (one per test session)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.session import Login, init_store
from app.storage.engine import StoreLocation, resolve_location
from tests.conftest import TEST_KDF, TEST_PASSWORD, TEST_USERS
from tests.postgres_server import Server, programs_or_skip, running_server

# On a server one account never reads case references (handler, trainer) and other people's
# records (team lead, administrator) both: the server's administrator is not a handler.
SERVER_ADMIN_ROLES = frozenset({Role.ADMIN, Role.TEAM_LEAD})


@pytest.fixture(scope="session")
def server() -> Iterator[Server]:
    with running_server(programs_or_skip()) as running:
        yield running


@pytest.fixture
def pg_location(server: Server, tmp_path: Path) -> Iterator[StoreLocation]:
    """A new, empty database on the server, named by the superuser's URL (the database
    administrator's, who owns the schema)."""
    with server.database() as url:
        yield resolve_location(tmp_path / "data", url)


def init_team(location: StoreLocation) -> Login:
    """The server store with every test user, ``test-admin`` signed in."""
    teams = TEST_USERS["test-admin"][1]
    login = init_store(
        location, "test-admin", TEST_PASSWORD, kdf=TEST_KDF, roles=SERVER_ADMIN_ROLES, teams=teams
    )
    accounts = AccountService(login)
    for name, (user_roles, user_teams) in TEST_USERS.items():
        if name != "test-admin":
            accounts.add(name, TEST_PASSWORD, user_roles, user_teams)
    return login
