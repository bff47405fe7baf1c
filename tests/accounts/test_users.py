"""Accounts in the users table: names, roles, teams, password hashes for server stores."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from app.accounts.access import Role
from app.accounts.users import UserRepository, check_username, parse_roles, parse_teams
from app.errors import UserError
from app.storage.engine import resolve_location
from app.storage.store import open_store

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
CHEAP_HASH = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)


@pytest.fixture
def users(tmp_path: Path):
    with open_store(resolve_location(tmp_path / "users")) as store:
        yield UserRepository(store.engine, hasher=CHEAP_HASH)


@pytest.mark.parametrize("name", ["test-h01", "h.0421", "A1_b-2"])
def test_pseudonymous_names_are_accepted(name: str) -> None:
    assert check_username(name) == name


@pytest.mark.parametrize("name", ["", "Anna Andersson", "-lead", "x" * 65, "åsa"])
def test_other_names_are_refused(name: str) -> None:
    with pytest.raises(UserError, match="not a valid user name"):
        check_username(name)


def test_roles_and_teams_parse_from_comma_lists() -> None:
    assert parse_roles(["handler,team_lead", "admin"]) == {
        Role.HANDLER,
        Role.TEAM_LEAD,
        Role.ADMIN,
    }
    assert parse_teams(["test-team-a, test-team-b"]) == {"test-team-a", "test-team-b"}
    with pytest.raises(UserError, match="Unknown role 'boss'"):
        parse_roles(["boss"])
    with pytest.raises(UserError, match="at least one role"):
        parse_roles([""])


def test_password_hashes_verify_and_count_failures(users: UserRepository) -> None:
    users.add("test-h01", frozenset({Role.HANDLER}), frozenset(), now=NOW, password="pw-123456789")
    assert users.verify_password("test-h01", "wrong-password", now=NOW) is None
    assert users.verify_password("test-h01", "wrong-password", now=NOW) is None
    assert users.failed_logins("test-h01") == 2
    user = users.verify_password("test-h01", "pw-123456789", now=NOW)
    assert user is not None
    assert user.roles == {Role.HANDLER}
    assert users.failed_logins("test-h01") == 0
    assert users.verify_password("nobody", "pw-123456789", now=NOW) is None


def test_a_removed_user_keeps_the_row_but_loses_the_credentials(users: UserRepository) -> None:
    users.add("test-h01", frozenset({Role.HANDLER}), frozenset(), now=NOW, password="pw-123456789")
    users.disable("test-h01", now=NOW)
    assert users.verify_password("test-h01", "pw-123456789", now=NOW) is None
    assert users.list() == []
    assert [u.username for u in users.list(include_disabled=True)] == ["test-h01"]
    again = users.add(
        "test-h01", frozenset({Role.TRAINER}), frozenset(), now=NOW, password="x" * 12
    )
    assert again.active
    assert again.roles == {Role.TRAINER}
    with pytest.raises(UserError, match="already exists"):
        users.add("test-h01", frozenset({Role.TRAINER}), frozenset(), now=NOW)
