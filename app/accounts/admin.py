"""Administration as a signed-in user: accounts, the database key, backups, the audit log.

Every change is checked against the principal's roles and written to the audit log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from app.accounts.audit import AuditEntry, AuditEvent, AuditLog, AuditReport
from app.accounts.audit_list import AuditPage, AuditQuery, actors, list_entries
from app.accounts.keyslots import KeyFile, WrongCredentialsError, new_db_key, now_utc
from app.accounts.principal import Role
from app.accounts.server_accounts import ServerAccounts
from app.accounts.session import Login, check_server_password
from app.accounts.users import User, UserRepository, check_password, check_username
from app.errors import UserError
from app.i18n import _
from app.storage.backup import backup_database
from app.storage.store import open_store

Clock = Callable[[], datetime]


class AccountService:
    """Users and their credentials. Administrators manage everyone; anyone changes their own
    password."""

    def __init__(self, login: Login, clock: Clock = now_utc) -> None:
        self._login = login
        self._clock = clock
        self._users = UserRepository(login.store.engine)
        self._audit = AuditLog(login.store.engine)
        # On PostgreSQL the server's own functions change accounts and write their audit.
        self._server = ServerAccounts(login.store.engine) if login.location.is_server else None

    @property
    def _me(self) -> str:
        return self._login.principal.username

    def list(self, *, include_removed: bool = False) -> list[User]:
        self._login.principal.require(Role.ADMIN)
        return self._users.list(include_disabled=include_removed)

    def add(
        self, username: str, password: str, roles: frozenset[Role], teams: frozenset[str]
    ) -> User:
        self._login.principal.require(Role.ADMIN)
        check_username(username)
        check_password(password)
        existing = self._users.get(username)
        if existing is not None and existing.active:
            raise UserError(_("The user {user} already exists.").format(user=username))
        if self._server is not None:
            self._server.add(username, password, roles, teams)
            return self._existing(username)
        detail = {"roles": sorted(r.value for r in roles), "teams": sorted(teams)}
        key_file = self._key_file()
        if key_file is None:
            return self._users.add(
                username,
                roles,
                teams,
                now=self._clock(),
                password=password,
                then=self._audited(AuditEvent.ACCOUNT_ADDED, username, detail),
            )
        change = key_file.begin_change()
        fingerprint = key_file.add_slot(username, password, self._db_key(), change=change)
        with self._slot_change(key_file, change):
            user = self._users.add(
                username,
                roles,
                teams,
                now=self._clock(),
                key_fingerprint=fingerprint,
                signing_key=key_file.signing_key_of(username, change),
                then=self._audited(
                    AuditEvent.ACCOUNT_ADDED, username, {**detail, "change": change}
                ),
            )
        self._login.reinstall_keys()  # their records can now be sealed to them
        return user

    def set_roles(
        self, username: str, roles: frozenset[Role] | None, teams: frozenset[str] | None
    ) -> User:
        self._login.principal.require(Role.ADMIN)
        current = self._existing(username)
        if roles is not None and Role.ADMIN in current.roles and Role.ADMIN not in roles:
            self._keep_an_admin()
        if self._server is not None:
            self._server.set_roles(username, roles, teams)
            return self._existing(username)
        detail = {
            "roles": sorted(r.value for r in (current.roles if roles is None else roles)),
            "teams": sorted(current.teams if teams is None else teams),
        }
        return self._users.update(
            username,
            roles=roles,
            teams=teams,
            then=self._audited(AuditEvent.ACCOUNT_ROLES_CHANGED, username, detail),
        )

    def change_own_password(self, old_password: str, new_password: str) -> None:
        """Re-wrap the signed-in user's own key slot (or hash) under a new password."""
        check_password(new_password)
        if self._server is not None:  # the server checks the old password
            check_server_password(self._login.location, self._me, old_password)
            self._server.set_password(self._me, new_password)
            return
        key_file = self._key_file()
        if key_file is None:
            if self._users.verify_password(self._me, old_password, now=self._clock()) is None:
                raise WrongCredentialsError()
            self._users.update(
                self._me,
                password=new_password,
                then=self._audited(AuditEvent.PASSWORD_CHANGED, self._me, {}),
            )
            return
        change = key_file.begin_change()
        key_file.change_password(self._me, old_password, new_password, change)
        with self._slot_change(key_file, change):
            self._audit.append(
                self._me, AuditEvent.PASSWORD_CHANGED, subject=self._me, detail={"change": change}
            )

    def reset_password(self, username: str, new_password: str) -> None:
        """An administrator gives ``username`` a new password (a fresh key slot)."""
        self._login.principal.require(Role.ADMIN)
        check_password(new_password)
        self._existing(username)
        if self._server is not None:
            self._server.set_password(username, new_password)
            return
        key_file = self._key_file()
        if key_file is None:
            self._users.update(
                username,
                password=new_password,
                then=self._audited(AuditEvent.PASSWORD_RESET, username, {}),
            )
            return
        change = key_file.begin_change()
        fingerprint = key_file.add_slot(username, new_password, self._db_key(), change=change)
        with self._slot_change(key_file, change):
            self._users.update(
                username,
                key_fingerprint=fingerprint,
                signing_key=key_file.signing_key_of(username, change),
                then=self._audited(AuditEvent.PASSWORD_RESET, username, {"change": change}),
            )
        self._login.reinstall_keys()

    def remove(self, username: str) -> None:
        """Remove ``username``'s access: the account is disabled and the key slot deleted."""
        self._login.principal.require(Role.ADMIN)
        user = self._existing(username)
        if username == self._me:
            raise UserError(_("You cannot remove your own account; ask another administrator."))
        if Role.ADMIN in user.roles:
            self._keep_an_admin()
        if self._server is not None:
            self._server.remove(username)
            return
        key_file = self._key_file()
        if key_file is None:
            self._users.disable(
                username,
                now=self._clock(),
                then=self._audited(AuditEvent.ACCOUNT_REMOVED, username, {}),
            )
            return
        change = key_file.begin_change()
        key_file.remove_slot(username, change)
        with self._slot_change(key_file, change):
            self._users.disable(
                username,
                now=self._clock(),
                then=self._audited(AuditEvent.ACCOUNT_REMOVED, username, {"change": change}),
            )

    def rekey(self) -> None:
        """A new database key: the file is re-encrypted and every remaining slot re-sealed.

        Two phases, so a crash leaves a store that opens: the new key is first added to
        every slot as the *next* key, then the database is re-encrypted, then the next
        key becomes the key. Sign-in finishes or undoes a rekey that was interrupted.
        """
        self._login.principal.require(Role.ADMIN)
        key_file = self._key_file()
        if key_file is None:
            raise UserError(
                _(
                    "This store is on a database server: its encryption at rest is the "
                    "server's, so there is no database key to change here."
                )
            )
        store = self._login.store
        new_key = new_db_key()
        key_file.begin_rekey(new_key, self._users.active_fingerprints())
        key_file.save()
        try:
            store.engine.dispose()
            raw = store.engine.raw_connection()
            try:
                driver = raw.driver_connection
                assert driver is not None
                driver.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            finally:
                raw.close()
                store.engine.dispose()
        except BaseException:
            key_file.abort_rekey()
            key_file.save()
            raise
        key_file.finish_rekey()
        key_file.save()
        self._login.store = open_store(store.location, key=new_key)
        self._login.db_key = new_key
        self._login.reinstall_keys()  # the signing and sealing keys, on the new engine
        self._users = UserRepository(self._login.store.engine)
        self._audit = AuditLog(self._login.store.engine)
        self._audit.append(
            self._me, AuditEvent.STORE_REKEYED, detail={"generation": key_file.generation}
        )
        key_file.audited_generation = key_file.generation  # no need to look at the next start
        key_file.save()

    # -- helpers ------------------------------------------------------------------------------

    def _audited(
        self, event: AuditEvent, subject: str, detail: dict[str, Any]
    ) -> Callable[[Connection], None]:
        """The audit entry of an account change, written in the change's own transaction."""

        def append(connection: Connection) -> None:
            self._audit.append_in(connection, self._me, event, subject=subject, detail=detail)

        return append

    @contextmanager
    def _slot_change(self, key_file: KeyFile, change: str) -> Iterator[None]:
        """Save ``change``'s slots (not yet in use), run the database change that records
        the change's id in its audit entry, then put the slots in use. A failure drops the
        change; a crash leaves it for the next sign-in to complete or drop
        (:mod:`app.accounts.repair`)."""
        key_file.save()
        try:
            yield
        except BaseException:
            key_file.discard_change(change)
            key_file.save()
            raise
        key_file.apply_change(change)
        key_file.save()

    def _existing(self, username: str) -> User:
        user = self._users.get(username)
        if user is None or not user.active:
            raise UserError(_("There is no user {user}.").format(user=username))
        return user

    def _keep_an_admin(self) -> None:
        if self._users.count_active_admins() <= 1:
            raise UserError(_("The store must keep at least one administrator."))

    def _key_file(self) -> KeyFile | None:
        path = self._login.key_file
        return KeyFile.load(path) if path is not None else None

    def _db_key(self) -> bytes:
        if self._login.db_key is None:
            raise UserError(_("Sign in again to manage accounts."))
        return self._login.db_key


