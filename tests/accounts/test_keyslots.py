"""Key slots: wrap, unwrap, re-wrap, tamper detection, failure counting."""

from __future__ import annotations

import base64
import itertools
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from app.accounts.keyslots import (
    KeyFile,
    KeyFileDamagedError,
    SlotTamperedError,
    WrongCredentialsError,
    login_delay,
    new_db_key,
)
from tests.accounts.conftest import CHEAP


@pytest.fixture
def key_file(tmp_path: Path) -> tuple[KeyFile, bytes]:
    keys = KeyFile.create(tmp_path / "vagafraga.keys", CHEAP)
    db_key = new_db_key()
    keys.add_slot("test-a", "password-a-123", db_key)
    keys.add_slot("test-b", "password-b-123", db_key)
    keys.save()
    return keys, db_key


def reload(keys: KeyFile) -> KeyFile:
    return KeyFile.load(keys.path)


def test_each_slot_opens_the_same_database_key(key_file) -> None:
    keys, db_key = key_file
    assert reload(keys).unlock("test-a", "password-a-123").db_key == db_key
    assert reload(keys).unlock("test-b", "password-b-123").db_key == db_key


def test_the_file_holds_no_key_and_no_password_in_clear(key_file) -> None:
    keys, db_key = key_file
    raw = keys.path.read_bytes()
    for secret in (db_key, db_key.hex().encode(), base64.b64encode(db_key), b"password-a-123"):
        assert secret not in raw
    assert oct(keys.path.stat().st_mode & 0o777) == "0o600"


@pytest.mark.parametrize(
    ("username", "password"),
    [("test-a", "password-b-123"), ("test-a", ""), ("nobody", "password-a-123")],
)
def test_a_wrong_password_or_unknown_user_is_the_same_message(
    key_file, username: str, password: str
) -> None:
    keys, _ = key_file
    with pytest.raises(WrongCredentialsError) as error:
        reload(keys).unlock(username, password)
    assert error.value.message == WrongCredentialsError().message


def test_changing_a_password_rewraps_only_that_slot(key_file) -> None:
    keys, db_key = key_file
    before = json.loads(keys.path.read_text())["slots"]
    keys.change_password("test-a", "password-a-123", "new-password-456")
    keys.save()
    after = json.loads(keys.path.read_text())["slots"]
    assert after["test-b"] == before["test-b"]
    assert after["test-a"]["private_key"] != before["test-a"]["private_key"]
    assert after["test-a"]["db_key"] == before["test-a"]["db_key"]
    assert reload(keys).unlock("test-a", "new-password-456").db_key == db_key
    with pytest.raises(WrongCredentialsError):
        reload(keys).unlock("test-a", "password-a-123")


def test_changing_a_password_needs_the_old_one(key_file) -> None:
    keys, _ = key_file
    with pytest.raises(WrongCredentialsError):
        keys.change_password("test-a", "not-the-password", "new-password-456")


def test_a_removed_slot_opens_nothing(key_file) -> None:
    keys, _ = key_file
    keys.remove_slot("test-b")
    keys.save()
    with pytest.raises(WrongCredentialsError):
        reload(keys).unlock("test-b", "password-b-123")


def test_rekey_seals_the_new_key_to_every_slot_without_their_passwords(key_file) -> None:
    keys, old = key_file
    fresh = new_db_key()
    trusted = {name: keys.fingerprint_of(name) for name in keys.usernames()}
    keys.begin_rekey(fresh, trusted)
    keys.save()
    mid = reload(keys).unlock("test-b", "password-b-123")
    assert (mid.db_key, mid.next_db_key) == (old, fresh)
    keys.finish_rekey()
    keys.save()
    for name, password in (("test-a", "password-a-123"), ("test-b", "password-b-123")):
        opened = reload(keys).unlock(name, password)
        assert (opened.db_key, opened.next_db_key) == (fresh, None)


def test_rekey_refuses_a_slot_whose_public_key_was_swapped(key_file) -> None:
    keys, _ = key_file
    trusted = {name: keys.fingerprint_of(name) for name in keys.usernames()}
    intruder = KeyFile.create(keys.path.with_name("other.keys"), CHEAP)
    intruder.store_id = keys.store_id
    intruder.add_slot("test-b", "attacker-password", new_db_key())
    keys.slots["test-b"] = intruder.slots["test-b"]  # digest recomputed by the attacker's tool
    with pytest.raises(SlotTamperedError):
        keys.begin_rekey(new_db_key(), trusted)


