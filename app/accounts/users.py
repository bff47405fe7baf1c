"""Accounts in the store: pseudonymous user names, roles, teams, and their credentials.

In an encrypted (SQLite) store the key slot is the credential and the table keeps
the fingerprint of the slot's public key. On PostgreSQL each user is a database role of
the same name and the server checks the password (:mod:`app.accounts.server_accounts`).
Any other store named by a URL (an SQLite file outside the data folder) has no slots and
the table keeps an Argon2id password hash (parameters in the hash).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, select
from sqlalchemy.orm import Session

from app.accounts.principal import Principal, Role
from app.accounts.signing import parse_keys, with_key
from app.errors import UserError
from app.i18n import _, ngettext
from app.storage.tables import UserRow

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TEAM_PATTERN = USERNAME_PATTERN
MIN_PASSWORD_LENGTH = 10


@dataclass(frozen=True)
class User:
    username: str
    roles: frozenset[Role]
    teams: frozenset[str]
    key_fingerprint: str | None
    created_at: datetime
    disabled_at: datetime | None

    @property
    def active(self) -> bool:
        return self.disabled_at is None

    def principal(self) -> Principal:
        return Principal(self.username, self.roles, self.teams)


def check_username(username: str) -> str:
    if not USERNAME_PATTERN.match(username):
        raise UserError(
            _(
                "{name!r} is not a valid user name: use 1-64 letters, digits, dots, dashes or "
                "underscores (a pseudonymous id such as h-0421, never a person's name)."
            ).format(name=username[:64])
        )
    return username


def check_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(
            ngettext(
                "A password needs at least {count} character.",
                "A password needs at least {count} characters.",
                MIN_PASSWORD_LENGTH,
            ).format(count=MIN_PASSWORD_LENGTH)
        )
    return password


def parse_roles(values: Iterable[str]) -> frozenset[Role]:
    roles: set[Role] = set()
    for value in values:
        for part in value.split(","):
            name = part.strip()
            if not name:
                continue
            try:
                roles.add(Role(name))
            except ValueError:
                raise UserError(
                    _("Unknown role {role!r}; the roles are {roles}.").format(
                        role=name, roles=", ".join(role.value for role in Role)
                    )
                ) from None
    if not roles:
        raise UserError(_("A user needs at least one role."))
    return frozenset(roles)


def parse_teams(values: Iterable[str]) -> frozenset[str]:
    teams = {part.strip() for value in values for part in value.split(",") if part.strip()}
    for team in teams:
        if not TEAM_PATTERN.match(team):
            raise UserError(_("{team!r} is not a valid team id.").format(team=team[:64]))
    return frozenset(teams)


# What the app reads of an account; on a server the other columns are not granted to users.
_USER_COLUMNS = (
    UserRow.username,
    UserRow.roles,
    UserRow.teams,
    UserRow.key_fingerprint,
    UserRow.created_at,
    UserRow.disabled_at,
)


def _row_to_user(row: Any) -> User:
    return User(
        username=row.username,
        roles=frozenset(Role(role) for role in json.loads(row.roles)),
        teams=frozenset(json.loads(row.teams)),
        key_fingerprint=row.key_fingerprint,
        created_at=row.created_at,
        disabled_at=row.disabled_at,
    )


# Runs inside a repository's transaction, on its connection (an audit entry).
InTransaction = Callable[[Connection], None]


class UserRepository:
    def __init__(self, engine: Engine, hasher: PasswordHasher | None = None) -> None:
        self._engine = engine
        # Argon2id with argon2-cffi's defaults (RFC 9106); the parameters live in each hash.
        self._hasher = hasher or PasswordHasher()

    def get(self, username: str) -> User | None:
        query = select(*_USER_COLUMNS).where(UserRow.username == username)
        with self._engine.connect() as connection:
            row = connection.execute(query).first()
            return _row_to_user(row) if row is not None else None

    def list(self, *, include_disabled: bool = False) -> list[User]:
        query = select(*_USER_COLUMNS).order_by(UserRow.username)
        if not include_disabled:
            query = query.where(UserRow.disabled_at.is_(None))
        with self._engine.connect() as connection:
            return [_row_to_user(row) for row in connection.execute(query)]

    def active_fingerprints(self) -> dict[str, str]:
        """User name to key fingerprint for every active user that has a key slot."""
        return {
            user.username: user.key_fingerprint
            for user in self.list()
            if user.key_fingerprint is not None
        }

    def count_active_admins(self) -> int:
        return sum(1 for user in self.list() if Role.ADMIN in user.roles)

    def add(
        self,
        username: str,
        roles: frozenset[Role],
        teams: frozenset[str],
        *,
        now: datetime,
        key_fingerprint: str | None = None,
        password: str | None = None,
        signing_key: str | None = None,
        then: InTransaction | None = None,
    ) -> User:
        """A new account, or a removed one given back (with new credentials). ``then``
        runs in the same transaction (the audit entry: both are committed, or neither)."""
        with Session(self._engine) as session, session.begin():
            row = session.get(UserRow, username)
            if row is not None and row.disabled_at is None:
                raise UserError(_("The user {user} already exists.").format(user=username))
            if row is None:
                row = UserRow(username=username, created_at=now)
                session.add(row)
            row.roles = json.dumps(sorted(role.value for role in roles))
            row.teams = json.dumps(sorted(teams))
            row.key_fingerprint = key_fingerprint
            row.password_hash = self._hasher.hash(password) if password is not None else None
            if signing_key is not None:
                row.signing_keys = with_key(row.signing_keys, signing_key)
            row.disabled_at = None
            row.failed_logins = 0
            row.last_failed_at = None
            session.flush()
            if then is not None:
                then(session.connection())
            return _row_to_user(row)

    def update(
        self,
        username: str,
        *,
        roles: frozenset[Role] | None = None,
        teams: frozenset[str] | None = None,
        key_fingerprint: str | None = None,
        password: str | None = None,
        signing_key: str | None = None,
        then: InTransaction | None = None,
    ) -> User:
        """Change an active account; ``then`` runs in the same transaction."""
        with Session(self._engine) as session, session.begin():
            row = self._active_row(session, username)
            if signing_key is not None:
                row.signing_keys = with_key(row.signing_keys, signing_key)
            if roles is not None:
                row.roles = json.dumps(sorted(role.value for role in roles))
            if teams is not None:
                row.teams = json.dumps(sorted(teams))
            if key_fingerprint is not None:
                row.key_fingerprint = key_fingerprint
            if password is not None:
                row.password_hash = self._hasher.hash(password)
            session.flush()
            if then is not None:
                then(session.connection())
            return _row_to_user(row)

    def register_signing_key(self, username: str, public: str) -> None:
        """Keep ``public`` among the keys that verify ``username``'s audit entries (a user
        from before signed entries gets theirs at their first sign-in)."""
        with Session(self._engine) as session, session.begin():
            row = session.get(UserRow, username)
            if row is not None and public not in parse_keys(row.signing_keys):
                row.signing_keys = with_key(row.signing_keys, public)

    def disable(self, username: str, *, now: datetime, then: InTransaction | None = None) -> None:
        with Session(self._engine) as session, session.begin():
            row = self._active_row(session, username)
            row.disabled_at = now
            row.key_fingerprint = None
            row.password_hash = None
            if then is not None:
                session.flush()
                then(session.connection())

    # -- password hashes (a store by URL other than PostgreSQL: no key slots, no roles) -----

    def failed_logins(self, username: str) -> int:
        with Session(self._engine) as session:
            row = session.get(UserRow, username)
            return row.failed_logins if row is not None else 0

    def verify_password(self, username: str, password: str, *, now: datetime) -> User | None:
        """The user when ``password`` is theirs (counting failures), else ``None``."""
        with Session(self._engine) as session, session.begin():
            row = session.get(UserRow, username)
            if row is None or row.disabled_at is not None or row.password_hash is None:
                # Spend the time of a real check so timing does not tell who exists.
                _verify(self._hasher, _dummy_hash(), password)
                return None
            if not _verify(self._hasher, row.password_hash, password):
                row.failed_logins += 1
                row.last_failed_at = now
                return None
            row.failed_logins = 0
            return _row_to_user(row)

    @staticmethod
    def _active_row(session: Session, username: str) -> UserRow:
        row = session.get(UserRow, username)
        if row is None or row.disabled_at is not None:
            raise UserError(_("There is no user {user}.").format(user=username))
        return row


@cache
def _dummy_hash() -> str:
    """A hash to check against when the user does not exist (same cost as a real check)."""
    return PasswordHasher().hash("not anyone's password")


def _verify(hasher: PasswordHasher, password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
