"""A team server (a throw-away PostgreSQL database with the test users) and handlers'
devices (encrypted local stores, copies of the test store) for the sync tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from app.accounts.access import Role
from app.accounts.services import RecordService
from app.accounts.session import Login, unlock
from app.screening.record import ScreeningRecord
from app.storage.engine import resolve_location
from app.sync.server import TeamServer
from tests.conftest import TEST_PASSWORD
from tests.postgres_server import Server, programs_or_skip, running_server
from tests.storage.conftest import init_team


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    with running_server(programs_or_skip()) as running:
        yield running


@dataclass(frozen=True)
class Team:
    """The team server's database: ``url`` for the devices (no user: each signs in as
    themselves), ``admin_url`` for the test's own look at it (the superuser)."""

    server: Server
    url: str
    admin_url: str

    def for_user(self, user: str) -> TeamServer:
        return TeamServer(self.url, user, TEST_PASSWORD, connect_timeout=3)

    def count(self, sql: str) -> int:
        conninfo = self.admin_url.replace("postgresql+psycopg://", "postgresql://")
        with psycopg.connect(conninfo) as connection:
            row = connection.execute(sql).fetchone()
            assert row is not None
            return int(row[0])


@pytest.fixture
def team(server: Server, tmp_path: Path) -> Iterator[Team]:
    """A team server set up as an administrator would (``init`` and ``users add``: each
    user is a login role of their own with their password)."""
    with server.database() as admin_url:
        init_team(resolve_location(tmp_path / "server-admin", admin_url)).close()
        database = make_url(admin_url).database
        yield Team(server, f"postgresql://127.0.0.1:{server.port}/{database}", admin_url)


@dataclass
class Device:
    """A handler's computer: their encrypted store, signed in."""

    folder: Path
    login: Login

    @property
    def records(self) -> RecordService:
        return RecordService(self.login.store, self.login.principal)

    def save(self, record: ScreeningRecord, indicators: tuple[str, ...] = ()) -> None:
        self.records.save(record, indicators)


@pytest.fixture
def device(
    tmp_path: Path, init_test_store: Callable[[Path], Path]
) -> Iterator[Callable[[str], Device]]:
    """``device("test-h01")``: a new computer of that user, with the test store's accounts."""
    opened: list[Login] = []

    def make(user: str, folder: Path | None = None) -> Device:
        place = folder or init_test_store(tmp_path / f"device-{user}-{len(opened)}")
        login = unlock(resolve_location(place), user, TEST_PASSWORD)
        opened.append(login)
        assert Role.HANDLER in login.principal.roles or user == "test-lead"
        return Device(place, login)

    yield make
    for login in opened:
        login.close()
