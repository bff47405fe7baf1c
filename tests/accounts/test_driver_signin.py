"""The desktop app's sign-in on the SQLCipher driver (issue 16): the same checks and the
same audit entries as the whole pipeline, before SQLAlchemy is loaded; anything unusual
left to the whole pipeline, with nothing written first."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.accounts.audit import AuditLog, AuditTamperedError, Pending
from app.accounts.audit_events import AuditEvent
from app.accounts.driver_signin import sign_in_on_driver
from app.accounts.keyslots import KeyFile, WrongCredentialsError
from app.accounts.login import Login
from app.accounts.opening import Unwrapping
from app.accounts.principal import Role
from app.accounts.read_audit import queue_entries
from app.accounts.session import unlock
from app.accounts.signing import Signer, signer_for, signing_key_from
from app.storage.engine import resolve_location
from app.storage.sealing import field_keys_for
from app.storage.sqlite_pragmas import configure
from tests.accounts.test_audit_signed import borrow_signature
from tests.conftest import TEST_PASSWORD, TEST_USERS

pytestmark = pytest.mark.usefixtures("english")

NOW = datetime(2026, 12, 6, 9, 30, tzinfo=UTC)


def _on_driver(
    data_dir: Path, user: str = "test-h01", password: str = TEST_PASSWORD
) -> Login | None:
    location = resolve_location(data_dir)
    return sign_in_on_driver(
        location, user, Unwrapping(location, user, password), clock=lambda: NOW
    )


def _raw(data_dir: Path, sql: str) -> list[Any]:
    """``sql`` on the store's driver, without signing in (as someone with the key would)."""
    import sqlcipher3

    key = KeyFile.load(data_dir / "vagafraga.keys").unlock("test-admin", TEST_PASSWORD).db_key
    connection = sqlcipher3.connect(str(data_dir / "vagafraga.db"))
    try:
        connection.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
        configure(connection, encrypted=True)
        return list(connection.execute(sql).fetchall())
    finally:
        connection.close()


def _entries(data_dir: Path) -> list[tuple[int, str, str, str, str | None]]:
    """(seq, at as stored, actor, event, signer) of every entry, read without signing in."""
    rows = _raw(data_dir, "SELECT seq, at, actor, event, signer FROM audit_log ORDER BY seq")
    return [(int(r[0]), str(r[1]), str(r[2]), str(r[3]), r[4]) for r in rows]


@pytest.fixture
def store_dir(data_dir: Path, init_test_store: Callable[[Path], Path]) -> Path:
    init_test_store(data_dir)
    # Every test user has signed in once on the whole path: their signing keys registered.
    for name in TEST_USERS:
        unlock(resolve_location(data_dir), name, TEST_PASSWORD).close()
    return data_dir


def test_a_usual_store_signs_in_on_the_driver_as_the_whole_path_would(store_dir: Path) -> None:
    before = KeyFile.load(store_dir / "vagafraga.keys").anchors()
    login = _on_driver(store_dir)
    assert login is not None
    assert login.principal.username == "test-h01"
    assert login.principal.roles == frozenset({Role.HANDLER})
    assert login.principal.teams == frozenset({"test-team-a"})
    assert not login.store.engine_made  # SQLAlchemy comes later
    # The sign-in is in the log, signed by its user; the log checks whole on the whole path.
    head = AuditLog(login.store.engine).head()
    assert head is not None
    newest = AuditLog(login.store.engine).verify()
    assert newest.ok, newest.problems
    _seq, at, actor, event, signer = _entries(store_dir)[head[0] - 1]
    assert (actor, event, signer) == ("test-h01", "login_succeeded", "test-h01")
    assert at == "2026-12-06 09:30:00.000000"  # as SQLAlchemy stores a time, to the digit
    # The user's anchor moved to it, with the note of the check, signed.
    key_file = KeyFile.load(store_dir / "vagafraga.keys")
    anchor = next(a for a in key_file.anchors().anchors if a.username == "test-h01")
    old = next(a for a in before.anchors if a.username == "test-h01")
    assert (anchor.seq, anchor.hash) == head
    assert anchor.seq > old.seq
    note = key_file.checked_of("test-h01")
    assert note is not None
    assert login.signer is not None
    assert note.signed_by(key_file.store_id, login.signer.public)
    # The engine made later signs this user's entries and opens their sealed fields.
    assert signer_for(login.store.engine) is login.signer
    keys = field_keys_for(login.store.engine)
    assert keys is not None
    assert keys.owner == "test-h01"
    assert set(keys.publics) == set(TEST_USERS)
    login.close()


def test_the_next_whole_sign_in_accepts_what_the_driver_wrote(store_dir: Path) -> None:
    for _ in range(3):
        login = _on_driver(store_dir)
        assert login is not None
        login.close()
    with unlock(resolve_location(store_dir), "test-h01", TEST_PASSWORD) as again:
        assert again.audit.verify().ok


