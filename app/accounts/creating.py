"""Creating a store with its first user (an administrator).

The store in the data directory is an SQLCipher file whose key lives in key slots
(:mod:`app.accounts.keyslots`); an unencrypted store from before accounts is encrypted on
the way. A store named by ``--database-url`` is created by :mod:`app.accounts.url_stores`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from app.accounts.keyslots import (
    PRODUCTION_KDF,
    KdfParams,
    KeyFile,
    key_file_path,
    new_db_key,
    now_utc,
)
from app.accounts.login import Login, audit_created
from app.accounts.opening import uses_key_slots
from app.accounts.principal import Principal, Role
from app.accounts.signing import Signer, set_signer, signing_key_from
from app.accounts.url_stores import init_hashed_store, init_server_store
from app.accounts.users import UserRepository, check_password, check_username
from app.errors import UserError
from app.i18n import _
from app.storage.encryption import encrypt_copy, is_plain_sqlite, replace_wiped
from app.storage.engine import StoreLocation, ensure_writable_dir
from app.storage.store import open_store

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


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
