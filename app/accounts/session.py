"""Creating a store with its first administrator, and signing in to one.

The store in the data directory is an SQLCipher file whose key lives in key
slots (:mod:`app.accounts.keyslots`). A store named by ``--database-url`` is a
server's (PostgreSQL): its encryption at rest is the server's, and the users
table holds Argon2id password hashes instead. Accounts, roles and the audit log
work the same in both.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher

from app.accounts.access import Principal, Role
from app.accounts.audit import AuditEvent, AuditLog, Pending
from app.accounts.keyslots import (
    PRODUCTION_KDF,
    UNKNOWN_USER,
    KdfParams,
    KeyFile,
    WrongCredentialsError,
    key_file_path,
    login_delay,
    new_db_key,
    now_utc,
)
from app.accounts.opening import (
    NoStoreError,
    check_openable,
    keys_path,
    store_exists,
    uses_key_slots,
)
from app.accounts.users import UserRepository, check_password, check_username
from app.errors import UserError
from app.i18n import _
from app.storage.encryption import encrypt_copy, is_plain_sqlite, replace_wiped
from app.storage.engine import (
    StoreLocation,
    ensure_writable_dir,
)
from app.storage.store import Store, open_store

log = logging.getLogger(__name__)
Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


@dataclass
class Login:
    """A signed-in user with their open store. ``db_key`` is held only for encrypted stores
    (an administrator needs it to add users and rotate the key)."""

    store: Store
    principal: Principal
    db_key: bytes | None = None

    @property
    def location(self) -> StoreLocation:
        return self.store.location

    @property
    def audit(self) -> AuditLog:
        return AuditLog(self.store.engine)

    @property
    def users(self) -> UserRepository:
        return UserRepository(self.store.engine)

    @property
    def key_file(self) -> Path | None:
        return keys_path(self.location)

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Login:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


# -- creating -------------------------------------------------------------------------------


def init_store(
    location: StoreLocation,
    admin: str,
    password: str,
    *,
    kdf: KdfParams = PRODUCTION_KDF,
    roles: frozenset[Role] = frozenset({Role.ADMIN}),
    teams: frozenset[str] = frozenset(),
    clock: Clock = now_utc,
) -> Login:
    """A new store with its first user (an administrator). Refuses an existing store."""
    check_username(admin)
    check_password(password)
    if not uses_key_slots(location):
        return _init_server_store(
            location, admin, password, kdf=kdf, roles=roles, teams=teams, clock=clock
        )
    path = location.sqlite_path
    assert path is not None
    plain = is_plain_sqlite(path)
    if path.exists() and not plain:
        raise UserError(
            _("A store already exists at {path}; nothing was changed.").format(path=path)
        )
    ensure_writable_dir(path.parent)
    keys = key_file_path(path)
    if keys.exists():
        # A key file without its (encrypted) database opens nothing; keep it aside.
        keys.replace(keys.with_name(f"{keys.name}.orphan-{clock().strftime('%Y%m%dT%H%M%S')}"))
    key_file = KeyFile.create(keys, kdf)
    db_key = new_db_key()
    fingerprint = key_file.add_slot(admin, password, db_key)
    encrypted = encrypt_copy(path, db_key) if plain else None
    key_file.save()
    if encrypted is not None:
        # An unencrypted store from before accounts: its records move into the new one.
        replace_wiped(path, encrypted)
    try:
        store = open_store(location, key=db_key)
    except BaseException:
        if encrypted is None:
            keys.unlink(missing_ok=True)
        raise
    try:
        now = clock()
        UserRepository(store.engine).add(admin, roles, teams, now=now, key_fingerprint=fingerprint)
        _audit_created(store, admin, roles, now)
    except BaseException:
        store.close()
        _remove_store_files(path)
        keys.unlink(missing_ok=True)
        raise
    log.info("encrypted store created")
    return Login(store, Principal(admin, roles, teams), db_key)


def _init_server_store(
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
        _audit_created(store, admin, roles, now)
    except BaseException:
        store.close()
        raise
    return Login(store, Principal(admin, roles, teams))


def _password_hasher(kdf: KdfParams) -> PasswordHasher:
    if kdf == PRODUCTION_KDF:
        return PasswordHasher()  # argon2-cffi's RFC 9106 defaults for server stores
    return PasswordHasher(
        time_cost=kdf.time_cost, memory_cost=kdf.memory_cost, parallelism=kdf.parallelism
    )


def _audit_created(store: Store, admin: str, roles: frozenset[Role], now: datetime) -> None:
    AuditLog(store.engine).append_many(
        [
            Pending(admin, AuditEvent.STORE_CREATED, at=now),
            Pending(
                admin,
                AuditEvent.ACCOUNT_ADDED,
                subject=admin,
                detail={"roles": sorted(role.value for role in roles)},
                at=now,
            ),
        ]
    )


def _remove_store_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)


# -- signing in -----------------------------------------------------------------------------


def unlock(
    location: StoreLocation,
    username: str,
    password: str,
    *,
    sleep: Sleep = time.sleep,
    clock: Clock = now_utc,
    check_audit: bool = True,
    upgrade: bool = True,
) -> Login:
    """Sign in: open the store as ``username``. Wrong password, a tampered slot, another
    store's key, a damaged file or an altered audit log each raise one clear
    :class:`UserError`, and nothing stored is changed."""
    if not uses_key_slots(location):
        return _unlock_server_store(
            location,
            username,
            password,
            sleep=sleep,
            clock=clock,
            check_audit=check_audit,
            upgrade=upgrade,
        )
    key_file = check_openable(location)
    assert key_file is not None
    delay = login_delay(key_file.failures_of(username))
    if delay:
        sleep(delay)
    try:
        unlocked = key_file.unlock(username, password)
    except WrongCredentialsError:
        key_file.record_failure(username, clock())
        key_file.save()
        raise
    store, db_key = _open_encrypted(
        location, key_file, unlocked.db_key, unlocked.next_db_key, upgrade=upgrade
    )
    try:
        users = UserRepository(store.engine)
        user = users.get(username)
        if user is None or not user.active:
            raise UserError(_("The account {user} has been removed.").format(user=username))
        if user.key_fingerprint != unlocked.fingerprint:
            raise UserError(
                _(
                    "The key slot of {user} does not belong to this account; nothing was "
                    "changed. An administrator can reset this user's password."
                ).format(user=username)
            )
        audit = AuditLog(store.engine)
        if check_audit:
            audit.check_recent()
        failures = key_file.take_pending_failures()
        cleared = key_file.clear_failures(username)
        audit.append_many(
            [
                *(Pending(name, AuditEvent.LOGIN_FAILED, at=at) for name, at in failures),
                Pending(username, AuditEvent.LOGIN_SUCCEEDED, at=clock()),
            ]
        )
        if failures or cleared:
            key_file.save()
    except BaseException:
        store.close()
        raise
    return Login(store, user.principal(), db_key)


def _open_encrypted(
    location: StoreLocation,
    key_file: KeyFile,
    db_key: bytes,
    next_key: bytes | None,
    *,
    upgrade: bool,
) -> tuple[Store, bytes]:
    """Open with the slot's key; mid-rekey, with whichever key the file has now."""
    keys = (key_file.path,)  # an automatic before-upgrade backup gets the key file too
    try:
        store = open_store(location, key=db_key, upgrade=upgrade, backup_with=keys)
    except UserError:
        if next_key is None:
            raise
        # the rekey ran; its last step did not
        store = open_store(location, key=next_key, upgrade=upgrade, backup_with=keys)
        key_file.finish_rekey()
        key_file.save()
        return store, next_key
    if next_key is not None:  # the rekey stopped before the database changed
        key_file.abort_rekey()
        key_file.save()
    return store, db_key


def _unlock_server_store(
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


def confirm_password(
    login: Login, password: str, *, sleep: Sleep = time.sleep, clock: Clock = now_utc
) -> None:
    """Check the signed-in user's password again (the idle lock), with the same delay and
    failure counting as signing in; raises :class:`WrongCredentialsError`."""
    username = login.principal.username
    keys = login.key_file
    if keys is not None:
        key_file = KeyFile.load(keys)
        delay = login_delay(key_file.failures_of(username))
        if delay:
            sleep(delay)
        try:
            key_file.unlock(username, password)
        except WrongCredentialsError:
            key_file.record_failure(username, clock())
            key_file.save()
            raise
        if key_file.clear_failures(username):
            key_file.save()
        return
    users = UserRepository(login.store.engine)
    delay = login_delay(users.failed_logins(username))
    if delay:
        sleep(delay)
    if users.verify_password(username, password, now=clock()) is None:
        AuditLog(login.store.engine).append(username, AuditEvent.LOGIN_FAILED, at=clock())
        raise WrongCredentialsError()
