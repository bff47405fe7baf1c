"""Signing in on the SQLCipher driver alone, so that the app's main window paints before
SQLAlchemy is loaded (about 0.25 s of processor time that would otherwise compete with
the Argon2id on the way in).

The desktop app's sign-in to the store in its data directory takes this path when nothing
about the store is unusual. It checks what :func:`app.accounts.signin.sign_in` checks —
the store opens with the slot's key; its schema is this version's; the user is active and
the slot theirs; the newest audit entries and every user's anchor check (the same walk,
:func:`app.accounts.audit_walk.walk`) — and writes what it writes: the failed sign-ins the
key file kept and the sign-in, in one transaction (:func:`.audit_chain.append_sqlite`),
then the user's anchor and the note of the check in their slot.

Anything else — a schema to upgrade, a change a crash cut short, a key change half done,
entries a reading session queued, a slot of no active account, a first sign-in whose
signing key is not registered yet, an audit finding, any fault of the database — returns
``None`` before anything is written, and the caller takes the whole path, which repairs,
upgrades or says in one line what is wrong. The session's SQLAlchemy engine is made on
first use (:meth:`app.storage.store.Store.later`), with the same keys installed.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any, NamedTuple

from app.accounts.audit_chain import Pending, append_sqlite, sqlite_time
from app.accounts.audit_events import AuditEvent
from app.accounts.audit_walk import BATCH, QUICK_CHECK_ENTRIES, AuditReport, walk
from app.accounts.keyslots import KeyFile, Unlocked
from app.accounts.login import Login, field_keys
from app.accounts.opening import Unwrapping
from app.accounts.principal import Principal, Role
from app.accounts.read_audit import queued_for
from app.accounts.signing import Signer, parse_keys, set_signer, signing_key_from
from app.errors import UserError
from app.referrals.local_files import pending_changes
from app.storage.location import StoreLocation
from app.storage.migrate import head_revision
from app.storage.sealing import FieldKeys, set_field_keys
from app.storage.sqlite_pragmas import configure
from app.storage.store import Store

if TYPE_CHECKING:
    from sqlalchemy import Engine

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]

_ENTRY = "seq, at, actor, event, record_id, subject, detail, prev_hash, hash, signer, signature"


class Entry(NamedTuple):
    """An audit entry as :func:`app.accounts.audit_walk.walk` reads it."""

    seq: int
    at: datetime
    actor: str
    event: str
    record_id: str | None
    subject: str | None
    detail: str
    prev_hash: str
    hash: str
    signer: str | None
    signature: str | None


class Noted(NamedTuple):
    """What an entry's signature check depends on (:mod:`.audit_checked`)."""

    seq: int
    hash: str
    signer: str | None
    signature: str | None


def sign_in_on_driver(
    location: StoreLocation, username: str, unwrapping: Unwrapping, *, clock: Clock
) -> Login | None:
    """Sign ``username`` in to write, as the app does, or ``None``: the whole path must
    (see the module's text). A wrong password raises as the whole path would."""
    key_file, unlocked = unwrapping.result()
    path = location.sqlite_path
    if path is None or not _usual(location, key_file, unlocked, username):
        return None
    import sqlcipher3

    try:
        connection = sqlcipher3.connect(str(path))  # used on this thread only, then closed
    except sqlcipher3.Error:
        return None
    try:
        connection.execute(f"PRAGMA key = \"x'{unlocked.db_key.hex()}'\"")
        configure(connection, encrypted=True)
        checked = _checked(connection, location, key_file, unlocked, username)
        if checked is None:
            return None
        login, report = checked
        head = _recorded(connection, key_file, login, username, clock)
    except (sqlcipher3.Error, UserError, ValueError, KeyError, TypeError) as error:
        log.info("signing in on the whole path (%s)", type(error).__name__)
        return None
    finally:
        connection.close()
    # The entries are in the log: what follows is the key file's, as on the whole path.
    key_file.take_pending_failures()
    key_file.clear_failures(username)
    login.checked = report.checked
    login.move_anchor(key_file, head)
    return login


def _usual(location: StoreLocation, key_file: KeyFile, unlocked: Unlocked, username: str) -> bool:
    """Nothing for the whole path to repair, finish or append first."""
    return (
        unlocked.next_db_key is None
        and not key_file.changes
        and key_file.generation <= key_file.audited_generation
        and not pending_changes(location.data_dir)
        and not queued_for(location, key_file.store_id, username)
    )


