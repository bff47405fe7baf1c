"""Key slots, as LUKS has them: every user's password opens a copy of the database key.

The store's SQLCipher key (the *database key*) is 32 random bytes. Each user has
an X25519 key pair. Their slot holds

* the private key, wrapped with AES-256-GCM under a key derived from their
  password with Argon2id (salt and cost stored in the slot, so tests can use
  cheap parameters and an administrator can raise them);
* the database key, *sealed to their public key* (ephemeral X25519 + HKDF +
  AES-256-GCM).

So an administrator who holds the database key can add a user, reset a
password, or rotate the database key (``rekey``) and seal the new key to every
remaining user's public key without knowing anyone's password; a user changes
their own password by re-wrapping only their private key. Removing a user
removes their slot; a rekey afterwards leaves nothing they ever held useful.
Associated data binds every ciphertext to the store id, the user name and the
public key, so a slot moved to another user or another store does not open.
See ``docs/security.md`` for the whole design and its limits.

The cryptography of a slot is in :mod:`app.accounts.slot_crypto`, the file on disk in
:mod:`app.accounts.slot_file`; both are re-exported here. The slot file is JSON beside
the database (``vagafraga.keys``), written atomically with fsync. It also keeps the
failed-login counters (for the increasing delay) and failed logins not yet
copied into the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from app.accounts.audit_checked import Checked
from app.accounts.signing import Anchor, Anchors, public_hex, signing_key_from
from app.accounts.slot_crypto import (
    FORMAT,
    KEY_BYTES,
    PRODUCTION_KDF,
    KdfParams,
    KeySlotError,
    SlotTamperedError,
    Unlocked,
    WrongCredentialsError,
    canonical_json,
    check_key,
    derive,
    fingerprint,
    login_delay,
    new_db_key,
    open_sealed,
    seal,
    unb64,
    unwrap_copy,
    unwrap_private,
    wrap_private,
)
from app.accounts.slot_crypto import b64 as _b64
from app.accounts.slot_file import (
    FORMAT_VERSION,
    KeyFileDamagedError,
    atomic_write,
    now_utc,
    read_key_file,
)
from app.storage.location import key_file_path

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "KEY_BYTES",
    "MAX_PENDING_FAILURES",
    "PRODUCTION_KDF",
    "UNKNOWN_USER",
    "KdfParams",
    "KeyFile",
    "KeyFileDamagedError",
    "KeySlotError",
    "SlotTamperedError",
    "Unlocked",
    "WrongCredentialsError",
    "atomic_write",
    "canonical_json",
    "fingerprint",
    "key_file_path",
    "login_delay",
    "new_db_key",
    "now_utc",
    "unwrap_copy",
]

MAX_PENDING_FAILURES = 1000
UNKNOWN_USER = "*unknown*"


class KeyFile:
    """The slot file of one store. Load, change, then :meth:`save`."""

    def __init__(
        self,
        path: Path,
        store_id: str,
        kdf_defaults: KdfParams,
        *,
        generation: int = 1,
        slots: dict[str, dict[str, Any]] | None = None,
        failures: dict[str, dict[str, Any]] | None = None,
        pending_failures: list[dict[str, str]] | None = None,
        changes: dict[str, dict[str, Any]] | None = None,
        audited_generation: int = 1,
    ) -> None:
        self.path = path
        self.store_id = store_id
        self.kdf_defaults = kdf_defaults
        self.generation = generation
        self.slots: dict[str, dict[str, Any]] = slots or {}
        self.failures: dict[str, dict[str, Any]] = failures or {}
        self.pending_failures: list[dict[str, str]] = pending_failures or []
        # Slot changes written ahead of the database change they belong to (see
        # :meth:`begin_change`): change id -> {"at", "pid", "slots": {user: slot or None}}.
        self.changes: dict[str, dict[str, Any]] = changes or {}
        # The newest key generation known to have its audit entry (app.accounts.repair).
        self.audited_generation = audited_generation

    # -- file -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, kdf_defaults: KdfParams = PRODUCTION_KDF) -> KeyFile:
        kdf_defaults.check()
        return cls(path, secrets.token_hex(16), kdf_defaults)

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        return cls(path, **read_key_file(path))

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "store_id": self.store_id,
            "generation": self.generation,
            "kdf_defaults": self.kdf_defaults.to_json(),
            "slots": self.slots,
            "failures": self.failures,
            "pending_failures": self.pending_failures,
            "changes": self.changes,
            "audited_generation": self.audited_generation,
        }

    def save(self, path: Path | None = None) -> None:
        data = json.dumps(self.to_json(), indent=1, sort_keys=True).encode("utf-8")
        atomic_write(path or self.path, data)

    # -- slots ------------------------------------------------------------------------------

    def usernames(self) -> list[str]:
        return sorted(self.slots)

    def has_slot(self, username: str) -> bool:
        return username in self.slots

    def public_key_of(self, username: str) -> bytes:
        """``username``'s X25519 public key (what their sealed fields are sealed to)."""
        return unb64(self._checked_slot(username)["public_key"])

    def fingerprint_of(self, username: str) -> str:
        return fingerprint(unb64(self._checked_slot(username)["public_key"]))

    def add_slot(
        self,
        username: str,
        password: str,
        db_key: bytes,
        *,
        kdf: KdfParams | None = None,
        private_key: bytes | None = None,
        change: str | None = None,
    ) -> str:
        """A new slot (or a fresh one replacing a user's slot). Returns the key's fingerprint.

        ``private_key``: keep this key pair (brought back by :func:`unwrap_copy`) instead
        of making a new one. ``change``: write it into that change (:meth:`begin_change`)
        instead of into use."""
        check_key(db_key)
        private = (
            X25519PrivateKey.generate()
            if private_key is None
            else X25519PrivateKey.from_private_bytes(private_key)
        )
        public = private.public_key().public_bytes_raw()
        slot: dict[str, Any] = {"username": username, "public_key": _b64(public)}
        wrap_private(
            self.store_id, slot, password, private.private_bytes_raw(), kdf or self.kdf_defaults
        )
        slot["db_key"] = seal(self.store_id, username, public, db_key, self.generation)
        slot["next_db_key"] = None
        slot["signing_key"] = public_hex(signing_key_from(private.private_bytes_raw()))
        self._store(username, slot, change)
        return fingerprint(public)

    def signing_key_of(self, username: str, change: str | None = None) -> str | None:
        """The public signing key (hex) made with ``username``'s slot (the one written
        into ``change``, if given), if recorded."""
        value = self._checked_slot(username, change).get("signing_key")
        return value if isinstance(value, str) else None

    def anchors(self) -> Anchors:
        return Anchors.of(self.store_id, self.slots)

    def set_anchor(self, anchor: Anchor) -> None:
        """Keep ``anchor`` in its user's slot (save the file afterwards)."""
        slot = dict(self._checked_slot(anchor.username))
        slot["anchor"] = anchor.to_json()
        self._store(anchor.username, slot)

    def checked_of(self, username: str) -> Checked | None:
        """``username``'s note of their last passed audit check, unverified (its signature
        is checked with the key their slot opens: :meth:`Checked.signed_by`)."""
        slot = self.slots.get(username)
        return Checked.from_json(username, slot.get("checked")) if slot is not None else None

    def set_checked(self, checked: Checked) -> None:
        """Keep ``checked`` in its user's slot (save the file afterwards)."""
        slot = dict(self._checked_slot(checked.username))
        slot["checked"] = checked.to_json()
        self._store(checked.username, slot)

    def unlock(self, username: str, password: str) -> Unlocked:
        """The keys in ``username``'s slot, or :class:`WrongCredentialsError`."""
        slot = self.slots.get(username)
        if slot is None:
            # Spend the same time as a real try, so timing does not tell who has a slot.
            derive(password, b"\0" * 16, self.kdf_defaults)
            raise WrongCredentialsError()
        slot = self._checked_slot(username)
        private = unwrap_private(self.store_id, slot, password)
        public = unb64(slot["public_key"])
        db_key = open_sealed(
            self.store_id, slot["db_key"], username, private, public, generation=self.generation
        )
        next_key = None
        if slot.get("next_db_key") is not None:
            next_key = open_sealed(
                self.store_id,
                slot["next_db_key"],
                username,
                private,
                public,
                generation=self.generation + 1,
            )
        return Unlocked(username, db_key, next_key, fingerprint(public), private)

    def wrapped_copy(self, username: str) -> dict[str, Any]:
        """``username``'s private key exactly as their slot wraps it (under their password,
        Argon2id), with the public key and this store's id that the wrapping is bound to:
        what the team server keeps so the key comes back on a new computer
        (:func:`unwrap_copy`). Nothing in it opens without the password."""
        slot = self._checked_slot(username)
        return {
            "store_id": self.store_id,
            "username": username,
            "public_key": slot["public_key"],
            "kdf": slot["kdf"],
            "check": slot["check"],
            "private_key": slot["private_key"],
        }

    def change_password(
        self, username: str, old_password: str, new_password: str, change: str | None = None
    ) -> None:
        """Re-wrap ``username``'s private key under a new password; their other slots stay."""
        slot = dict(self._checked_slot(username))
        private = unwrap_private(self.store_id, slot, old_password)
        wrap_private(self.store_id, slot, new_password, private, self.kdf_defaults)
        self._store(username, slot, change)

    def remove_slot(self, username: str, change: str | None = None) -> None:
        if change is not None:
            self.changes[change]["slots"][username] = None
            return
        self.slots.pop(username, None)
        self.failures.pop(username, None)

    # -- changes that go with a database change -------------------------------------------

    def begin_change(self) -> str:
        """A change of slots that belongs to a database change (a user added, removed, a
        password reset): its slots are written here first, not yet in use; the database
        change then records the change's id in its audit entry, in its own transaction;
        then :meth:`apply_change` puts the slots in use. A crash in between leaves the
        change here, and the next sign-in completes it if the audit log has its id, or
        drops it if not (:mod:`app.accounts.repair`)."""
        change = secrets.token_hex(8)
        self.changes[change] = {"at": now_utc().isoformat(), "pid": os.getpid(), "slots": {}}
        return change

    def apply_change(self, change: str) -> None:
        for username, slot in self.changes.pop(change, {}).get("slots", {}).items():
            if slot is None:
                self.remove_slot(username)
            else:
                self.slots[username] = slot

    def discard_change(self, change: str) -> None:
        self.changes.pop(change, None)

    # -- rekey ------------------------------------------------------------------------------

    def begin_rekey(self, new_key: bytes, trusted: Mapping[str, str]) -> None:
        """Seal ``new_key`` to every slot as the next key (first phase of a rekey).

        ``trusted`` maps each user name to the key fingerprint kept in the (encrypted)
        users table: a slot whose public key was swapped is refused, so the new key is
        never sealed to someone who only had write access to this file.
        """
        check_key(new_key)
        for username in self.usernames():
            slot = self._checked_slot(username)
            public = unb64(slot["public_key"])
            if not hmac.compare_digest(trusted.get(username, ""), fingerprint(public)):
                raise SlotTamperedError(username)
        for username in self.usernames():
            slot = dict(self.slots[username])
            public = unb64(slot["public_key"])
            slot["next_db_key"] = seal(
                self.store_id, username, public, new_key, self.generation + 1
            )
            self._store(username, slot)

    def finish_rekey(self) -> None:
        """Make the next key the key (second phase, after the database was re-encrypted)."""
        for username in self.usernames():
            if self.slots[username].get("next_db_key") is None:
                raise SlotTamperedError(username)
        for username in self.usernames():
            slot = dict(self.slots[username])
            slot["db_key"], slot["next_db_key"] = slot["next_db_key"], None
            self._store(username, slot)
        self.generation += 1

    def abort_rekey(self) -> None:
        for username in self.usernames():
            slot = dict(self.slots[username])
            slot["next_db_key"] = None
            self._store(username, slot)

    # -- failed logins ----------------------------------------------------------------------

    def failures_of(self, username: str) -> int:
        entry = self.failures.get(username if username in self.slots else UNKNOWN_USER, {})
        count = entry.get("count", 0) if isinstance(entry, dict) else 0
        return count if type(count) is int and count >= 0 else 0

    def record_failure(self, username: str, now: datetime) -> None:
        """Count a failed login; keep it until it is copied into the audit log."""
        known = username if username in self.slots else UNKNOWN_USER
        self.failures[known] = {
            "count": self.failures_of(username) + 1,
            "last": now.astimezone(UTC).isoformat(),
        }
        if len(self.pending_failures) < MAX_PENDING_FAILURES:
            self.pending_failures.append({"username": known, "at": now.astimezone(UTC).isoformat()})

    def clear_failures(self, username: str) -> bool:
        """Forget ``username``'s failures after a good login; True when something changed."""
        return self.failures.pop(username, None) is not None

    def pending_failure_entries(self) -> list[tuple[str, datetime]]:
        """The failed logins to write into the audit log (kept here until taken)."""
        found: list[tuple[str, datetime]] = []
        for item in self.pending_failures:
            try:
                found.append((str(item["username"]), datetime.fromisoformat(item["at"])))
            except (KeyError, TypeError, ValueError):
                continue
        return found

    def take_pending_failures(self) -> list[tuple[str, datetime]]:
        """The failed logins to write into the audit log (and forget here)."""
        taken = self.pending_failure_entries()
        self.pending_failures = []
        return taken

    # -- internals --------------------------------------------------------------------------

    def _checked_slot(self, username: str, change: str | None = None) -> dict[str, Any]:
        slots = self.slots if change is None else self.changes[change]["slots"]
        slot = slots.get(username)
        if not isinstance(slot, dict):
            raise WrongCredentialsError()
        stored = slot.get("digest")
        body = {k: v for k, v in slot.items() if k != "digest"}
        if (
            not isinstance(stored, str)
            or not hmac.compare_digest(stored, hashlib.sha256(canonical_json(body)).hexdigest())
            or slot.get("username") != username
        ):
            raise SlotTamperedError(username)
        return slot

    def _store(self, username: str, slot: dict[str, Any], change: str | None = None) -> None:
        body = {k: v for k, v in slot.items() if k != "digest"}
        body["digest"] = hashlib.sha256(canonical_json(body)).hexdigest()
        (self.slots if change is None else self.changes[change]["slots"])[username] = body
