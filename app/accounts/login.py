"""A signed-in user with their open store, and where a store is.

:class:`Login` also holds what the user's key slot opened for this session: the key that
signs their audit entries (:mod:`app.accounts.signing`) and the key that opens their sealed
fields (:mod:`app.storage.sealing`).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from app.accounts.audit_chain import Pending
from app.accounts.audit_checked import Checked
from app.accounts.audit_events import AuditEvent
from app.accounts.audit_walk import QUICK_CHECK_ENTRIES
from app.accounts.keyslots import KeyFile
from app.accounts.opening import keys_path
from app.accounts.principal import Principal, Role
from app.accounts.signing import Signer, set_signer
from app.errors import UserError
from app.storage.location import StoreLocation
from app.storage.sealing import FieldKeys, set_field_keys
from app.storage.store import Store

if TYPE_CHECKING:  # a sign-in on the driver makes a Login before SQLAlchemy is loaded
    from app.accounts.audit import AuditLog
    from app.accounts.read_audit import ReadAudit
    from app.accounts.users import UserRepository

log = logging.getLogger(__name__)


@dataclass
class Login:
    """A signed-in user with their open store. ``db_key`` is held only for encrypted stores
    (an administrator needs it to add users and rotate the key). ``server_password`` is
    kept, in memory only, by the desktop app for background sync: the team server signs
    the same user in with the same password."""

    store: Store
    principal: Principal
    db_key: bytes | None = field(default=None, repr=False)
    signer: Signer | None = None
    _private: bytes | None = field(default=None, repr=False)
    server_password: str | None = field(default=None, repr=False)
    # A session opened to read (:mod:`app.accounts.signin`): its audit entries, kept.
    read_audit: ReadAudit | None = field(default=None, repr=False)
    # What this user's last passed audit check covered (:class:`AuditReport.checked`):
    # noted, signed, in their slot when the key file is next saved (:mod:`.audit_checked`).
    checked: tuple[int, int, str] | None = field(default=None, repr=False)

    @property
    def location(self) -> StoreLocation:
        return self.store.location

    @property
    def read_only(self) -> bool:
        return self.read_audit is not None

    @property
    def audit(self) -> AuditLog:
        """The log to read and check."""
        from app.accounts.audit import AuditLog

        return AuditLog(self.store.engine)

    @property
    def audit_writer(self) -> AuditLog | ReadAudit:
        """Where this session's audit entries go: the log, or (a session opened to read)
        kept and appended at its close (:mod:`app.accounts.read_audit`)."""
        return self.read_audit if self.read_audit is not None else self.audit

    @property
    def users(self) -> UserRepository:
        from app.accounts.users import UserRepository

        return UserRepository(self.store.engine)

    @property
    def key_file(self) -> Path | None:
        return keys_path(self.location)

    def install_keys(self, key_file: KeyFile, private: bytes) -> None:
        """Seal and open fields with this user's key on this store (:mod:`.sealing`)."""
        trusted = self.users.active_fingerprints()
        keys = field_keys(key_file, self.principal.username, private, trusted)
        set_field_keys(self.store.engine, keys)
        self._private = private

    def reinstall_keys(self) -> None:
        """After an account change (a new user to seal to) or a new engine (rekey)."""
        path = self.key_file
        if path is not None and self._private is not None:
            self.install_keys(KeyFile.load(path), self._private)
            if self.signer is not None:
                set_signer(self.store.engine, self.signer)

    def move_anchor(self, key_file: KeyFile, head: tuple[int, str] | None = None) -> None:
        """Sign the newest entry (``head``, else read from the log) as this user's anchor
        in their slot, and the note of their last passed audit check, and save the file."""
        if head is None:
            head = self.audit.head()
        if self.signer is not None and head is not None:
            key_file.set_anchor(self.signer.anchor(key_file.store_id, *head))
        if self.signer is not None and self.checked is not None:
            key_file.set_checked(Checked.signed(self.signer, key_file.store_id, *self.checked))
        key_file.save()

    def earlier_check(self, key_file: KeyFile) -> Checked | None:
        """This user's note of their last passed audit check, if they signed it."""
        if self.signer is None:
            return None
        note = key_file.checked_of(self.signer.username)
        if note is None or not note.signed_by(key_file.store_id, self.signer.public):
            return None
        return note

    def close(self) -> None:
        """Close the store; the user's anchor moves to the newest entry if the log checks.
        A session opened to read appends (or queues) the audit entries it kept."""
        if self.read_audit is not None:
            try:
                self.read_audit.flush(self.checked)
            finally:
                self.store.close()
            return
        from sqlalchemy.exc import SQLAlchemyError

        path = self.key_file
        try:
            if self.signer is not None and path is not None:
                key_file = KeyFile.load(path)
                report = self.audit.verify(
                    last=QUICK_CHECK_ENTRIES,
                    anchors=key_file.anchors(),
                    earlier=self.earlier_check(key_file),
                )
                if report.ok:
                    self.checked = report.checked
                    self.move_anchor(key_file)
        except (UserError, SQLAlchemyError, OSError) as error:
            log.warning("the audit anchor was not moved at sign-out (%s)", type(error).__name__)
        finally:
            self.store.close()

    def __enter__(self) -> Login:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def field_keys(
    key_file: KeyFile, username: str, private: bytes, trusted: Mapping[str, str]
) -> FieldKeys:
    """``username``'s keys for sealed fields: their own fields open; anyone's are sealed to
    the public key in that user's slot, taken only where it matches the fingerprint in
    the (encrypted) users table (``trusted``: each active user's)."""
    publics = {
        name: X25519PublicKey.from_public_bytes(key_file.public_key_of(name))
        for name in key_file.usernames()
        if trusted.get(name) == key_file.fingerprint_of(name)
    }
    return FieldKeys(
        key_file.store_id, username, X25519PrivateKey.from_private_bytes(private), publics
    )


def audit_created(store: Store, admin: str, roles: frozenset[Role], now: datetime) -> None:
    from app.accounts.audit import AuditLog

    AuditLog(store.engine).append_many(
        [
            Pending(admin, AuditEvent.STORE_CREATED, at=now),
            Pending(
                admin,
                AuditEvent.ACCOUNT_ADDED,
                subject=admin,
                detail={"roles": sorted(role.value for role in roles)},
                at=now,
            ),
        ]
    )
