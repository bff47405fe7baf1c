"""Creating a store with its first administrator, and signing in to one.

The store in the data directory is an SQLCipher file whose key lives in key
slots (:mod:`app.accounts.keyslots`). A store named by ``--database-url`` is a
server's (PostgreSQL): its encryption at rest is the server's, and each user signs
in as their own database role, which the server holds to what that user may see
(:mod:`app.accounts.server_accounts`, migration ``0009``). Any other store by URL (an
SQLite file elsewhere) keeps Argon2id password hashes in its users table.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from argon2 import PasswordHasher
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError

from app.accounts.access import Principal, Role
from app.accounts.audit import (
    QUICK_CHECK_ENTRIES,
    AuditEvent,
    AuditLog,
    AuditTamperedError,
    Pending,
)
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
from app.accounts.server_accounts import ServerAccounts, check_server_roles
from app.accounts.signing import Signer, set_signer, signing_key_from
from app.accounts.users import UserRepository, check_password, check_username
from app.errors import UserError
from app.i18n import _
from app.storage.encryption import encrypt_copy, is_plain_sqlite, replace_wiped
from app.storage.engine import (
    DATABASE_FILENAME,
    StoreLocation,
    create_store_engine,
    ensure_writable_dir,
)
from app.storage.sealing import FieldKeys, set_field_keys
from app.storage.server import PasswordRefusedError
from app.storage.store import Store, not_a_store_message, open_store

log = logging.getLogger(__name__)
Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


class NoStoreError(UserError):
    def __init__(self) -> None:
        super().__init__(_("No store yet; create one with vagafraga init --admin NAME"))


@dataclass
class Login:
    """A signed-in user with their open store. ``db_key`` is held only for encrypted stores
    (an administrator needs it to add users and rotate the key). ``server_password`` is
    kept, in memory only, by the desktop app for background sync: the team server signs
    the same user in with the same password."""

    store: Store
    principal: Principal
    db_key: bytes | None = None
    signer: Signer | None = None
    _private: bytes | None = field(default=None, repr=False)
    server_password: str | None = field(default=None, repr=False)

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

    def install_keys(self, key_file: KeyFile, private: bytes) -> None:
        """Seal and open fields with this user's key on this store (:mod:`.sealing`): their
        own fields open; anyone's are sealed to the public key in that user's slot, taken
        only where it matches the fingerprint in the (encrypted) users table."""
        trusted = UserRepository(self.store.engine).active_fingerprints()
        publics = {
            name: X25519PublicKey.from_public_bytes(key_file.public_key_of(name))
            for name in key_file.usernames()
            if trusted.get(name) == key_file.fingerprint_of(name)
        }
        keys = FieldKeys(
            key_file.store_id,
            self.principal.username,
            X25519PrivateKey.from_private_bytes(private),
            publics,
        )
        set_field_keys(self.store.engine, keys)
        self._private = private

    def reinstall_keys(self) -> None:
        """After an account change (a new user to seal to) or a new engine (rekey)."""
        path = self.key_file
        if path is not None and self._private is not None:
            self.install_keys(KeyFile.load(path), self._private)
            if self.signer is not None:
                set_signer(self.store.engine, self.signer)

    def move_anchor(self, key_file: KeyFile) -> None:
        """Sign the newest entry as this user's anchor in their slot, and save the file."""
        head = self.audit.head()
        if self.signer is not None and head is not None:
            key_file.set_anchor(self.signer.anchor(key_file.store_id, *head))
        key_file.save()

    def close(self) -> None:
        """Close the store; the user's anchor moves to the newest entry if the log checks."""
        path = self.key_file
        try:
            if self.signer is not None and path is not None:
                key_file = KeyFile.load(path)
                if self.audit.verify(last=QUICK_CHECK_ENTRIES, anchors=key_file.anchors()).ok:
                    self.move_anchor(key_file)
        except (UserError, SQLAlchemyError, OSError) as error:
            log.warning("the audit anchor was not moved at sign-out (%s)", type(error).__name__)
        finally:
            self.store.close()

    def __enter__(self) -> Login:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def uses_key_slots(location: StoreLocation) -> bool:
    """The data directory's store is encrypted with key slots; a database URL is a server's."""
    path = location.sqlite_path
    return path is not None and path == location.data_dir / DATABASE_FILENAME


def keys_path(location: StoreLocation) -> Path | None:
    path = location.sqlite_path
    return key_file_path(path) if path is not None and uses_key_slots(location) else None


