"""Audit entries signed by their writer, and each user's signed anchor of the log.

Every user's key slot holds an X25519 private key (:mod:`app.accounts.keyslots`); their
**signing key** is the Ed25519 key whose seed is HKDF-SHA256 of that private key (info
``vagafraga audit signing v1``), so it opens with the same password and needs no new
secret. Its public half is kept in the ``users`` table (``signing_keys``: every key the
user ever had, so entries signed before a password reset still verify).

* An entry's ``signature`` is the Ed25519 signature of its ``hash`` (which covers the
  entry and the hash before it); ``signer`` names the user whose key made it.
* An **anchor** is a user's signed note of the newest entry they wrote or verified
  (``seq`` and ``hash``), kept in their key slot, outside the database. A log cut back
  below any user's anchor, emptied, or rewritten at an anchored entry no longer matches it.

See ``docs/security.md`` (*Audit log*) for what this detects and its limit: rolling back
the database and the key file together needs an outside witness.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

if TYPE_CHECKING:  # the login dialog loads this module; SQLAlchemy comes with signing in
    from sqlalchemy import Engine

SIGNING_INFO = b"vagafraga audit signing v1"
ANCHOR_FORMAT = "vagafraga-anchor-v1"


def signing_key_from(private_x25519: bytes) -> Ed25519PrivateKey:
    seed = HKDF(algorithm=SHA256(), length=32, salt=None, info=SIGNING_INFO).derive(private_x25519)
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_hex(key: Ed25519PrivateKey) -> str:
    return key.public_key().public_bytes_raw().hex()


@dataclass(frozen=True)
class Anchor:
    """A user's signed note: the log had entry ``seq`` with ``hash`` when they last saw it."""

    username: str
    seq: int
    hash: str
    signature: str

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "signature": self.signature}

    @classmethod
    def from_json(cls, username: str, data: Any) -> Anchor | None:
        try:
            seq, digest, signature = int(data["seq"]), str(data["hash"]), str(data["signature"])
        except (KeyError, TypeError, ValueError):
            return None
        return cls(username, seq, digest, signature)


def _anchor_message(store_id: str, username: str, seq: int, digest: str) -> bytes:
    return json.dumps([ANCHOR_FORMAT, store_id, username, seq, digest]).encode("utf-8")


@dataclass(frozen=True)
class Signer:
    """The signed-in user's signing key."""

    username: str
    key: Ed25519PrivateKey

    @property
    def public(self) -> str:
        return public_hex(self.key)

    def sign(self, digest: str) -> str:
        return base64.b64encode(self.key.sign(digest.encode("ascii"))).decode("ascii")

    def anchor(self, store_id: str, seq: int, digest: str) -> Anchor:
        message = _anchor_message(store_id, self.username, seq, digest)
        signature = base64.b64encode(self.key.sign(message)).decode("ascii")
        return Anchor(self.username, seq, digest, signature)


def verifies(public_keys: Iterable[str], message: bytes, signature: str) -> bool:
    """Whether ``signature`` over ``message`` was made by one of ``public_keys``."""
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
    except (ValueError, UnicodeEncodeError):
        return False
    for public in public_keys:
        try:
            Ed25519PublicKey.from_public_bytes(bytes.fromhex(public)).verify(raw, message)
        except (InvalidSignature, ValueError):
            continue
        return True
    return False


def signature_valid(public_keys: Iterable[str], digest: str, signature: str) -> bool:
    """Whether ``signature`` over an entry's ``digest`` was made by one of ``public_keys``."""
    return verifies(public_keys, digest.encode("ascii"), signature)


def anchor_valid(anchor: Anchor, store_id: str, public_keys: Iterable[str]) -> bool:
    message = _anchor_message(store_id, anchor.username, anchor.seq, anchor.hash)
    return verifies(public_keys, message, anchor.signature)


def parse_keys(text: str | None) -> list[str]:
    """The ``signing_keys`` column: a JSON list of hex public keys (``None``: none yet)."""
    if not text:
        return []
    try:
        keys = json.loads(text)
    except ValueError:
        return []
    return [key for key in keys if isinstance(key, str)] if isinstance(keys, list) else []


def with_key(text: str | None, public: str) -> str:
    keys = parse_keys(text)
    return json.dumps([*keys, public] if public not in keys else keys)


# The signer of each open store's engine: set at sign-in, used by every AuditLog on it.
_SIGNERS: WeakKeyDictionary[Engine, Signer] = WeakKeyDictionary()


def set_signer(engine: Engine, signer: Signer) -> None:
    _SIGNERS[engine] = signer


def signer_for(engine: Engine) -> Signer | None:
    return _SIGNERS.get(engine)


@dataclass(frozen=True)
class Anchors:
    """What a verifier checks the log against: the anchors in the key file and the store id
    they are bound to."""

    store_id: str
    anchors: tuple[Anchor, ...]

    @classmethod
    def of(cls, store_id: str, slots: Mapping[str, Mapping[str, Any]]) -> Anchors:
        found = (
            Anchor.from_json(name, slot.get("anchor"))
            for name, slot in sorted(slots.items())
            if slot.get("anchor") is not None
        )
        return cls(store_id, tuple(anchor for anchor in found if anchor is not None))
