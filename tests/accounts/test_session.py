"""Creating a store and signing in: the happy path and every way it must refuse."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from app.accounts.access import Role
from app.accounts.audit import AuditEvent
from app.accounts.keyslots import KeyFile, WrongCredentialsError, new_db_key
from app.accounts.session import NoStoreError, init_store, store_exists, unlock, uses_key_slots
from app.errors import UserError
from app.storage.engine import StoreLocation, resolve_location
from app.storage.store import open_store
from tests.accounts.conftest import CHEAP, PASSWORD, no_sleep


def fingerprint_of_files(folder: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.iterdir())
        if path.is_file() and not path.name.endswith(("-wal", "-shm"))
    }


def test_init_creates_an_encrypted_store_with_its_first_admin(location: StoreLocation) -> None:
    assert not store_exists(location)
    with init_store(location, "test-admin", PASSWORD, kdf=CHEAP) as login:
        assert login.principal.roles == frozenset({Role.ADMIN})
    assert uses_key_slots(location)
    assert store_exists(location)
    db = location.sqlite_path
    assert db is not None
    assert not db.read_bytes().startswith(b"SQLite format 3")
    assert db.with_suffix(".keys").exists()
    with unlock(location, "test-admin", PASSWORD, sleep=no_sleep) as again:
        events = [entry.event for entry in again.audit.entries()]
    assert events == ["store_created", "account_added", "login_succeeded"]


def test_init_refuses_an_existing_store(location: StoreLocation, admin) -> None:
    with pytest.raises(UserError, match="already exists"):
        init_store(location, "test-other", PASSWORD, kdf=CHEAP)


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [("Anna Andersson", PASSWORD, "not a valid user name"), ("test-a", "short", "at least")],
)
def test_init_refuses_bad_names_and_short_passwords(
    location: StoreLocation, name: str, password: str, message: str
) -> None:
    with pytest.raises(UserError, match=message):
        init_store(location, name, password, kdf=CHEAP)
    assert not store_exists(location)


def test_signing_in_gives_the_users_roles_and_teams(sign_in) -> None:
    login = sign_in("test-lead")
    assert login.principal.roles == frozenset({Role.TEAM_LEAD})
    assert login.principal.teams == frozenset({"test-team-a"})


def test_no_store_yet_says_how_to_create_one(location: StoreLocation) -> None:
    with pytest.raises(NoStoreError, match="vagafraga init --admin NAME"):
        unlock(location, "test-admin", PASSWORD)


def test_a_wrong_password_is_one_message_no_noise_and_no_data_change(
    location: StoreLocation, admin, capfd: pytest.CaptureFixture[str]
) -> None:
    admin.close()
    folder = location.data_dir
    before = fingerprint_of_files(folder)
    with pytest.raises(WrongCredentialsError):
        unlock(location, "test-h01", "not the password", sleep=no_sleep)
    captured = capfd.readouterr()
    assert (captured.out, captured.err) == ("", "")
    after = fingerprint_of_files(folder)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed <= {"vagafraga.keys"}  # only the failure counter
    assert fingerprint_of_files(folder)["vagafraga.db"] == before["vagafraga.db"]


def test_failed_logins_slow_down_the_next_try_and_reach_the_audit_log(
    location: StoreLocation, admin
) -> None:
    slept: list[float] = []
    for _ in range(4):
        with pytest.raises(WrongCredentialsError):
            unlock(location, "test-h01", "wrong password!", sleep=slept.append)
    assert slept == [1.0, 2.0]
    with unlock(location, "test-h01", PASSWORD, sleep=slept.append) as login:
        events = [(e.actor, e.event) for e in login.audit.entries()][-5:]
    assert slept[-1] == 4.0
    assert events == [("test-h01", "login_failed")] * 4 + [("test-h01", "login_succeeded")]
    with unlock(location, "test-h01", PASSWORD, sleep=no_sleep):
        pass  # the counter was reset by the good login


def test_a_store_encrypted_with_another_key_is_one_clear_message(
    location: StoreLocation, admin, tmp_path: Path
) -> None:
    admin.close()
    keys = KeyFile.load(location.data_dir / "vagafraga.keys")
    keys.add_slot("test-admin", PASSWORD, new_db_key())  # the slot now opens a different key
    keys.save()
    with pytest.raises(UserError, match="encrypted with another key"):
        unlock(location, "test-admin", PASSWORD, sleep=no_sleep)


def test_a_damaged_database_file_is_one_clear_message(location: StoreLocation, admin) -> None:
    admin.close()
    db = location.sqlite_path
    assert db is not None
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    data = bytearray(db.read_bytes())
    data[100:4000] = bytes(3900)
    db.write_bytes(bytes(data))
    with pytest.raises(UserError, match="damaged"):
        unlock(location, "test-admin", PASSWORD, sleep=no_sleep)


def test_a_tampered_slot_is_one_clear_message_and_changes_nothing(
    location: StoreLocation, admin
) -> None:
    admin.close()
    path = location.data_dir / "vagafraga.keys"
    data = json.loads(path.read_text())
    data["slots"]["test-h01"]["kdf"]["salt"] = data["slots"]["test-h02"]["kdf"]["salt"]
    path.write_text(json.dumps(data))
    before = fingerprint_of_files(location.data_dir)
    with pytest.raises(UserError, match="altered or damaged"):
        unlock(location, "test-h01", PASSWORD, sleep=no_sleep)
    assert fingerprint_of_files(location.data_dir) == before


def test_a_missing_key_file_is_named(location: StoreLocation, admin) -> None:
    admin.close()
    (location.data_dir / "vagafraga.keys").unlink()
    with pytest.raises(UserError, match="key file"):
        unlock(location, "test-admin", PASSWORD, sleep=no_sleep)


def test_an_audit_table_edited_by_hand_stops_the_sign_in(location: StoreLocation, admin) -> None:
    with admin.store.engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET actor = 'test-h02' WHERE seq = 2"))
    admin.close()
    with pytest.raises(UserError, match="audit log has been altered") as error:
        unlock(location, "test-h01", PASSWORD, sleep=no_sleep)
    assert "entry 2" in error.value.message
    # an administrator can still get in to examine it
    with unlock(location, "test-admin", PASSWORD, sleep=no_sleep, check_audit=False) as login:
        assert not login.audit.verify().ok


def test_a_removed_account_cannot_sign_in_even_with_an_old_slot(
    location: StoreLocation, admin
) -> None:
    path = location.data_dir / "vagafraga.keys"
    saved = path.read_bytes()
    from app.accounts.admin import AccountService

    AccountService(admin).remove("test-h02")
    path.write_bytes(saved)  # someone put the old key file back
    with pytest.raises(UserError, match="removed"):
        unlock(location, "test-h02", PASSWORD, sleep=no_sleep)


def test_an_interrupted_rekey_is_finished_at_the_next_sign_in(
    location: StoreLocation, admin
) -> None:
    keys_path = location.data_dir / "vagafraga.keys"
    keys = KeyFile.load(keys_path)
    fresh = new_db_key()
    keys.begin_rekey(fresh, admin.users.active_fingerprints())
    keys.save()
    # the database was re-encrypted, then the process died before the key file's last step
    engine = admin.store.engine
    engine.dispose()
    raw = engine.raw_connection()
    raw.driver_connection.execute(f"PRAGMA rekey = \"x'{fresh.hex()}'\"")
    raw.close()
    admin.close()
    with unlock(location, "test-h03", PASSWORD, sleep=no_sleep) as login:
        assert login.db_key == fresh
    assert KeyFile.load(keys_path).generation == 2


def test_an_interrupted_rekey_before_the_database_changed_is_undone(
    location: StoreLocation, admin
) -> None:
    keys_path = location.data_dir / "vagafraga.keys"
    keys = KeyFile.load(keys_path)
    old = admin.db_key
    keys.begin_rekey(new_db_key(), admin.users.active_fingerprints())
    keys.save()
    admin.close()
    with unlock(location, "test-h03", PASSWORD, sleep=no_sleep) as login:
        assert login.db_key == old
    assert all(slot["next_db_key"] is None for slot in KeyFile.load(keys_path).slots.values())


def test_a_server_store_keeps_password_hashes_and_the_same_audit(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    location = resolve_location(tmp_path / "data", url)
    assert not uses_key_slots(location)
    init_store(location, "test-admin", PASSWORD).close()
    assert not (tmp_path / "shared.db").with_suffix(".keys").exists()
    with pytest.raises(WrongCredentialsError):
        unlock(location, "test-admin", "wrong password!", sleep=no_sleep)
    with unlock(location, "test-admin", PASSWORD, sleep=no_sleep) as login:
        assert login.principal.has(Role.ADMIN)
        assert login.db_key is None
        events = [e.event for e in login.audit.entries()]
    assert events[-2:] == [AuditEvent.LOGIN_FAILED, AuditEvent.LOGIN_SUCCEEDED]
    with open_store(location) as plain, plain.engine.connect() as connection:
        stored = connection.execute(text("SELECT password_hash FROM users")).scalar_one()
    assert stored.startswith("$argon2id$")


def test_init_encrypts_an_unencrypted_store_from_before_accounts(
    location: StoreLocation, make_record
) -> None:
    marker = "MARKER-7f3a"
    record = make_record(notes=f"{marker} kept", case_reference=f"{marker}-1")
    with open_store(location) as plain:
        plain.records.add(record)
    db = location.sqlite_path
    assert db is not None
    assert db.read_bytes().startswith(b"SQLite format 3")
    with init_store(location, "test-admin", PASSWORD, kdf=CHEAP) as login:
        assert login.store.records.get(record.id) == record
    folder = location.data_dir
    for path in folder.rglob("*"):
        if path.is_file():
            assert marker.encode() not in path.read_bytes(), path
    with unlock(location, "test-admin", PASSWORD, sleep=no_sleep) as again:
        assert again.store.records.count() == 1


def test_demo_store_users_sign_in_with_the_shown_passwords(tmp_path: Path) -> None:
    from app.accounts.demo import DEMO_USERS, create_demo_store

    location = create_demo_store(tmp_path / "demo", records=300)
    for name, (password, roles, _teams) in DEMO_USERS.items():
        with unlock(location, name, password, sleep=no_sleep) as login:
            assert login.principal.roles == roles
    with unlock(location, "demo-h01", DEMO_USERS["demo-h01"][0], sleep=no_sleep) as login:
        from app.accounts.services import RecordService

        own = RecordService(login.store, login.principal).list()
        assert own
        assert {item.handler for item in own} == {"demo-h01"}