def _checked(
    connection: Any,
    location: StoreLocation,
    key_file: KeyFile,
    unlocked: Unlocked,
    username: str,
) -> tuple[Login, AuditReport] | None:
    """The user and the audit log checked in one read snapshot; ``None``: not usual."""
    connection.execute("BEGIN")
    try:
        revisions = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if [str(row[0]) for row in revisions] != [head_revision()]:
            return None
        user = connection.execute(
            "SELECT roles, teams, key_fingerprint, disabled_at, signing_keys FROM users"
            " WHERE username = ?",
            (username,),
        ).fetchone()
        if user is None or user[3] is not None or user[2] != unlocked.fingerprint:
            return None
        signer = Signer(username, signing_key_from(unlocked.private_key))
        if signer.public not in parse_keys(user[4]):
            return None
        trusted = {
            str(name): str(fingerprint)
            for name, fingerprint in connection.execute(
                "SELECT username, key_fingerprint FROM users"
                " WHERE disabled_at IS NULL AND key_fingerprint IS NOT NULL"
            )
        }
        if any(name not in trusted for name in key_file.usernames()):
            return None
        principal = Principal(
            username,
            frozenset(Role(role) for role in json.loads(user[0])),
            frozenset(json.loads(user[1])),
        )
        keys = field_keys(key_file, username, unlocked.private_key, trusted)
        store = Store.later(location, partial(_engine, location, unlocked.db_key, signer, keys))
        login = Login(store, principal, unlocked.db_key, signer, _private=unlocked.private_key)
        report = walk(
            _Entries(connection),
            last=QUICK_CHECK_ENTRIES,
            anchors=key_file.anchors(),
            earlier=login.earlier_check(key_file),
        )
    finally:
        connection.execute("COMMIT")
    return (login, report) if report.ok else None


def _recorded(
    connection: Any, key_file: KeyFile, login: Login, username: str, clock: Clock
) -> tuple[int, str]:
    """The failed sign-ins the key file kept and this one, appended in one transaction;
    the newest entry. Whatever stops the write rolls it back and is raised."""
    failures = key_file.pending_failure_entries()
    entries = [
        *(Pending(name, AuditEvent.LOGIN_FAILED, at=at) for name, at in failures),
        Pending(username, AuditEvent.LOGIN_SUCCEEDED, at=clock()),
    ]
    connection.execute("BEGIN IMMEDIATE")
    try:
        append_sqlite(connection.execute, entries, login.signer)
        head = connection.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchone()
        connection.execute("COMMIT")
    except Exception:
        connection.execute("ROLLBACK")
        raise
    return int(head[0]), str(head[1])


def _engine(location: StoreLocation, key: bytes, signer: Signer, keys: FieldKeys) -> Engine:
    """The session's engine, made once SQLAlchemy is wanted, with the user's keys."""
    from app.storage.engine import create_store_engine

    engine = create_store_engine(location, key=key)
    set_signer(engine, signer)
    set_field_keys(engine, keys)
    return engine


class _Entries:
    """The log as the driver reads it (:class:`app.accounts.audit_walk.AuditSource`)."""

    def __init__(self, connection: Any) -> None:
        self._connection = connection

    def _one(self, sql: str, *parameters: Any) -> Any:
        return self._connection.execute(sql, parameters).fetchone()

    def head(self) -> tuple[int, str] | None:
        row = self._one("SELECT seq, hash FROM audit_head")
        return (int(row[0]), str(row[1])) if row is not None else None

    def positions(self, start: int) -> dict[str, int]:
        rows = self._connection.execute("SELECT seq, hash FROM audit_log WHERE seq > ?", (start,))
        return {str(digest): int(seq) for seq, digest in rows}

    def keys(self) -> dict[str, list[str]]:
        rows = self._connection.execute("SELECT username, signing_keys FROM users")
        return {str(name): parse_keys(keys) for name, keys in rows}

    def signed_at(self, seq: int) -> bool:
        row = self._one("SELECT signature IS NOT NULL FROM audit_log WHERE seq = ?", seq)
        return row is not None and bool(row[0])

    def batches(self, start: int) -> Iterator[Sequence[Any]]:
        cursor = self._connection.execute(
            f"SELECT {_ENTRY} FROM audit_log WHERE seq > ? ORDER BY seq", (start,)
        )
        while rows := cursor.fetchmany(BATCH):
            yield [Entry(row[0], sqlite_time(row[1]), *row[2:]) for row in rows]

    def checked_rows(self, after: int, through: int) -> Iterable[Any]:
        rows = self._connection.execute(
            "SELECT seq, hash, signer, signature FROM audit_log WHERE seq > ? AND seq <= ?"
            " ORDER BY seq",
            (after, through),
        )
        return [Noted(*row) for row in rows]

    def hash_at(self, seq: int) -> str | None:
        row = self._one("SELECT hash FROM audit_log WHERE seq = ?", seq)
        return str(row[0]) if row is not None else None
