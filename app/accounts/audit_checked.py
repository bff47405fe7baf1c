"""A user's signed note of the audit entries their own sign-in check found sound, so that
their next sign-in need not check those entries' signatures again.

The sign-in check (:func:`app.accounts.audit_verify.verify_chain` on the newest entries)
recomputes every entry's hash, follows the chain and checks every entry's Ed25519
signature: about 0.1 ms each, up to a thousand at every sign-in. Of these, only the
signature checks cost; and a signature check's outcome depends only on the entry's hash,
its signer, its signature and the signer's public keys. So a check that passed records a
digest of exactly those (with every user's public keys) over the entries it covered, and
the user signs the note with their own signing key (:class:`Checked`, kept in their key
slot). At their next sign-in, the note counts only if its signature is theirs (the
public key made from the slot just opened: no one without the password can make one) and
the digest of the same entries, read again, is the same: then those entries' signature
checks would come out as they did, and are skipped. Every hash, link and order is still
checked; anything changed in those entries, their signers or signatures, or any user's
keys makes the digest differ, and every signature is checked as before.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.accounts.signing import Signer, verifies

CHECKED_FORMAT = "vagafraga-audit-checked-v1"


class CheckedDigest:
    """The digest of what the signature checks of consecutive entries depend on."""

    def __init__(self, keys: Mapping[str, list[str]]) -> None:
        self._hash = hashlib.sha256(json.dumps(sorted(keys.items())).encode("utf-8"))

    def add(self, row: Any) -> None:
        """The next entry (a row with ``seq``, ``hash``, ``signer`` and ``signature``)."""
        fields = [int(row.seq), row.hash, row.signer, row.signature]
        self._hash.update(json.dumps(fields).encode("utf-8") + b"\n")

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


@dataclass(frozen=True)
class Checked:
    """``username``'s signed note: the entries after ``start`` up to ``seq`` passed their
    sign-in check, with ``digest`` (:class:`CheckedDigest`) of what it depended on."""

    username: str
    start: int
    seq: int
    digest: str
    signature: str

    def to_json(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "seq": self.seq,
            "digest": self.digest,
            "signature": self.signature,
        }

    @classmethod
    def from_json(cls, username: str, data: Any) -> Checked | None:
        try:
            start, seq = int(data["start"]), int(data["seq"])
            digest, signature = str(data["digest"]), str(data["signature"])
        except (KeyError, TypeError, ValueError):
            return None
        return cls(username, start, seq, digest, signature)

    @classmethod
    def signed(cls, signer: Signer, store_id: str, start: int, seq: int, digest: str) -> Checked:
        message = _message(store_id, signer.username, start, seq, digest)
        signature = base64.b64encode(signer.key.sign(message)).decode("ascii")
        return cls(signer.username, start, seq, digest, signature)

    def signed_by(self, store_id: str, public: str) -> bool:
        """Whether the note was signed with ``public``'s private key for this store."""
        message = _message(store_id, self.username, self.start, self.seq, self.digest)
        return verifies([public], message, self.signature)


def _message(store_id: str, username: str, start: int, seq: int, digest: str) -> bytes:
    return json.dumps([CHECKED_FORMAT, store_id, username, start, seq, digest]).encode("utf-8")
