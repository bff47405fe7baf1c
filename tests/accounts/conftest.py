"""Fixtures for the accounts tests: a real encrypted store with cheap key derivation."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.accounts.access import Role
from app.accounts.admin import AccountService
from app.accounts.session import Login, init_store, unlock
from app.accounts.slot_crypto import KdfParams
from app.i18n import set_language
from app.storage.engine import StoreLocation, resolve_location

CHEAP = KdfParams(time_cost=1, memory_cost=64, parallelism=1)
PASSWORD = "correct horse battery"
USERS = {
    "test-h01": ({Role.HANDLER}, {"test-team-a"}),
    "test-h02": ({Role.HANDLER}, {"test-team-a"}),
    "test-h03": ({Role.HANDLER}, {"test-team-b"}),
    "test-lead": ({Role.TEAM_LEAD}, {"test-team-a"}),
    "test-trainer": ({Role.TRAINER}, set()),
}


@pytest.fixture(autouse=True)
def _english() -> None:
    """Messages are matched in English (the msgids) whatever the catalogs hold."""
    set_language("en")


def no_sleep(_seconds: float) -> None:
    raise AssertionError("no delay expected here")


@pytest.fixture
def location(tmp_path: Path) -> StoreLocation:
    return resolve_location(tmp_path / "store")


@pytest.fixture
def admin(location: StoreLocation) -> Iterator[Login]:
    """An encrypted store with ``test-admin`` signed in and the users of :data:`USERS`."""
    login = init_store(location, "test-admin", PASSWORD, kdf=CHEAP)
    accounts = AccountService(login)
    for name, (roles, teams) in USERS.items():
        accounts.add(name, PASSWORD, frozenset(roles), frozenset(teams))
    yield login
    login.close()


@pytest.fixture
def sign_in(location: StoreLocation, admin: Login) -> Iterator[Callable[..., Login]]:
    """``sign_in(name)`` opens the store as that user; closed at the end of the test."""
    opened: list[Login] = []

    def open_as(name: str, password: str = PASSWORD) -> Login:
        login = unlock(location, name, password, sleep=no_sleep)
        opened.append(login)
        return login

    yield open_as
    for login in opened:
        login.close()


@pytest.fixture
def run_en(run_cli):
    """``run_cli`` with English messages (the CLI's default is Swedish)."""

    def run(*args: str, **options: str):
        return run_cli("--language", "en", *args, **options)

    return run
