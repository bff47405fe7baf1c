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

The slot file is JSON beside the database (``vagafraga.keys``), written
atomically with fsync. It also keeps the failed-login counters (for the
increasing delay) and failed logins not yet copied into the audit log.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.accounts.signing import Anchor, Anchors, public_hex, signing_key_from
from app.errors import UserError
from app.i18n import _
from app.storage import location as _location

FORMAT = "vagafraga-keyslots"
FORMAT_VERSION = 1
KEY_BYTES = 32
MAX_PENDING_FAILURES = 1000
UNKNOWN_USER = "*unknown*"


class KeySlotError(UserError):
    """Base of the key-slot problems a user is told about."""


class WrongCredentialsError(KeySlotError):
    def __init__(self) -> None:
        super().__init__(_("The user name or the password is wrong. Nothing was opened."))


class SlotTamperedError(KeySlotError):
    def __init__(self, username: str) -> None:
        super().__init__(
            _(
                "The key slot of {user} has been altered or damaged and cannot be used; "
                "nothing was changed. An administrator can reset this user's password."
            ).format(user=username)
        )


class KeyFileDamagedError(KeySlotError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            _(
                "The key file {path} is damaged or is not a Våga fråga key file; "
                "nothing was changed. Restore it from the backup made with the database."
            ).format(path=path)
        )


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: ``time_cost`` passes over ``memory_cost`` KiB with ``parallelism`` lanes."""

    time_cost: int
    memory_cost: int
    parallelism: int

    def check(self) -> None:
        if not (
            1 <= self.time_cost <= 64
            and 1 <= self.parallelism <= 16
            and 8 * self.parallelism <= self.memory_cost <= 4 * 1024 * 1024
        ):
            raise ValueError("Argon2id parameters out of range")

    def to_json(self) -> dict[str, int]:
        return {"t": self.time_cost, "m": self.memory_cost, "p": self.parallelism}

    @classmethod
    def from_json(cls, data: Any) -> KdfParams:
        values = (data["t"], data["m"], data["p"])
        if not all(type(value) is int for value in values):
            raise ValueError("Argon2id parameters must be integers")
        params = cls(time_cost=values[0], memory_cost=values[1], parallelism=values[2])
        params.check()
        return params


# Tuned on the 2-core development machine: one unlock takes about 0.2 s when it is idle and
# about 0.6-0.7 s under load (BENCHMARKS.md). Stored per slot: raising it later is possible.
PRODUCTION_KDF = KdfParams(time_cost=3, memory_cost=96 * 1024, parallelism=2)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _derive(password: str, salt: bytes, params: KdfParams) -> tuple[bytes, bytes]:
    """(wrapping key, password check) from one Argon2id run."""
    raw = hash_secret_raw(
        password.encode("utf-8"),
        salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_cost,
        parallelism=params.parallelism,
        hash_len=48,
        type=Type.ID,
    )
    return raw[:32], raw[32:]


def _seal_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    return HKDF(
        algorithm=SHA256(), length=32, salt=ephemeral + recipient, info=b"vagafraga seal v1"
    ).derive(shared)


def fingerprint(public_key: bytes) -> str:
    """A short, stable name of a public key, kept in the users table to check slots."""
    return hashlib.sha256(public_key).hexdigest()


@dataclass(frozen=True)
class Unlocked:
    """What one slot opened: the database key (and the next one, mid-rekey)."""

    username: str
    db_key: bytes
    next_db_key: bytes | None
    fingerprint: str
    private_key: bytes = b""  # the X25519 private key (the signing key derives from it)


def login_delay(failures: int) -> float:
    """Seconds to wait before the next try after ``failures`` failed logins in a row.

    The first retry is immediate (a typo); then 1, 2, 4, ... seconds, at most 60.
    """
    if failures < 2:
        return 0.0
    return float(min(2 ** (failures - 2), 60))


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
    ) -> None:
        self.path = path
        self.store_id = store_id
        self.kdf_defaults = kdf_defaults
        self.generation = generation
        self.slots: dict[str, dict[str, Any]] = slots or {}
        self.failures: dict[str, dict[str, Any]] = failures or {}
        self.pending_failures: list[dict[str, str]] = pending_failures or []

    # -- file -------------------------------------------------------------------------------

    @classmethod
    def create(cls, path: Path, kdf_defaults: KdfParams = PRODUCTION_KDF) -> KeyFile:
        kdf_defaults.check()
        return cls(path, secrets.token_hex(16), kdf_defaults)

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        try:
            data = json.loads(path.read_bytes())
            if data.get("format") != FORMAT or data.get("version") != FORMAT_VERSION:
                raise ValueError("not a key file")
            store_id = data["store_id"]
            generation = data["generation"]
            if not isinstance(store_id, str) or type(generation) is not int:
                raise ValueError("bad header")
            slots = data["slots"]
            failures = data.get("failures", {})
            pending = data.get("pending_failures", [])
            if not (
                isinstance(slots, dict) and isinstance(failures, dict) and isinstance(pending, list)
            ):
                raise ValueError("bad sections")
            return cls(
                path,
                store_id,
                KdfParams.from_json(data["kdf_defaults"]),
                generation=generation,
                slots=slots,
                failures=failures,
                pending_failures=pending,
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            raise KeyFileDamagedError(path) from None

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
        return _unb64(self._checked_slot(username)["public_key"])

    def fingerprint_of(self, username: str) -> str:
        return fingerprint(_unb64(self._checked_slot(username)["public_key"]))

    def add_slot(
        self,
        username: str,
        password: str,
        db_key: bytes,
        *,
        kdf: KdfParams | None = None,
        private_key: bytes | None = None,
    ) -> str:
        """A new slot (or a fresh one replacing a user's slot). Returns the key's fingerprint.

        ``private_key``: keep this key pair (brought back by :func:`unwrap_copy`) instead
        of making a new one."""
        _check_key(db_key)
        private = (
            X25519PrivateKey.generate()
            if private_key is None
            else X25519PrivateKey.from_private_bytes(private_key)
        )
        public = private.public_key().public_bytes_raw()
        slot: dict[str, Any] = {"username": username, "public_key": _b64(public)}
        self._wrap_private(slot, password, private.private_bytes_raw(), kdf or self.kdf_defaults)
        slot["db_key"] = self._seal(username, public, db_key, self.generation)
        slot["next_db_key"] = None
        slot["signing_key"] = public_hex(signing_key_from(private.private_bytes_raw()))
        self._store(username, slot)
        return fingerprint(public)

    def signing_key_of(self, username: str) -> str | None:
        """The public signing key (hex) made with ``username``'s slot, if recorded."""
        value = self._checked_slot(username).get("signing_key")
        return value if isinstance(value, str) else None

    def anchors(self) -> Anchors:
        return Anchors.of(self.store_id, self.slots)

    def set_anchor(self, anchor: Anchor) -> None:
        """Keep ``anchor`` in its user's slot (save the file afterwards)."""
        slot = dict(self._checked_slot(anchor.username))
        slot["anchor"] = anchor.to_json()
        self._store(anchor.username, slot)

    def unlock(self, username: str, password: str) -> Unlocked:
        """The keys in ``username``'s slot, or :class:`WrongCredentialsError`."""
        slot = self.slots.get(username)
        if slot is None:
            # Spend the same time as a real try, so timing does not tell who has a slot.
            _derive(password, b"\0" * 16, self.kdf_defaults)
            raise WrongCredentialsError()
        slot = self._checked_slot(username)
        private = self._unwrap_private(slot, password)
        public = _unb64(slot["public_key"])
        db_key = self._open(slot["db_key"], username, private, public, self.generation)
        next_key = None
        if slot.get("next_db_key") is not None:
            next_key = self._open(
                slot["next_db_key"], username, private, public, self.generation + 1
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

    def change_password(self, username: str, old_password: str, new_password: str) -> None:
        """Re-wrap ``username``'s private key under a new password; their other slots stay."""
        slot = dict(self._checked_slot(username))
        private = self._unwrap_private(slot, old_password)
        self._wrap_private(slot, new_password, private, self.kdf_defaults)
        self._store(username, slot)

    def remove_slot(self, username: str) -> None:
        self.slots.pop(username, None)
        self.failures.pop(username, None)

    # -- rekey ------------------------------------------------------------------------------

    def begin_rekey(self, new_key: bytes, trusted: Mapping[str, str]) -> None:
        """Seal ``new_key`` to every slot as the next key (first phase of a rekey).

        ``trusted`` maps each user name to the key fingerprint kept in the (encrypted)
        users table: a slot whose public key was swapped is refused, so the new key is
        never sealed to someone who only had write access to this file.
        """
        _check_key(new_key)
        for username in self.usernames():
            slot = self._checked_slot(username)
            public = _unb64(slot["public_key"])
            if not hmac.compare_digest(trusted.get(username, ""), fingerprint(public)):
                raise SlotTamperedError(username)
        for username in self.usernames():
            slot = dict(self.slots[username])
            public = _unb64(slot["public_key"])
            slot["next_db_key"] = self._seal(username, public, new_key, self.generation + 1)
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

    def take_pending_failures(self) -> list[tuple[str, datetime]]:
        """The failed logins to write into the audit log (and forget here)."""
        taken: list[tuple[str, datetime]] = []
        for item in self.pending_failures:
            try:
                taken.append((str(item["username"]), datetime.fromisoformat(item["at"])))
            except (KeyError, TypeError, ValueError):
                continue
        self.pending_failures = []
        return taken

    # -- internals --------------------------------------------------------------------------

    def _checked_slot(self, username: str) -> dict[str, Any]:
        slot = self.slots.get(username)
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

    def _store(self, username: str, slot: dict[str, Any]) -> None:
        body = {k: v for k, v in slot.items() if k != "digest"}
        body["digest"] = hashlib.sha256(canonical_json(body)).hexdigest()
        self.slots[username] = body

    def _aad(self, purpose: str, username: str, *parts: str) -> bytes:
        return canonical_json([FORMAT, purpose, self.store_id, username, *parts])

    def _private_aad(self, slot: dict[str, Any]) -> bytes:
        settings = canonical_json(slot["kdf"]).decode()
        return self._aad("private", str(slot["username"]), slot["public_key"], settings)

    def _wrap_private(
        self, slot: dict[str, Any], password: str, private: bytes, kdf: KdfParams
    ) -> None:
        kdf.check()
        salt = os.urandom(16)
        wrapping, check = _derive(password, salt, kdf)
        slot["kdf"] = {"salt": _b64(salt), **kdf.to_json()}
        slot["check"] = _b64(check)
        nonce = os.urandom(12)
        aad = self._private_aad(slot)
        slot["private_key"] = {
            "nonce": _b64(nonce),
            "ciphertext": _b64(AESGCM(wrapping).encrypt(nonce, private, aad)),
        }

    def _unwrap_private(self, slot: dict[str, Any], password: str) -> bytes:
        username = str(slot["username"])
        try:
            kdf = KdfParams.from_json(slot["kdf"])
            salt = _unb64(slot["kdf"]["salt"])
            check = _unb64(slot["check"])
            nonce = _unb64(slot["private_key"]["nonce"])
            ciphertext = _unb64(slot["private_key"]["ciphertext"])
        except (KeyError, TypeError, ValueError):
            raise SlotTamperedError(username) from None
        wrapping, expected = _derive(password, salt, kdf)
        if not hmac.compare_digest(check, expected):
            raise WrongCredentialsError()
        aad = self._private_aad(slot)
        try:
            return AESGCM(wrapping).decrypt(nonce, ciphertext, aad)
        except InvalidTag:
            raise SlotTamperedError(username) from None

    def _seal(self, username: str, public: bytes, secret: bytes, generation: int) -> dict[str, str]:
        ephemeral = X25519PrivateKey.generate()
        ephemeral_public = ephemeral.public_key().public_bytes_raw()
        shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
        nonce = os.urandom(12)
        aad = self._aad("db_key", username, _b64(public), str(generation))
        sealed = AESGCM(_seal_key(shared, ephemeral_public, public)).encrypt(nonce, secret, aad)
        return {
            "ephemeral": _b64(ephemeral_public),
            "nonce": _b64(nonce),
            "ciphertext": _b64(sealed),
        }

    def _open(
        self, sealed: Any, username: str, private: bytes, public: bytes, generation: int
    ) -> bytes:
        try:
            ephemeral_public = _unb64(sealed["ephemeral"])
            nonce = _unb64(sealed["nonce"])
            ciphertext = _unb64(sealed["ciphertext"])
            key = X25519PrivateKey.from_private_bytes(private)
            shared = key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
            aad = self._aad("db_key", username, _b64(public), str(generation))
            secret = AESGCM(_seal_key(shared, ephemeral_public, public)).decrypt(
                nonce, ciphertext, aad
            )
        except (KeyError, TypeError, ValueError, InvalidTag):
            raise SlotTamperedError(username) from None
        _check_key(secret)
        return secret


def unwrap_copy(copy: Mapping[str, Any], username: str, password: str) -> bytes:
    """The private key of a :meth:`KeyFile.wrapped_copy`, opened with ``password`` (the same
    Argon2id and AES-256-GCM as the slot it came from). :class:`WrongCredentialsError` for
    another password; :class:`SlotTamperedError` when the copy was altered, belongs to
    someone else, or its public key is not the private key's."""
    try:
        origin = str(copy["store_id"])
        slot = {
            name: copy[name] for name in ("username", "public_key", "kdf", "check", "private_key")
        }
        public = _unb64(slot["public_key"])
    except (KeyError, TypeError, ValueError):
        raise SlotTamperedError(username) from None
    if slot["username"] != username:
        raise SlotTamperedError(username)
    private = KeyFile(Path(), origin, PRODUCTION_KDF)._unwrap_private(slot, password)
    try:
        derived = X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()
    except ValueError:
        raise SlotTamperedError(username) from None
    if not hmac.compare_digest(derived, public):
        raise SlotTamperedError(username)
    return private


def _check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")


def new_db_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old or the new file, never half."""
    temporary = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temporary, path)
        if os.name == "posix":
            folder = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(folder)
            finally:
                os.close(folder)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise UserError(
            _("The key file {path} cannot be written; nothing was changed.").format(path=path)
        ) from None


# The key file's place lives with the store's location (the login dialog finds it without
# loading argon2 and cryptography); it stays importable from here.
key_file_path = _location.key_file_path


def now_utc() -> datetime:
    return datetime.now(UTC)
