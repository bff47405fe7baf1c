"""The cryptography of one key slot (:mod:`app.accounts.keyslots`).

A slot's private key is wrapped with AES-256-GCM under a key derived from the user's
password with Argon2id; the database key is sealed to the slot's X25519 public key
(ephemeral X25519 + HKDF + AES-256-GCM). Associated data binds every ciphertext to the
store id, the user name and the public key. The errors a user is told about live here
too, since these functions raise them.
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
from typing import Any

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import UserError
from app.i18n import _

FORMAT = "vagafraga-keyslots"
KEY_BYTES = 32


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


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise ValueError("expected base64 text")
    return base64.b64decode(text.encode("ascii"), validate=True)


def canonical_json(data: Any) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def derive(password: str, salt: bytes, params: KdfParams) -> tuple[bytes, bytes]:
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


def check_key(key: bytes) -> None:
    if len(key) != KEY_BYTES:
        raise ValueError("a database key is 32 bytes")


def new_db_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def aad(store_id: str, purpose: str, username: str, *parts: str) -> bytes:
    return canonical_json([FORMAT, purpose, store_id, username, *parts])


def _private_aad(store_id: str, slot: Mapping[str, Any]) -> bytes:
    settings = canonical_json(slot["kdf"]).decode()
    return aad(store_id, "private", str(slot["username"]), slot["public_key"], settings)


def wrap_private(
    store_id: str, slot: dict[str, Any], password: str, private: bytes, kdf: KdfParams
) -> None:
    """Put ``private`` into ``slot``, wrapped under ``password`` (with its salt and cost)."""
    kdf.check()
    salt = os.urandom(16)
    wrapping, check = derive(password, salt, kdf)
    slot["kdf"] = {"salt": b64(salt), **kdf.to_json()}
    slot["check"] = b64(check)
    nonce = os.urandom(12)
    slot["private_key"] = {
        "nonce": b64(nonce),
        "ciphertext": b64(AESGCM(wrapping).encrypt(nonce, private, _private_aad(store_id, slot))),
    }


def unwrap_private(store_id: str, slot: Mapping[str, Any], password: str) -> bytes:
    """The private key ``slot`` wraps, or :class:`WrongCredentialsError` for another password."""
    username = str(slot["username"])
    try:
        kdf = KdfParams.from_json(slot["kdf"])
        salt = unb64(slot["kdf"]["salt"])
        check = unb64(slot["check"])
        nonce = unb64(slot["private_key"]["nonce"])
        ciphertext = unb64(slot["private_key"]["ciphertext"])
    except (KeyError, TypeError, ValueError):
        raise SlotTamperedError(username) from None
    wrapping, expected = derive(password, salt, kdf)
    if not hmac.compare_digest(check, expected):
        raise WrongCredentialsError()
    try:
        return AESGCM(wrapping).decrypt(nonce, ciphertext, _private_aad(store_id, slot))
    except InvalidTag:
        raise SlotTamperedError(username) from None


def seal(
    store_id: str, username: str, public: bytes, secret: bytes, generation: int
) -> dict[str, str]:
    """``secret`` (a database key of ``generation``) sealed to ``public``."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_public = ephemeral.public_key().public_bytes_raw()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    nonce = os.urandom(12)
    associated = aad(store_id, "db_key", username, b64(public), str(generation))
    sealed = AESGCM(_seal_key(shared, ephemeral_public, public)).encrypt(nonce, secret, associated)
    return {"ephemeral": b64(ephemeral_public), "nonce": b64(nonce), "ciphertext": b64(sealed)}


def open_sealed(
    store_id: str, sealed: Any, username: str, private: bytes, public: bytes, *, generation: int
) -> bytes:
    """The database key :func:`seal` sealed, opened with the slot's private key."""
    try:
        ephemeral_public = unb64(sealed["ephemeral"])
        nonce = unb64(sealed["nonce"])
        ciphertext = unb64(sealed["ciphertext"])
        key = X25519PrivateKey.from_private_bytes(private)
        shared = key.exchange(X25519PublicKey.from_public_bytes(ephemeral_public))
        associated = aad(store_id, "db_key", username, b64(public), str(generation))
        secret = AESGCM(_seal_key(shared, ephemeral_public, public)).decrypt(
            nonce, ciphertext, associated
        )
    except (KeyError, TypeError, ValueError, InvalidTag):
        raise SlotTamperedError(username) from None
    check_key(secret)
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
        public = unb64(slot["public_key"])
    except (KeyError, TypeError, ValueError):
        raise SlotTamperedError(username) from None
    if slot["username"] != username:
        raise SlotTamperedError(username)
    private = unwrap_private(origin, slot, password)
    try:
        derived = X25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()
    except ValueError:
        raise SlotTamperedError(username) from None
    if not hmac.compare_digest(derived, public):
        raise SlotTamperedError(username)
    return private
