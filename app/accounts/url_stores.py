"""Stores named by a database URL.

* A PostgreSQL server's: the database's owner creates the schema and the first
  administrator; every user then signs in as their own database role, which the server
  checks (SCRAM, or whatever its ``pg_hba.conf`` says) and holds to what that user may see
  (:mod:`app.accounts.server_accounts`, migration ``0009``).
* Any other (an SQLite file outside the data folder): no key slots, no server roles; the
  users table keeps an Argon2id hash per user.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from argon2 import PasswordHasher

from app.accounts.audit import AuditEvent, AuditLog
from app.accounts.keyslots import (
    PRODUCTION_KDF,
    UNKNOWN_USER,
    KdfParams,
    WrongCredentialsError,
    login_delay,
)
from app.accounts.login import Login, audit_created
from app.accounts.opening import NoStoreError, store_exists
from app.accounts.principal import Principal, Role
from app.accounts.server_accounts import ServerAccounts, check_server_roles
from app.accounts.users import UserRepository
from app.errors import UserError
from app.i18n import _
from app.storage.engine import StoreLocation
from app.storage.server import PasswordRefusedError, SchemaVersionError
from app.storage.store import Store, open_store

Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


def init_server_store(
    location: StoreLocation,
    admin: str,
    password: str,
    *,
    roles: frozenset[Role],
    teams: frozenset[str],
) -> Login:
    """Run by the database's owner (the URL's credentials): the schema, then the first
    administrator as a login role of their own; the login returned is theirs."""
    check_server_roles(roles)
    with open_store(location) as owner:
        if UserRepository(owner.engine).list(include_disabled=True):
            raise UserError(
                _("The store {store} already has users; nothing was changed.").format(
                    store=location.describe()
                )
            )
        AuditLog(owner.engine).append(admin, AuditEvent.STORE_CREATED)
        ServerAccounts(owner.engine).add(admin, password, roles, teams)
    store = _open_as(location, admin, password)
    return Login(store, Principal(admin, roles, teams))


def _open_as(location: StoreLocation, username: str, password: str) -> Store:
    """The server store, connected as the user's own database role."""
    try:
        return open_store(location, upgrade=False, credentials=(username, password))
    except PasswordRefusedError:
        raise WrongCredentialsError() from None


def init_hashed_store(
    location: StoreLocation,
    admin: str,
    password: str,
    *,
    kdf: KdfParams,
    roles: frozenset[Role],
    teams: frozenset[str],
    clock: Clock,
) -> Login:
    store = open_store(location)
    try:
        users = UserRepository(store.engine)
        if users.list(include_disabled=True):
            raise UserError(
                _("The store {store} already has users; nothing was changed.").format(
                    store=location.describe()
                )
            )
        now = clock()
        users = UserRepository(store.engine, hasher=_password_hasher(kdf))
        users.add(admin, roles, teams, now=now, password=password)
        audit_created(store, admin, roles, now)
    except BaseException:
        store.close()
        raise
    return Login(store, Principal(admin, roles, teams))


def _password_hasher(kdf: KdfParams) -> PasswordHasher:
    if kdf == PRODUCTION_KDF:
        return PasswordHasher()  # argon2-cffi's RFC 9106 defaults for stores by URL
    return PasswordHasher(
        time_cost=kdf.time_cost, memory_cost=kdf.memory_cost, parallelism=kdf.parallelism
    )


def unlock_server_store(
    location: StoreLocation,
    username: str,
    password: str,
    *,
    check_audit: bool,
) -> Login:
    """Sign in to a server store as the user's own database role: the server checks the
    password (SCRAM, or whatever its pg_hba.conf says); failed attempts are the server's to
    log and slow down (log_connections, auth_delay). Whether there is a store at all is
    seen on the user's own connection, or, when it is refused, on the URL's."""
    try:
        store = _open_as(location, username, password)
    except SchemaVersionError as error:
        if error.current is None:
            raise NoStoreError() from None
        raise
    except WrongCredentialsError:
        if not store_exists(location):
            raise NoStoreError() from None
        raise
    try:
        user = UserRepository(store.engine).get(username)
        if user is None or not user.active:
            raise UserError(_("The account {user} has been removed.").format(user=username))
        audit = AuditLog(store.engine)
        if check_audit:
            audit.check_recent()
        audit.append(username, AuditEvent.LOGIN_SUCCEEDED)
    except BaseException:
        store.close()
        raise
    return Login(store, user.principal())


def unlock_hashed_store(
    location: StoreLocation,
    username: str,
    password: str,
    *,
    sleep: Sleep,
    clock: Clock,
    check_audit: bool,
    upgrade: bool,
) -> Login:
    if not store_exists(location):
        raise NoStoreError()
    store = open_store(location, upgrade=upgrade)
    try:
        users = UserRepository(store.engine)
        if not users.list():
            raise NoStoreError()
        delay = login_delay(users.failed_logins(username))
        if delay:
            sleep(delay)
        audit = AuditLog(store.engine)
        user = users.verify_password(username, password, now=clock())
        if user is None:
            known = users.get(username) is not None
            audit.append(username if known else UNKNOWN_USER, AuditEvent.LOGIN_FAILED, at=clock())
            raise WrongCredentialsError()
        if check_audit:
            audit.check_recent()
        audit.append(username, AuditEvent.LOGIN_SUCCEEDED, at=clock())
    except BaseException:
        store.close()
        raise
    return Login(store, user.principal())


def check_server_password(location: StoreLocation, username: str, password: str) -> None:
    """Whether the server accepts ``password`` for ``username`` (one new connection)."""
    _open_as(location, username, password).close()


def confirm_hashed_password(login: Login, password: str, *, sleep: Sleep, clock: Clock) -> None:
    """The idle lock's check on a store with password hashes."""
    users = UserRepository(login.store.engine)
    username = login.principal.username
    delay = login_delay(users.failed_logins(username))
    if delay:
        sleep(delay)
    if users.verify_password(username, password, now=clock()) is None:
        AuditLog(login.store.engine).append(username, AuditEvent.LOGIN_FAILED, at=clock())
        raise WrongCredentialsError()