def test_a_sign_in_on_the_driver_loads_no_sqlalchemy(store_dir: Path) -> None:
    script = f"""
import sys
from app.accounts.driver_signin import sign_in_on_driver
from app.accounts.keyslots import now_utc
from app.accounts.opening import Unwrapping
from app.storage.location import resolve_location
location = resolve_location({str(store_dir)!r})
login = sign_in_on_driver(
    location, "test-h01", Unwrapping(location, "test-h01", {TEST_PASSWORD!r}), clock=now_utc
)
assert login is not None
print(sorted({{name.split(".")[0] for name in sys.modules}} & {{"sqlalchemy", "alembic"}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip() == "[]"


def test_failed_sign_ins_the_key_file_kept_are_written_first(store_dir: Path) -> None:
    with pytest.raises(WrongCredentialsError):
        _on_driver(store_dir, password="not the password")
    assert KeyFile.load(store_dir / "vagafraga.keys").failures_of("test-h01") == 1
    login = _on_driver(store_dir)
    assert login is not None
    login.close()
    events = [(actor, event, signer) for _s, _a, actor, event, signer in _entries(store_dir)]
    assert events[-2:] == [
        ("test-h01", "login_failed", "test-h01"),
        ("test-h01", "login_succeeded", "test-h01"),
    ]
    key_file = KeyFile.load(store_dir / "vagafraga.keys")
    assert key_file.failures_of("test-h01") == 0
    assert key_file.pending_failure_entries() == []


def test_an_altered_log_is_left_to_the_whole_path_which_refuses_it(store_dir: Path) -> None:
    login = unlock(resolve_location(store_dir), "test-admin", TEST_PASSWORD)
    with login, login.store.engine.begin() as connection:
        newest = int(connection.execute(text("SELECT max(seq) FROM audit_log")).scalar())
        borrow_signature(connection, newest - 1, of=newest - 2)
    keys_before = (store_dir / "vagafraga.keys").read_bytes()
    assert _on_driver(store_dir) is None
    assert (store_dir / "vagafraga.keys").read_bytes() == keys_before
    with pytest.raises(AuditTamperedError, match="does not carry"):
        unlock(resolve_location(store_dir), "test-h01", TEST_PASSWORD)


def _set(store_dir: Path, sql: str) -> None:
    login = unlock(resolve_location(store_dir), "test-admin", TEST_PASSWORD)
    with login, login.store.engine.begin() as connection:
        connection.execute(text(sql))


@pytest.mark.parametrize(
    "unusual",
    [
        "UPDATE alembic_version SET version_num = '0001'",  # a schema to upgrade
        "UPDATE users SET signing_keys = NULL WHERE username = 'test-h01'",  # key to register
        "UPDATE users SET disabled_at = '2026-01-01 00:00:00.000000'"
        " WHERE username = 'test-h03'",  # a slot of no active account, to remove
    ],
    ids=["old schema", "signing key not registered", "slot of a removed user"],
)
def test_what_the_whole_path_repairs_is_left_to_it_with_nothing_written(
    store_dir: Path, unusual: str
) -> None:
    _set(store_dir, unusual)
    before = _entries(store_dir)
    keys_before = (store_dir / "vagafraga.keys").read_bytes()
    assert _on_driver(store_dir) is None
    assert (store_dir / "vagafraga.keys").read_bytes() == keys_before
    assert _entries(store_dir) == before


def test_a_removed_user_is_left_to_the_whole_path(store_dir: Path) -> None:
    _set(
        store_dir,
        "UPDATE users SET disabled_at = '2026-01-01 00:00:00.000000' WHERE username = 'test-h01'",
    )
    assert _on_driver(store_dir) is None


@pytest.mark.parametrize("state", ["change", "rekey", "queued", "generation"])
def test_key_file_states_the_whole_path_settles_are_left_to_it(store_dir: Path, state: str) -> None:
    path = store_dir / "vagafraga.keys"
    key_file = KeyFile.load(path)
    if state == "queued":  # a reading session's entries, kept while the store was busy
        unlocked = key_file.unlock("test-h01", TEST_PASSWORD)
        signer = Signer("test-h01", signing_key_from(unlocked.private_key))
        entry = Pending("test-h01", AuditEvent.RECORDS_EXPORTED, at=NOW)
        queue_entries(resolve_location(store_dir), key_file.store_id, [entry], signer)
    elif state == "rekey":  # a database key change stopped after its first phase
        trusted = {name: str(key_file.fingerprint_of(name)) for name in key_file.usernames()}
        key_file.begin_rekey(os.urandom(32), trusted)
        key_file.save()
    elif state == "change":  # an account change a crash cut short
        key_file.begin_change()
        key_file.save()
    else:  # a key change whose audit entry a crash lost
        key_file.audited_generation = key_file.generation - 1
        key_file.save()
    keys_before = path.read_bytes()
    assert _on_driver(store_dir) is None
    assert path.read_bytes() == keys_before


def test_a_database_that_does_not_open_with_the_key_is_left_to_the_whole_path(
    store_dir: Path,
) -> None:
    (store_dir / "vagafraga.db").write_bytes(b"not a database at all" * 100)
    for name in ("vagafraga.db-wal", "vagafraga.db-shm"):
        (store_dir / name).unlink(missing_ok=True)
    assert _on_driver(store_dir) is None


def test_a_write_that_fails_is_rolled_back_and_left_to_the_whole_path(store_dir: Path) -> None:
    """The entries and the head move in one transaction: a write refused half-way (here a
    trigger, as a full disk or a read-only file would) leaves the log as it was."""
    _raw(
        store_dir,
        "CREATE TRIGGER refuse BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no'); END",
    )
    before = _entries(store_dir)
    keys_before = (store_dir / "vagafraga.keys").read_bytes()
    assert _on_driver(store_dir) is None
    assert _entries(store_dir) == before
    assert (store_dir / "vagafraga.keys").read_bytes() == keys_before
    _raw(store_dir, "DROP TRIGGER refuse")
    login = _on_driver(store_dir)  # the head was not moved: the chain goes on from it
    assert login is not None
    assert login.audit.verify().ok
    login.close()
