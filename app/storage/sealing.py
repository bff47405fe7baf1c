"""Sealed fields: ``case_reference`` and ``notes`` readable by the record's handler only.

In an encrypted store (key slots) every user has an X25519 key pair. Each sensitive value
is sealed to its handler's public key with HPKE (RFC 9180, base mode: DHKEM(X25519,
HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, from ``cryptography``); the HPKE ``info``
binds it to the store, the record and the field, so a value moved to another record or
field does not open. The column then holds ``sealed1:`` and the base64 of the
encapsulated key and ciphertext. The database key opens the file for every user; only
the handler's private key opens these fields, so an administrator, a team lead, a trainer
or another handler who reads the file with the database key finds no case reference and
no note. A handler's draft (the session as JSON) is sealed to them whole.

**Blind index.** :func:`case_reference_index` is HMAC-SHA256 of the normalised reference,
keyed by a secret only the handler derives (HKDF of their private key): equal references of
one handler give equal indexes, and nobody else can compute or test one. Kept in
``records.case_reference_index`` when the handler stores the record, for "seen before"
matching (issue 13: :func:`case_reference_index` with ``FieldKeys.secret``, compared
within the handler's own records).

On a server store (PostgreSQL) the fields are not sealed (users have no key pairs
there); the server's column privileges and row-level security keep them to their handler.
The keys of the signed-in user are registered per engine at sign-in
(:func:`set_field_keys`); without them (a plain or server store) values pass unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import unicodedata
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hpke
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from app.errors import UserError
from app.i18n import _

if TYPE_CHECKING:  # the sign-in installs the keys before SQLAlchemy is loaded
    from sqlalchemy import Engine

SEALED_PREFIX = "sealed1:"
SEALED_FIELDS = ("case_reference", "notes")
INDEX_FIELD = "case_reference_index"
DRAFT_FIELD = "draft"
_SUITE = hpke.Suite(hpke.KEM.X25519, hpke.KDF.HKDF_SHA256, hpke.AEAD.CHACHA20_POLY1305)
_INDEX_INFO = b"vagafraga case reference index v1"


def is_sealed(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(SEALED_PREFIX)


def _info(store_id: str, key: str, name: str) -> bytes:
    return f"vagafraga sealed field v1|{store_id}|{key}|{name}".encode()


def seal(value: str, public: X25519PublicKey, store_id: str, key: str, name: str) -> str:
    sealed = _SUITE.encrypt(value.encode("utf-8"), public, info=_info(store_id, key, name))
    return SEALED_PREFIX + base64.b64encode(sealed).decode("ascii")


def unseal(value: str, private: X25519PrivateKey, store_id: str, key: str, name: str) -> str | None:
    """The plaintext, or ``None`` when this key cannot open it (someone else's, or moved)."""
    try:
        raw = base64.b64decode(value[len(SEALED_PREFIX) :].encode("ascii"), validate=True)
        return _SUITE.decrypt(raw, private, info=_info(store_id, key, name)).decode("utf-8")
    except (InvalidTag, ValueError, UnicodeError):  # not this key's, or moved, or damaged
        return None


def index_secret(private: X25519PrivateKey) -> bytes:
    """The handler's own secret for the blind index (only their private key derives it)."""
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=_INDEX_INFO).derive(
        private.private_bytes_raw()
    )


def normalise_reference(reference: str) -> str:
    """Case references compare without case, spaces or dashes: "ab-12 3" is "AB123"."""
    text = unicodedata.normalize("NFKC", reference).upper()
    return "".join(char for char in text if char.isalnum())


def case_reference_index(user_secret: bytes, reference: str) -> str:
    """The blind index of ``reference`` under one handler's secret (hex HMAC-SHA256)."""
    digest = hmac.new(user_secret, normalise_reference(reference).encode("utf-8"), hashlib.sha256)
    return digest.hexdigest()


class NoRecipientError(UserError):
    def __init__(self, handler: str) -> None:
        super().__init__(
            _(
                "A case reference or notes of {handler} cannot be stored: {handler} has no "
                "account in this store, so there is no key to seal them to. Nothing was saved."
            ).format(handler=handler)
        )


@dataclass(frozen=True)
class FieldKeys:
    """The signed-in user's private key, and every user's public key to seal to."""

    store_id: str
    owner: str
    private: X25519PrivateKey
    publics: Mapping[str, X25519PublicKey] = field(default_factory=dict)

    @cached_property
    def secret(self) -> bytes:
        """Derived once per sign-in (an HKDF), not once per record."""
        return index_secret(self.private)

    def seal_values(self, values: MutableMapping[str, Any]) -> None:
        """Seal a record's row values in place to its handler; with the blind index of its
        case reference when the signed-in user is its handler."""
        handler, key = str(values["handler"]), str(values["id"])
        wanted = {
            name: value
            for name in SEALED_FIELDS
            if (value := values.get(name)) and not is_sealed(value)
        }
        if not wanted:
            return
        public = self.publics.get(handler)
        if public is None:
            raise NoRecipientError(handler)
        for name, value in wanted.items():
            values[name] = seal(str(value), public, self.store_id, key, name)
        reference = wanted.get("case_reference")
        if handler == self.owner and reference:
            values[INDEX_FIELD] = case_reference_index(self.secret, str(reference))

    def seal_or_drop(self, values: MutableMapping[str, Any]) -> None:
        """For synthetic demo rows: seal to the handler when they have an account, else
        leave the case reference and notes out (never store them unsealed)."""
        if str(values["handler"]) in self.publics:
            self.seal_values(values)
            return
        for name in (*SEALED_FIELDS, INDEX_FIELD):
            values[name] = None

    def open_values(self, values: MutableMapping[str, Any]) -> None:
        """Open a record's sealed values in place: the handler reads them; for anyone else
        they are ``None`` (never ciphertext on a screen or in an export)."""
        key, mine = str(values["id"]), values.get("handler") == self.owner
        for name in SEALED_FIELDS:
            value = values.get(name)
            if is_sealed(value):
                values[name] = (
                    unseal(str(value), self.private, self.store_id, key, name) if mine else None
                )

    def seal_draft(self, handler: str, data: str) -> str:
        public = self.publics.get(handler)
        if public is None:
            raise NoRecipientError(handler)
        return seal(data, public, self.store_id, handler, DRAFT_FIELD)

    def open_draft(self, handler: str, data: str) -> str | None:
        if not is_sealed(data):
            return data
        if handler != self.owner:
            return None
        return unseal(data, self.private, self.store_id, handler, DRAFT_FIELD)


def open_without_keys(values: MutableMapping[str, Any]) -> None:
    """Where no keys are registered, a sealed value is shown as nothing, never as ciphertext."""
    for name in SEALED_FIELDS:
        if is_sealed(values.get(name)):
            values[name] = None


_KEYS: WeakKeyDictionary[Engine, FieldKeys] = WeakKeyDictionary()


def set_field_keys(engine: Engine, keys: FieldKeys) -> None:
    _KEYS[engine] = keys


def field_keys_for(engine: Engine) -> FieldKeys | None:
    return _KEYS.get(engine)


def seal_row(engine: Engine, values: MutableMapping[str, Any]) -> None:
    """Seal ``values`` when ``engine``'s store seals (:meth:`FieldKeys.seal_values`)."""
    keys = _KEYS.get(engine)
    if keys is not None:
        keys.seal_values(values)


def open_row(engine: Engine, values: MutableMapping[str, Any]) -> None:
    keys = _KEYS.get(engine)
    if keys is not None:
        keys.open_values(values)
    else:
        open_without_keys(values)
