"""Creating a store with its first administrator, and signing in to one.

The store in the data directory is an SQLCipher file whose key lives in key
slots (:mod:`app.accounts.keyslots`); signing in also opens the user's signing key and
the key to their sealed fields. A store named by ``--database-url`` is a server's
(PostgreSQL) or another database's: :mod:`app.accounts.url_stores`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

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
    KdfParams,
    KeyFile,
    WrongCredentialsError,
    key_file_path,
    login_delay,
    new_db_key,
    now_utc,
)
from app.accounts.login import Login, audit_created
from app.accounts.opening import (
    NoStoreError,
    check_openable,
    keys_path,
    store_exists,
    uses_key_slots,
)
from app.accounts.repair import repair_interrupted_changes
from app.accounts.signing import Signer, set_signer, signing_key_from
from app.accounts.url_stores import (
    check_server_password,
    confirm_hashed_password,
    init_hashed_store,
    init_server_store,
    unlock_hashed_store,
    unlock_server_store,
)
from app.accounts.users import UserRepository, check_password, check_username
from app.errors import UserError
from app.i18n import _
from app.storage.encryption import encrypt_copy, is_plain_sqlite, replace_wiped
from app.storage.engine import StoreLocation, ensure_writable_dir
from app.storage.store import Store, open_store

__all__ = [  # what callers import from here
    "Login",
    "NoStoreError",
    "check_openable",
    "check_server_password",
    "confirm_password",
    "init_store",
    "keys_path",
    "store_exists",
    "unlock",
    "uses_key_slots",
]

log = logging.getLogger(__name__)
Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


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
    private_key: bytes | None = None,
) -> Login:
    """A new store with its first user (an administrator). Refuses an existing store.

    ``private_key``: the user's X25519 key pair to keep in their slot (a handler's own key
    brought back from the team server, so their synced sealed fields open here too)."""
    check_username(admin)
    check_password(password)
    if location.is_server:
        return init_server_store(location, admin, password, roles=roles, teams=teams)
    if not uses_key_slots(location):
        return init_hashed_store(
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
    fingerprint = key_file.add_slot(admin, password, db_key, private_key=private_key)
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
        audit_created(store, admin, roles, now)
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
    if location.is_server:
        return unlock_server_store(location, username, password, check_audit=check_audit)
    if not uses_key_slots(location):
        return unlock_hashed_store(
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
        repair_interrupted_changes(key_file, store.engine, username)
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
    confirm_hashed_password(login, password, sleep=sleep, clock=clock)