class AuditService:
    """The audit log for administrators: checks, exports, and who looked at what."""

    def __init__(self, login: Login) -> None:
        login.principal.require(Role.ADMIN)
        self._login = login
        self._log = AuditLog(login.store.engine)

    def verify(self) -> AuditReport:
        """The whole chain, every signature, and every user's anchor in the key file."""
        path = self._login.key_file
        anchors = KeyFile.load(path).anchors() if path is not None else None
        return self._log.verify(anchors=anchors)

    def who_viewed(self, record_id: str) -> list[AuditEntry]:
        return self._log.who_viewed(record_id)

    def viewed_by(self, username: str) -> list[AuditEntry]:
        return self._log.viewed_by(username)

    def entries(self, query: AuditQuery) -> AuditPage:
        """A page of the log's entries, filtered (the audit page's list)."""
        return list_entries(self._login.store.engine, query)

    def actors(self) -> list[str]:
        """Every user name in the log."""
        return actors(self._login.store.engine)

    def log(self) -> AuditLog:
        return self._log

    def note_export(self, count: int) -> None:
        self._login.audit_writer.append(
            self._login.principal.username, AuditEvent.AUDIT_EXPORTED, detail={"count": count}
        )


def make_backup(
    login: Login, destination: Path, progress: Callable[[int, int], None] | None = None
) -> list[Path]:
    """A consistent copy of the store; for an encrypted store, its key file goes beside it
    (``NAME.keys``): the copy opens only with the passwords that opened the store then.
    ``progress(pages_copied, pages)`` as the copy is written."""
    login.principal.require(Role.ADMIN)
    written = [backup_database(login.store.engine, destination, progress)]
    key_path = login.key_file
    if key_path is not None:
        keys_copy = destination.with_name(destination.name + ".keys")
        key_file = KeyFile.load(key_path)
        key_file.failures = {}
        key_file.pending_failures = []
        try:
            key_file.save(keys_copy)
        except UserError:
            destination.unlink(missing_ok=True)
            raise
        written.append(keys_copy)
    AuditLog(login.store.engine).append(
        login.principal.username, AuditEvent.BACKUP_MADE, detail={"with_keys": key_path is not None}
    )
    return written


def restore_note(backup: Path) -> str:
    """How to open a backup made by :func:`make_backup` (shown after it was written)."""
    return _(
        "To restore: put {db} as vagafraga.db and {keys} as vagafraga.keys in a data folder."
    ).format(db=backup.name, keys=backup.name + ".keys")