def _flip(text: str) -> str:
    raw = bytearray(base64.b64decode(text))
    raw[len(raw) // 2] ^= 0x01
    return base64.b64encode(bytes(raw)).decode()


def test_a_bit_flip_in_a_slot_is_reported_as_tampering(key_file) -> None:
    keys, _ = key_file
    data = json.loads(keys.path.read_text())
    data["slots"]["test-a"]["private_key"]["ciphertext"] = _flip(
        data["slots"]["test-a"]["private_key"]["ciphertext"]
    )
    keys.path.write_text(json.dumps(data))
    before = keys.path.read_bytes()
    with pytest.raises(SlotTamperedError, match="test-a"):
        reload(keys).unlock("test-a", "password-a-123")
    assert keys.path.read_bytes() == before


def test_a_bit_flip_with_a_recomputed_digest_still_fails_the_tag(key_file) -> None:
    keys, _ = key_file
    slot = dict(keys.slots["test-a"])
    slot["db_key"] = dict(slot["db_key"], ciphertext=_flip(slot["db_key"]["ciphertext"]))
    keys._store("test-a", slot)  # an attacker can recompute the plain digest
    keys.save()
    with pytest.raises(SlotTamperedError):
        reload(keys).unlock("test-a", "password-a-123")


def test_swapped_user_names_are_reported_as_tampering(key_file) -> None:
    keys, _ = key_file
    data = json.loads(keys.path.read_text())
    data["slots"]["test-a"], data["slots"]["test-b"] = (
        data["slots"]["test-b"],
        data["slots"]["test-a"],
    )
    keys.path.write_text(json.dumps(data))
    with pytest.raises(SlotTamperedError):
        reload(keys).unlock("test-a", "password-b-123")
    # Even with the names inside rewritten and the digests recomputed, the AEAD binding holds.
    swapped = reload(keys)
    for name in ("test-a", "test-b"):
        slot = dict(swapped.slots[name], username=name)
        swapped._store(name, slot)
    with pytest.raises(SlotTamperedError):
        swapped.unlock("test-a", "password-b-123")


def test_a_slot_from_another_store_does_not_open(key_file, tmp_path: Path) -> None:
    keys, _ = key_file
    other = KeyFile.create(tmp_path / "other.keys", CHEAP)
    other.add_slot("test-a", "password-a-123", new_db_key())
    keys.slots["test-a"] = other.slots["test-a"]
    with pytest.raises(SlotTamperedError):
        keys.unlock("test-a", "password-a-123")


@pytest.mark.parametrize("content", [b"", b"not json", b"{}", b'{"format": "x"}', os.urandom(64)])
def test_a_damaged_key_file_is_one_clear_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "vagafraga.keys"
    path.write_bytes(content)
    with pytest.raises(KeyFileDamagedError, match="damaged"):
        KeyFile.load(path)


def test_absurd_cost_parameters_are_refused_as_damage(key_file) -> None:
    keys, _ = key_file
    data = json.loads(keys.path.read_text())
    data["kdf_defaults"] = {"t": 10_000, "m": 2**40, "p": 1}
    keys.path.write_text(json.dumps(data))
    with pytest.raises(KeyFileDamagedError):
        reload(keys)


def test_failures_are_counted_and_kept_for_the_audit_log(key_file) -> None:
    keys, _ = key_file
    moment = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    keys.record_failure("test-a", moment)
    keys.record_failure("test-a", moment)
    keys.record_failure("typed-a-password-here", moment)
    keys.save()
    again = reload(keys)
    assert again.failures_of("test-a") == 2
    assert again.failures_of("someone-else") == 1  # unknown names share one counter
    taken = again.take_pending_failures()
    assert [name for name, _ in taken] == ["test-a", "test-a", "*unknown*"]
    assert again.clear_failures("test-a") is True
    assert again.failures_of("test-a") == 0


def test_the_delay_grows_with_failures_and_is_capped() -> None:
    delays = [login_delay(n) for n in range(12)]
    assert delays[:2] == [0.0, 0.0]
    assert delays[2:6] == [1.0, 2.0, 4.0, 8.0]
    assert all(a <= b for a, b in itertools.pairwise(delays))
    assert max(delays) == 60.0
