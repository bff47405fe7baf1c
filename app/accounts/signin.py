"""Signing in: the one path from where a store is to a signed-in store.

    locate → unlock → open → check the schema → verify the audit → signed in

Every command and the app take it through :func:`sign_in`, in one of two modes:

* :attr:`Mode.WRITE` (the app, and every command that changes something): the store is
  opened read-write and brought to this version's schema (after a backup), a key change
  left half-done is finished or undone, failed sign-ins are recorded in the key file, and
  the sign-in is appended to the audit log at once.
* :attr:`Mode.READ` (``stats``, ``records list``/``export``, ``audit``, ``db check``): the
  store is opened read-only, so it reads while another program holds the write lock and
  from read-only media; nothing is written on the way in. What the session must leave in
  the audit log (its sign-in, an export) is appended when it closes, or queued and never
  lost (:mod:`app.accounts.read_audit`). A store whose schema is older than this version is
  first upgraded as in :attr:`Mode.WRITE` (when its folder can be written).

A store named by a database URL (a server, or an SQLite file elsewhere) has no key slots:
:mod:`app.accounts.url_stores`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from app.accounts.audit import (
    QUICK_CHECK_ENTRIES,
    AuditEvent,
    AuditLog,
    AuditTamperedError,
    Pending,
)
from app.accounts.keyslots import KeyFile, Unlocked, now_utc
from app.accounts.login import Login
from app.accounts.opening import Unwrapping, uses_key_slots
from app.accounts.read_audit import ReadAudit, drain_queued, forget_queued
from app.accounts.repair import repair_interrupted_changes
from app.accounts.signing import Signer, set_signer, signing_key_from
from app.accounts.url_stores import unlock_hashed_store, unlock_server_store
from app.accounts.users import UserRepository
from app.errors import UserError
from app.i18n import _
from app.storage.engine import StoreLocation
from app.storage.sqlite_faults import StoreReadOnlyError
from app.storage.store import Store, open_store

log = logging.getLogger(__name__)
Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


class Mode(Enum):
    READ = "read"
    WRITE = "write"


def sign_in(
    location: StoreLocation,
    username: str,
    password: str,
    *,
    mode: Mode = Mode.WRITE,
    sleep: Sleep = time.sleep,
    clock: Clock = now_utc,
    check_audit: bool = True,
    upgrade: bool = True,
    unwrapping: Unwrapping | None = None,
) -> Login:
    """Sign in as ``username``. Wrong password, a tampered slot, another store's key, a
    store in use, a full disk, a damaged file or an altered audit log each raise one clear
    :class:`UserError`, and nothing stored is changed. ``check_audit=False``: an
    administrator examining an altered log signs in and nothing is written.
    ``upgrade=False``: the schema is left as it is (``db upgrade`` and ``db check``).
    ``unwrapping``: the first two steps, already started by the caller
    (:class:`~app.accounts.opening.Unwrapping`)."""
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
    if unwrapping is None:
        unwrapping = Unwrapping(location, username, password, sleep=sleep, clock=clock)
    key_file, unlocked = unwrapping.result()
    opened = open_unlocked(location, key_file, unlocked, mode=mode, upgrade=upgrade)
    try:
        login = signed_in(opened, key_file, unlocked, username, mode)
        report = AuditLog(opened.store.engine).verify(
            last=QUICK_CHECK_ENTRIES,
            anchors=key_file.anchors(),
            earlier=login.earlier_check(key_file),
        )
        if not report.ok:
            if check_audit:
                raise AuditTamperedError(report.problems[0])
            return login  # an administrator examining the log: no sign-in entry on it
        login.checked = report.checked
        if mode is Mode.WRITE:
            # a change cut short by a crash (its slots written, its audit entry or not) is
            # completed or undone first, with an audit entry saying so
            repair_interrupted_changes(key_file, opened.store.engine, username)
            record_sign_in(login, key_file, username, clock)
        else:
            login.audit_writer.append(username, AuditEvent.LOGIN_SUCCEEDED, at=clock())
    except BaseException:
        opened.store.close()
        raise
    return login


# -- the steps --------------------------------------------------------------------------------


@dataclass
class Opened:
    store: Store
    db_key: bytes


def open_unlocked(
    location: StoreLocation,
    key_file: KeyFile,
    unlocked: Unlocked,
    *,
    mode: Mode,
    upgrade: bool,
) -> Opened:
    """Open the store with the slot's key (mid-rekey: with whichever key the file has now)
    and check its schema."""
    if mode is Mode.READ:
        return _open_to_read(location, key_file, unlocked, upgrade=upgrade)
    keys = (key_file.path,)  # an automatic before-upgrade backup gets the key file too
    try:
        store = open_store(location, key=unlocked.db_key, upgrade=upgrade, backup_with=keys)
    except UserError:
        if unlocked.next_db_key is None:
            raise
        # the rekey ran; its last step did not
        store = open_store(location, key=unlocked.next_db_key, upgrade=upgrade, backup_with=keys)
        key_file.finish_rekey()
        key_file.save()
        return Opened(store, unlocked.next_db_key)
    if unlocked.next_db_key is not None:  # the rekey stopped before the database changed
        key_file.abort_rekey()
        key_file.save()
    return Opened(store, unlocked.db_key)


def _open_to_read(
    location: StoreLocation, key_file: KeyFile, unlocked: Unlocked, *, upgrade: bool
) -> Opened:
    from app.storage import migrate

    keys = [unlocked.db_key]
    if unlocked.next_db_key is not None:
        keys.append(unlocked.next_db_key)  # mid-rekey; the next writing sign-in settles it
    for number, key in enumerate(keys, start=1):
        try:
            store = open_store(location, key=key, read_only=True)
            break
        except UserError:
            if number == len(keys):
                raise
    current = migrate.current_revision(store.engine)
    if not upgrade or current == migrate.head_revision():
        return Opened(store, key)
    # An older schema: upgraded (after a backup) as a writing sign-in would, then read.
    store.close()
    try:
        open_unlocked(location, key_file, unlocked, mode=Mode.WRITE, upgrade=True).store.close()
    except StoreReadOnlyError:
        raise UserError(
            _(
                "The store {store} needs a schema upgrade, which cannot be written where it "
                "is; copy it to a folder that can be written, or use the version that made it."
            ).format(store=location.describe())
        ) from None
    return _open_to_read(location, KeyFile.load(key_file.path), unlocked, upgrade=False)


def signed_in(
    opened: Opened, key_file: KeyFile, unlocked: Unlocked, username: str, mode: Mode
) -> Login:
    """The user, checked against the store (still there; the slot theirs), with the keys
    their slot opened installed: signing their audit entries, opening their sealed fields."""
    store = opened.store
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
    if mode is Mode.WRITE:
        users.register_signing_key(username, signer.public)  # a reading session: at its close
    set_signer(store.engine, signer)
    login = Login(store, user.principal(), opened.db_key, signer)
    login.install_keys(key_file, unlocked.private_key)
    if mode is Mode.READ:
        login.read_audit = ReadAudit(
            store.location, key_file.path, opened.db_key, signer, key_file.store_id
        )
    return login


def record_sign_in(login: Login, key_file: KeyFile, username: str, clock: Clock) -> None:
    """A writing sign-in's audit entries: the failed attempts the key file kept, this
    user's entries queued by earlier reads, the sign-in; then the user's anchor moves."""
    engine = login.store.engine
    queued, digests = drain_queued(login.location, key_file.store_id, username, engine)
    failures = key_file.take_pending_failures()
    key_file.clear_failures(username)
    AuditLog(engine).append_many(
        [
            *queued,
            *(Pending(name, AuditEvent.LOGIN_FAILED, at=at) for name, at in failures),
            Pending(username, AuditEvent.LOGIN_SUCCEEDED, at=clock()),
        ]
    )
    forget_queued(login.location, key_file.store_id, digests)
    login.move_anchor(key_file)