def store_exists(location: StoreLocation) -> bool:
    """Whether there is a store to sign in to (without opening it)."""
    if uses_key_slots(location):
        path = location.sqlite_path
        assert path is not None
        return path.exists() or key_file_path(path).exists()
    engine = create_store_engine(location)
    try:
        with engine.connect() as connection:
            return "users" in inspect(connection).get_table_names()
    except Exception:
        return True  # let the real open report what is wrong
    finally:
        engine.dispose()


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
    if location.is_server:
        return _init_server_store(location, admin, password, roles=roles, teams=teams)
    if not uses_key_slots(location):
        return _init_hashed_store(
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
        private = key_file.unlock(admin, password).private_key
        signer = Signer(admin, signing_key_from(private))
        UserRepository(store.engine).add(
            admin, roles, teams, now=now, key_fingerprint=fingerprint, signing_key=signer.public
        )
        set_signer(store.engine, signer)
        _audit_created(store, admin, roles, now)
        login = Login(store, Principal(admin, roles, teams), db_key, signer)
        login.install_keys(key_file, private)
        login.move_anchor(key_file)
    except BaseException:
        store.close()
        _remove_store_files(path)
        keys.unlink(missing_ok=True)
        raise
    log.info("encrypted store created")
    return login


def _init_server_store(
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


def _init_hashed_store(
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
        return PasswordHasher()  # argon2-cffi's RFC 9106 defaults for stores by URL
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


def check_openable(location: StoreLocation) -> KeyFile | None:
    """Before asking for a password: is there a store, with its key file, that could open?

    Returns the key file of an encrypted store (``None`` for a server store); raises
    :class:`NoStoreError` or one clear :class:`UserError` for a missing or damaged file.
    """
    if not uses_key_slots(location):
        if not store_exists(location):
            raise NoStoreError()
        return None
    path = location.sqlite_path
    assert path is not None
    keys = key_file_path(path)
    if not path.exists() and not keys.exists():
        raise NoStoreError()
    if not keys.exists() and is_plain_sqlite(path):
        raise UserError(
            _(
                "The store {path} is not encrypted yet (it was made before accounts existed). "
                "Encrypt it and create its first administrator with: vagafraga init --admin NAME"
            ).format(path=path)
        )
    if not keys.exists():
        hint = _(
            "Its key file {keys} is missing; restore it from the backup made with the database."
        ).format(keys=keys)
        raise UserError(f"{not_a_store_message(location)} {hint}")
    if not path.exists():
        raise UserError(
            _("The database {path} is missing; restore it from a backup.").format(path=path)
        )
    return KeyFile.load(keys)


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
    if location.is_server:
        return _unlock_server_store(location, username, password, check_audit=check_audit)
    if not uses_key_slots(location):
        return _unlock_hashed_store(
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
        signer = Signer(username, signing_key_from(unlocked.private_key))
        users.register_signing_key(username, signer.public)
        set_signer(store.engine, signer)
        login = Login(store, user.principal(), db_key, signer)
        login.install_keys(key_file, unlocked.private_key)
        audit = AuditLog(store.engine)
        # Verify before appending: nothing is written onto a log that was tampered with.
        report = audit.verify(last=QUICK_CHECK_ENTRIES, anchors=key_file.anchors())
        if not report.ok:
            if check_audit:
                raise AuditTamperedError(report.problems[0])
            return login  # an administrator examining the log: sign in, write nothing
        failures = key_file.take_pending_failures()
        key_file.clear_failures(username)
        audit.append_many(
            [
                *(Pending(name, AuditEvent.LOGIN_FAILED, at=at) for name, at in failures),
                Pending(username, AuditEvent.LOGIN_SUCCEEDED, at=clock()),
            ]
        )
        login.move_anchor(key_file)
    except BaseException:
        store.close()
        raise
    return login


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
    check_audit: bool,
) -> Login:
    """Sign in to a server store as the user's own database role: the server checks the
    password (SCRAM, or whatever its pg_hba.conf says); failed attempts are the server's to
    log and slow down (log_connections, auth_delay)."""
    if not store_exists(location):
        raise NoStoreError()
    store = _open_as(location, username, password)
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


def _unlock_hashed_store(
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
    if login.location.is_server:
        check_server_password(login.location, username, password)
        return
    users = UserRepository(login.store.engine)
    delay = login_delay(users.failed_logins(username))
    if delay:
        sleep(delay)
    if users.verify_password(username, password, now=clock()) is None:
        AuditLog(login.store.engine).append(username, AuditEvent.LOGIN_FAILED, at=clock())
        raise WrongCredentialsError()


def check_server_password(location: StoreLocation, username: str, password: str) -> None:
    """Whether the server accepts ``password`` for ``username`` (one new connection)."""
    _open_as(location, username, password).close()
